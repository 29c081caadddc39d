import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';

const schedule = (cron: string, ttl: string) => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: full
  namespace: velero
spec:
  schedule: ${cron}
  template:
    includedNamespaces: ["*"]${ttl}
`;

describe('backup-ttl-too-short', () => {
  it('reports a ttl shorter than the longest gap on its value', () => {
    const text = schedule('"0 3 * * 0"', '\n    ttl: 24h');
    const [d, ...rest] = lintRule('backup-ttl-too-short', text, { spec: null });
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), '24h');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /keeps each backup 1 day \(ttl 24h\), but up to 7 days pass between its runs .*up to 6 days at a time with no backup/);
    assert.equal(d.fix, undefined);
  });

  it('uses the longest gap: the weekend of a weekday schedule', () => {
    assert.equal(lintRule('backup-ttl-too-short', schedule('"0 0 * * 1-5"', '\n    ttl: 48h'), { spec: null }).length, 1);
    assert.deepEqual(lintRule('backup-ttl-too-short', schedule('"0 0 * * 1-5"', '\n    ttl: 72h'), { spec: null }), [], 'equal is fine');
  });

  it('counts a missing ttl as 720h: a monthly Schedule outlives it', () => {
    const text = schedule('"@monthly"', '');
    const [d] = lintRule('backup-ttl-too-short', text, { spec: null });
    assert.equal(textAt(text, d), 'template');
    assert.match(d.message, /no ttl, so Velero's default of 720h/);
    assert.deepEqual(lintRule('backup-ttl-too-short', schedule('"@daily"', ''), { spec: null }), []);
  });

  it('leaves a missing ttl to backup-ttl-mismatch where the spec states a retention', () => {
    assert.deepEqual(lintRule('backup-ttl-too-short', schedule('"@monthly"', '')), []);
  });

  it('stays quiet for invalid ttls and crons, and for schedules that never run', () => {
    assert.deepEqual(lintRule('backup-ttl-too-short', schedule('"0 3 * * 0"', '\n    ttl: 1d'), { spec: null }), []);
    assert.deepEqual(lintRule('backup-ttl-too-short', schedule('"0 3 * * 7"', '\n    ttl: 1h'), { spec: null }), []);
    assert.deepEqual(lintRule('backup-ttl-too-short', schedule('"0 0 30 2 *"', '\n    ttl: 1h'), { spec: null }), []);
  });
});
