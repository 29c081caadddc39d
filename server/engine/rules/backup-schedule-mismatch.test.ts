import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, textAt } from '../testing';

const schedule = (cron: string, ns = 'production', name = 'task-api-daily') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: ${name}
  namespace: velero
spec:
  schedule: ${cron} # SC-004
  template:
    includedNamespaces: [${ns}]
    ttl: 720h
`;

const TOKYO = TEST_SPEC.replace('timezone: UTC', 'timezone: Asia/Tokyo');

describe('backup-schedule-mismatch', () => {
  it('reports another time on the schedule value, with the spec field as related information', () => {
    const text = schedule('"0 3 * * *"');
    const [d, ...rest] = lintRule('backup-schedule-mismatch', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), '"0 3 * * *"');
    assert.match(d.message, /on "0 3 \* \* \*", at 03:00 \(UTC\), but the spec requires "0 2 \* \* \*", at 02:00 \(UTC\)/);
    assert.equal(d.related?.[0].file.endsWith('opex.yaml'), true);
  });

  it('fixes it in place, keeping the quoting and the comment; a second lint is clean', () => {
    const text = schedule('"0 3 * * *"');
    const fixed = applyFixes(text, lintRule('backup-schedule-mismatch', text));
    assert.equal(fixed, schedule('"0 2 * * *"'));
    assert.deepEqual(lintRule('backup-schedule-mismatch', fixed), []);
    const plain = schedule('0 3 * * *');
    assert.equal(applyFixes(plain, lintRule('backup-schedule-mismatch', plain)), schedule('0 2 * * *'));
    const single = schedule("'@daily'");
    assert.equal(applyFixes(single, lintRule('backup-schedule-mismatch', single)), schedule("'0 2 * * *'"));
  });

  it('compares by run times, not by text', () => {
    for (const cron of ['"0 2 * * 0-6"', '"CRON_TZ=UTC 0 2 * * *"', '"0 2 ? * *"', '"0 2 */1 * *"', '"TZ=Etc/UTC 00 02 * * *"']) {
      assert.deepEqual(lintRule('backup-schedule-mismatch', schedule(cron)), [], cron);
    }
    for (const cron of ['"0 2 * * 1-5"', '"@daily"', '"@every 24h"', '"CRON_TZ=Europe/London 0 2 * * *"', '"0 2,14 * * *"']) {
      assert.equal(lintRule('backup-schedule-mismatch', schedule(cron)).length, 1, cron);
    }
  });

  it('asks for CRON_TZ when the spec names a zone other than UTC', () => {
    const text = schedule('"0 2 * * *"');
    const [d] = lintRule('backup-schedule-mismatch', text, { spec: TOKYO });
    assert.match(d.message, /requires "CRON_TZ=Asia\/Tokyo 0 2 \* \* \*"/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('"CRON_TZ=Asia/Tokyo 0 2 * * *"'));
    assert.deepEqual(lintRule('backup-schedule-mismatch', fixed, { spec: TOKYO }), []);
  });

  it('is satisfied when any Schedule backing up the namespace runs the spec schedule', () => {
    const two = `${schedule('"0 * * * *"', 'production', 'hourly')}---\n${schedule('"0 2 * * *"', 'production', 'daily')}`;
    assert.deepEqual(lintRule('backup-schedule-mismatch', two), []);
  });

  it('stays quiet without an exact schedule in the spec, for other namespaces, invalid crons and without a spec', () => {
    const text = schedule('"0 3 * * *"');
    assert.deepEqual(lintRule('backup-schedule-mismatch', text, { spec: TEST_SPEC.replace('  schedule: "0 2 * * *"\n', '') }), []);
    assert.deepEqual(lintRule('backup-schedule-mismatch', schedule('"0 3 * * *"', 'staging')), []);
    assert.deepEqual(lintRule('backup-schedule-mismatch', schedule('"0 3 * * * *"')), []);
    assert.deepEqual(lintRule('backup-schedule-mismatch', text, { spec: null }), []);
    assert.deepEqual(lintRule('backup-schedule-mismatch', text, { spec: TEST_SPEC.replace('"0 2 * * *"', '"0 2 * * * *"') }), []);
  });
});
