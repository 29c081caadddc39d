import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SPEC } from '../testing';
import { LineMap } from '../text';
import type { Range } from '../types';
import { loadSpec } from './load';
import { opexSpecSchema, validateOpexSpec } from './schema';

const load = (text: string) => loadSpec('/ws/opex.yaml', text);
const slice = (text: string, r: Range) => {
  const lines = new LineMap(text);
  return text.slice(lines.offset(r.start), lines.offset(r.end));
};
/** [1-based line, text at the range, message] of every diagnostic, in order of position. */
const problems = (text: string) =>
  load(text)
    .diagnostics.slice()
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((d) => [d.range.start.line + 1, slice(text, d.range), d.message] as const);

describe('opex.yaml', () => {
  it('loads PRODUCT.md\'s opex.yaml without diagnostics', () => {
    const l = load(TEST_SPEC);
    assert.deepEqual(l.diagnostics, []);
    assert.equal(l.spec.recovery?.database?.hookTimeout, 120);
    assert.equal(slice(TEST_SPEC, l.locations['recovery.rpo']), '24h');
    assert.equal(slice(TEST_SPEC, l.locations['costLabels.team']), 'product-team');
  });

  it('reports unknown keys on the key, suggesting the field meant', () => {
    const text = 'service: task-api\nrecovery:\n  rpoo: 24h\n  rto: 30m\nresilliance: {}\n';
    const [a, b, ...rest] = problems(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(a.slice(0, 2), [3, 'rpoo']);
    assert.match(a[2], /not a field of `recovery`\. Did you mean `rpo`\?/);
    assert.deepEqual(b.slice(0, 2), [5, 'resilliance']);
    assert.match(b[2], /Did you mean `resilience`\?/);
  });

  it('reports wrong types on the value, once per node', () => {
    const text = [
      'service: task-api',
      'recovery:',
      '  rpo: 24',
      '  retention: [1]',
      '  database: postgres',
      'resilience:',
      '  max5xx: 1.5',
      '  p95LatencyMs: 0',
      'constraints:',
      '  chaosNamespaces: staging',
      '  vpaUpdateMode: Sometimes',
      'rules: {probe-missing: loud}',
      'cost: []',
    ].join('\n');
    const got = problems(text).map(([line, at]) => [line, at]);
    assert.deepEqual(got, [[3, '24'], [4, '[1]'], [5, 'postgres'], [7, '1.5'], [8, '0'], [10, 'staging'], [11, 'Sometimes'], [12, 'loud'], [13, '[]']]);
    const msgs = problems(text).map(([, , m]) => m);
    assert.match(msgs[0], /bare number has no unit/);
    assert.match(msgs[3], /whole number/);
  });

  it('reports bad names, label keys and values, criteria ids and rule ids on the node', () => {
    const text = 'service: Task_API\nnamespace: Prod\ncostLabels: {team: "bad value!", "-x": y}\ncriteria: {SC-011: x}\nrules: {Bad_Rule: off}\n';
    assert.deepEqual(problems(text).map(([line, at]) => [line, at]), [[1, 'Task_API'], [2, 'Prod'], [3, '"bad value!"'], [3, '"-x"'], [4, 'SC-011'], [5, 'Bad_Rule']]);
  });

  it('checks the schedule is a 5-field cron Velero accepts and the time zone exists', () => {
    assert.deepEqual(problems('service: a\nrecovery:\n  schedule: "0 0 2 * * *"\n').map(([l, at]) => [l, at]), [[3, '"0 0 2 * * *"']]);
    assert.match(problems('service: a\nrecovery:\n  schedule: "0 2 * * 7"\n')[0][2], /day-of-week/);
    assert.match(problems('service: a\nrecovery:\n  schedule: "@daily"\n')[0][2], /descriptor/);
    assert.match(problems('service: a\nrecovery:\n  schedule: "CRON_TZ=UTC 0 2 * * *"\n')[0][2], /recovery.timezone/);
    assert.deepEqual(problems('service: a\nrecovery:\n  timezone: Mars/Base\n').map(([l, at]) => [l, at]), [[3, 'Mars/Base']]);
    assert.deepEqual(problems('service: a\nrecovery:\n  schedule: 0 2 * * *\n  timezone: Europe/Berlin\n'), []);
    assert.equal(load('service: a\nrecovery:\n  schedule: " 0  2 * * * "\n').spec.recovery?.schedule, '0 2 * * *');
  });

  it('reports a missing service, a non-map document and YAML errors', () => {
    assert.match(problems('namespace: production\n')[0][2], /names no `service:`/);
    assert.equal(problems('namespace: production\n').length, 1);
    assert.match(problems('- a\n')[0][2], /YAML map/);
    const syntax = load('service: a\nrecovery: {rpo: 24h\n');
    assert.ok(syntax.diagnostics.some((d) => d.ruleId === 'yaml-syntax'));
    assert.ok(!syntax.diagnostics.some((d) => /not a field/.test(d.message)));
  });

  it('reads CRLF and a byte-order mark', () => {
    const text = `\uFEFF${TEST_SPEC.replace(/\n/g, '\r\n')}`;
    const l = load(text);
    assert.deepEqual(l.diagnostics, []);
    assert.deepEqual(l.spec, load(TEST_SPEC).spec);
    assert.equal(slice(text, l.locations['recovery.retention']), '720h');
  });

  it('accepts English durations as well as Go syntax', () => {
    const l = load('service: a\nrecovery:\n  rto: 30 minutes\n  rpo: "24 hours"\n  retention: 30 days\n');
    assert.deepEqual(l.diagnostics, []);
    assert.deepEqual([l.spec.recovery?.rto, l.spec.recovery?.rpo, l.spec.recovery?.retention], [1800, 86400, 2592000]);
  });
});

describe('schemas/opex-spec.schema.json', () => {
  it('describes every field (the editor shows these on hover and completion)', () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, where: string) => {
      if (!node.description && !node.$ref) missing.push(where);
      for (const [k, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) walk(child, `${where}.${k}`);
      if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties as Record<string, unknown>, `${where}.*`);
      if (node.items && typeof node.items === 'object') walk(node.items as Record<string, unknown>, `${where}[]`);
    };
    walk(opexSpecSchema as Record<string, unknown>, '$');
    assert.deepEqual(missing.filter((m) => !m.endsWith('[]')), []);
  });

  it('accepts the documented example and rejects unknown keys', () => {
    assert.equal(validateOpexSpec({ service: 'task-api', recovery: { rpo: '24h', schedule: '0 2 * * *' }, rules: { 'probe-missing': false } }), true);
    assert.equal(validateOpexSpec({ service: 'task-api', extra: 1 }), false);
    assert.equal(validateOpexSpec({ namespace: 'production' }), false);
  });
});

describe('opex.yaml: never throws', () => {
  it('on random text and on random values under the spec\'s keys', async () => {
    const fc = await import('fast-check');
    const YAML = await import('yaml');
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => void load(text)), { numRuns: 200 });
    const key = fc.constantFrom('service', 'namespace', 'costLabels', 'recovery', 'resilience', 'constraints', 'rules', 'criteria', 'cost', 'rto', 'rpo', 'schedule', 'database', 'selector', 'hookTimeout', 'SC-001', 'x');
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.dictionary(key, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
    })).node;
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (obj) => {
      const l = load(YAML.stringify(obj));
      for (const d of l.diagnostics) assert.equal(typeof d.message, 'string');
    }), { numRuns: 200 });
  });
});
