import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, textAt } from '../testing';

const schedule = (ttl: string, cron = '"0 2 * * *"', name = 'task-api-daily') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: ${name}
  namespace: velero
spec:
  schedule: ${cron}
  template:
    includedNamespaces: [production]
    snapshotVolumes: true${ttl}
`;

describe('backup-ttl-mismatch', () => {
  it('reports a ttl that is no Go duration on its value, fixed with the retention', () => {
    const text = schedule('\n    ttl: 30d # SC-005');
    const [d, ...rest] = lintRule('backup-ttl-mismatch', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), '30d');
    assert.match(d.message, /"30d" .* is not a Go duration: .*no d/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('\n    ttl: 720h # SC-005'));
    assert.deepEqual(lintRule('backup-ttl-mismatch', fixed), []);
  });

  it('reports a missing ttl on template, fixed by adding it', () => {
    const text = schedule('');
    const [d] = lintRule('backup-ttl-mismatch', text);
    assert.equal(textAt(text, d), 'template');
    assert.match(d.message, /sets no ttl/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('\n    ttl: 720h'));
    assert.deepEqual(lintRule('backup-ttl-mismatch', fixed), []);
  });

  it('reports a shorter and a longer ttl, each saying what it means', () => {
    assert.match(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 168h'))[0].message, /deleted after 7 days, before the spec's retention of 30 days/);
    assert.match(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 2160h'))[0].message, /kept 90 days, longer than/);
  });

  it('compares durations, not text', () => {
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 720h0m0s')), []);
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: "43200m"')), []);
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 720h'), { spec: TEST_SPEC.replace('retention: 720h', 'retention: 30 days') }), []);
  });

  it('is satisfied by one Schedule of the namespace keeping the retention', () => {
    const hourly = schedule('\n    ttl: 24h', '"0 * * * *"', 'hourly');
    assert.deepEqual(lintRule('backup-ttl-mismatch', `${hourly}---\n${schedule('\n    ttl: 720h')}`), []);
    assert.equal(lintRule('backup-ttl-mismatch', hourly).length, 1);
  });

  it('stays quiet for other namespaces, non-string ttls (the schema\'s), without a retention or a spec', () => {
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 30d').replace('[production]', '[staging]')), []);
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 720')), []);
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 30d'), { spec: TEST_SPEC.replace('  retention: 720h\n', '') }), []);
    assert.deepEqual(lintRule('backup-ttl-mismatch', schedule('\n    ttl: 30d'), { spec: null }), []);
  });
});
