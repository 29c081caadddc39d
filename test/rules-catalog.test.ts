/** The rule catalog against PRODUCT.md's contract, its generated docs, and every rule's own examples. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSpec } from '../server/engine/spec/load';
import { RULES } from '../server/engine/rules/index';
import { ruleExamples } from '../server/engine/rules/rule-examples';
import { SC_IDS } from '../server/engine/types';
import { applyFixes, lintFiles, TEST_SPEC } from '../server/engine/testing';
import { generatedDocs, ROOT } from '../scripts/rule-docs';

/** PRODUCT.md's rule table: ids and default severities are the public contract. */
const CONTRACT: Record<string, 'error' | 'warning'> = {
  'yaml-syntax': 'error', schema: 'error', 'yaml-boolean-trap': 'error', 'duplicate-resource': 'error',
  'label-syntax': 'error', 'cost-labels-missing': 'error', 'cost-label-value-mismatch': 'error',
  'cost-labels-inconsistent': 'warning', 'selector-uses-cost-label': 'warning', 'selector-template-mismatch': 'error',
  'selector-overlap': 'warning', 'service-selector-unmatched': 'error', 'service-target-port-unknown': 'warning',
  'probe-port-unknown': 'warning', 'probe-missing': 'warning', 'replicas-too-low': 'warning',
  'resources-requests-missing': 'warning', 'vpa-update-mode': 'error', 'vpa-target-not-found': 'warning',
  'vpa-container-unknown': 'warning', 'vpa-bounds-invalid': 'error', 'vpa-hpa-conflict': 'error',
  'backup-missing': 'warning', 'backup-cron-invalid': 'error', 'backup-schedule-mismatch': 'error',
  'backup-interval-exceeds-rpo': 'error', 'backup-ttl-mismatch': 'error', 'backup-ttl-too-short': 'warning',
  'backup-namespace-not-covered': 'error', 'backup-hook-missing': 'error', 'backup-hook-on-error': 'error',
  'backup-hook-timeout': 'warning', 'backup-hook-pods-excluded': 'error', 'backup-hook-selector-unmatched': 'warning',
  'backup-hook-container-unknown': 'error', 'chaos-namespace-forbidden': 'error', 'chaos-mode-too-broad': 'warning',
  'chaos-duration-missing': 'warning', 'chaos-selector-unmatched': 'warning', 'spec-invalid': 'error',
  'spec-criterion-uncovered': 'warning',
};

describe('rule catalog', () => {
  it('has every rule of the contract with its default severity, and no other', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual([...ids].sort(), Object.keys(CONTRACT).sort());
    for (const r of RULES) assert.equal(r.meta.severity, CONTRACT[r.meta.id], r.meta.id);
  });

  it('has complete metadata for every rule', () => {
    for (const { meta } of RULES) {
      assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(meta.description.length > 10, `${meta.id}: description`);
      assert.ok(meta.why.length > 60, `${meta.id}: why`);
      for (const c of meta.criteria) assert.ok((SC_IDS as readonly string[]).includes(c), `${meta.id}: criterion ${c}`);
      assert.ok(meta.reportedBy || typeof RULES.find((r) => r.meta.id === meta.id)!.check === 'function', `${meta.id}: check`);
    }
  });

  it('has generated docs that are up to date (run `npm run docs`)', () => {
    for (const [rel, content] of generatedDocs()) {
      const file = path.join(ROOT, rel);
      assert.ok(fs.existsSync(file), `${rel} is missing`);
      assert.equal(fs.readFileSync(file, 'utf8'), content, `${rel} is stale`);
    }
  });
});

describe('every rule on its own documented examples', () => {
  for (const rule of RULES) {
    const { id } = rule.meta;
    const ex = ruleExamples(rule.meta.id);
    if (rule.meta.reportedBy === 'spec-loader') {
      it(`${id}: the bad spec is reported, the good one is not`, () => {
        const bad = loadSpec('/ex/opex.yaml', ex.spec ?? '').diagnostics.filter((d) => d.ruleId === id);
        assert.ok(bad.length > 0, 'bad spec reported');
        const good = loadSpec('/ex/opex.yaml', ex.goodSpec ?? '').diagnostics.filter((d) => d.ruleId === id);
        assert.deepEqual(good, []);
      });
      continue;
    }
    it(`${id}: the bad example is reported, the good one is not`, () => {
      const spec = ex.spec ?? TEST_SPEC;
      const bad = lintFiles({ 'example.yaml': ex.bad }, { spec }).filter((d) => d.ruleId === id);
      assert.ok(bad.length > 0, `${id} fires on its bad example`);
      const good = lintFiles({ 'example.yaml': ex.good }, { spec: ex.goodSpec ?? spec }).filter((d) => d.ruleId === id);
      assert.deepEqual(good.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
    });
    if (rule.meta.fixable) {
      it(`${id}: fixing the bad example clears it and changes nothing more on a second pass`, () => {
        const spec = ex.spec ?? TEST_SPEC;
        // A diagnostic on the spec (backup-missing) may carry a fix that edits the example manifest.
        const editsExample = (d: { file: string; fix?: { edits: Array<{ file: string }> } }) =>
          d.file === 'example.yaml' || (d.fix !== undefined && d.fix.edits.every((e) => path.basename(e.file) === 'example.yaml'));
        const bad = lintFiles({ 'example.yaml': ex.bad }, { spec }).filter((d) => d.ruleId === id && editsExample(d));
        const withFix = bad.filter((d) => d.fix);
        assert.ok(withFix.length > 0, `${id} offers a fix on its bad example`);
        const fixed = applyFixes(ex.bad, withFix);
        const after = lintFiles({ 'example.yaml': fixed }, { spec }).filter((d) => d.ruleId === id);
        assert.deepEqual(after.map((d) => d.message), []);
        const syntax = lintFiles({ 'example.yaml': fixed }, { spec }).filter((d) => d.ruleId === 'yaml-syntax');
        assert.deepEqual(syntax, []);
      });
    }
  }
});
