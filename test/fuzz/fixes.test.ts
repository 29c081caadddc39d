/**
 * Fixes never lose content (fixed seed, a few seconds per property; `npm run fuzz` runs more): on fuzzed
 * manifests linted against the spec, every fix alone, every fix of a rule at once and everything at once keep
 * the bytes outside their edits, keep the YAML parseable with the same documents, remove the diagnostic they fix
 * and converge (a fix applied again once its diagnostic is gone changes nothing).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TEST_SPEC } from '../../server/engine/testing';
import { manifestArb, suiteParams } from './corpus';
import { fixCase } from './engine-harness';

/** Rules whose fix-all legitimately needs a second pass (none today); anything else is a finding. */
export const SECOND_PASS_RULES = new Set<string>([]);

describe('fixes on fuzzed manifests', () => {
  it('keep every byte outside their edits, keep the documents, remove their diagnostic, converge', () => {
    const second = new Set<string>();
    let fixes = 0;
    fc.assert(
      fc.property(manifestArb, (m) => {
        const r = fixCase({ manifest: m.text, spec: { name: 'opex.yaml', text: TEST_SPEC } });
        assert.deepEqual(r.problems, []);
        r.secondPass.forEach((x) => second.add(x));
        fixes += r.single;
      }),
      suiteParams(120, 8000),
    );
    assert.ok(fixes > 0, 'some fixes were tried');
    assert.deepEqual([...second].filter((r) => !SECOND_PASS_RULES.has(r)), [], 'rules whose fix-all needs a second pass');
  });
});
