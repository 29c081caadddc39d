import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';

const schedule = (cron: string) => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-daily
  namespace: velero
spec:
  schedule: ${cron}
  template:
    includedNamespaces: [production]
    ttl: 720h
`;

describe('backup-cron-invalid', () => {
  it('reports a six-field cron on its value, saying why', () => {
    const text = schedule('"0 0 2 * * *"');
    const [d, ...rest] = lintRule('backup-cron-invalid', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), '"0 0 2 * * *"');
    assert.match(d.message, /expected exactly 5 fields, found 6/);
    assert.match(d.message, /FailedValidation/);
    assert.equal(d.related?.[0]?.message, 'The spec requires "0 2 * * *"');
  });

  it('reports what croner would accept but Velero rejects', () => {
    for (const cron of ['"0 2 * * 7"', '"0 2 L * *"', '"@every 1d"', '"CRON_TZ=Mars/Base 0 2 * * *"', '"@DAILY"', '""', 'garbage']) {
      assert.equal(lintRule('backup-cron-invalid', schedule(cron)).length, 1, cron);
    }
  });

  it('reports a schedule that never runs', () => {
    const [d] = lintRule('backup-cron-invalid', schedule('"0 2 30 2 *"'));
    assert.match(d.message, /never runs/);
  });

  it('accepts every form Velero accepts, with or without a spec', () => {
    for (const cron of ['"0 2 * * *"', '"@daily"', '"@every 6h"', '"CRON_TZ=Europe/Berlin 0 2 * * *"', '"TZ=UTC @hourly"', '"0 2 ? * MON-FRI"', '0 */6 * * *', '"*/100 * * * *"']) {
      assert.deepEqual(lintRule('backup-cron-invalid', schedule(cron)), [], cron);
      assert.deepEqual(lintRule('backup-cron-invalid', schedule(cron), { spec: null }), [], cron);
    }
  });

  it('runs without a spec and leaves a missing or non-string schedule to the schema', () => {
    assert.equal(lintRule('backup-cron-invalid', schedule('"0 0 2 * * *"'), { spec: null }).length, 1);
    assert.deepEqual(lintRule('backup-cron-invalid', schedule('5')), []);
    assert.deepEqual(lintRule('backup-cron-invalid', schedule('"0 2 * * *"').replace('  schedule: "0 2 * * *"\n', '')), []);
  });

  it('ignores Chaos Mesh Schedules (same kind, other group)', () => {
    const chaos = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata:
  name: kill
  namespace: staging
spec:
  schedule: "@every 1d"
  type: PodChaos
  podChaos:
    action: pod-kill
    mode: one
    selector:
      namespaces: [staging]
`;
    assert.deepEqual(lintRule('backup-cron-invalid', chaos), []);
  });
});
