import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, testWorkspace, textAt } from '../testing';

const spec = (rpo: string, extra = '') => `service: task-api
namespace: production
costLabels: {team: product-team, app: task-api, environment: production, cost-center: engineering}
recovery:
  rpo: ${rpo}
  retention: 720h${extra}
`;

const schedule = (cron: string, name = 'task-api-backup', more = '') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: ${name}
  namespace: velero
spec:
  schedule: ${cron}${more}
  template:
    includedNamespaces: [production]
    ttl: 720h
`;

describe('backup-interval-exceeds-rpo', () => {
  it('issue #3: 0 */6 * * * against an RPO of 4h is an error, fixed with a cron from the RPO', () => {
    const text = schedule('"0 */6 * * *"');
    const [d, ...rest] = lintRule('backup-interval-exceeds-rpo', text, { spec: spec('4h') });
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'error');
    assert.equal(textAt(text, d), '"0 */6 * * *"');
    assert.match(d.message, /up to 6 hours can pass between two backups, longer than the RPO of 4 hours/);
    assert.match(d.message, /"0 \*\/4 \* \* \*" meets it/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('"0 */4 * * *"'));
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', fixed, { spec: spec('4h') }), []);
  });

  it('issue #3: 0 2 * * * against 24h is fine (the limit is inclusive)', () => {
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 2 * * *"'), { spec: spec('24h') }), []);
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"@daily"'), { spec: spec('24 hours') }), []);
  });

  it('issue #3: 0 0 * * 1-5 against 24h is an error: the weekend leaves 3 days', () => {
    const text = schedule('"0 0 * * 1-5"');
    const [d] = lintRule('backup-interval-exceeds-rpo', text, { spec: spec('24h') });
    assert.match(d.message, /up to 3 days can pass between two backups \(from Fri \d{4}-\d\d-\d\d 00:00 UTC to Mon \d{4}-\d\d-\d\d 00:00 UTC\)/);
    assert.equal(applyFixes(text, [d]), schedule('"0 2 * * *"'));
  });

  it('judges every Schedule of the namespace together', () => {
    const both = `${schedule('"0 0 * * 1-5"', 'weekdays')}---\n${schedule('"0 0 * * 0,6"', 'weekends')}`;
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', both, { spec: spec('24h') }), []);
    const sparse = `${schedule('"0 */8 * * *"', 'a')}---\n${schedule('"30 */8 * * *"', 'b')}`;
    const diags = lintRule('backup-interval-exceeds-rpo', sparse, { spec: spec('4h') });
    assert.equal(diags.length, 1, 'one diagnostic, on one Schedule');
    assert.match(diags[0].message, /The 2 Schedules backing up production \(a, b\) together leave up to 7 hours 30 minutes/);
    assert.equal(diags[0].related?.some((r) => r.message.includes('Schedule b also backs up production')), true);
  });

  it('counts a Schedule that backs up every namespace, and skips paused ones', () => {
    const all = schedule('"0 */6 * * *"').replace('includedNamespaces: [production]', 'includedNamespaces: ["*"]');
    assert.equal(lintRule('backup-interval-exceeds-rpo', all, { spec: spec('4h') }).length, 1);
    const paused = `${schedule('"0 * * * *"', 'hourly', '\n  paused: true')}---\n${schedule('"0 */6 * * *"', 'six')}`;
    assert.equal(lintRule('backup-interval-exceeds-rpo', paused, { spec: spec('4h') }).length, 1);
  });

  it('reports a namespace whose only Schedule is paused, fixed by unpausing', () => {
    const text = schedule('"0 * * * *"', 'task-api-backup', '\n  paused: true');
    const [d] = lintRule('backup-interval-exceeds-rpo', text, { spec: spec('4h') });
    assert.equal(textAt(text, d), 'true');
    assert.match(d.message, /is paused/);
    assert.equal(applyFixes(text, [d]), schedule('"0 * * * *"', 'task-api-backup', '\n  paused: false'));
  });

  it('evaluates CRON_TZ schedules over daylight-saving changes', () => {
    const text = schedule('"CRON_TZ=America/New_York 0 */6 * * *"');
    const [d] = lintRule('backup-interval-exceeds-rpo', text, { spec: spec('6h') });
    assert.match(d.message, /up to 7 hours/);
    assert.match(d.message, /from Sun \d{4}-11-\d\d 0\d:00 UTC to Sun \d{4}-11-\d\d 1\d:00 UTC/);
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 */6 * * *"'), { spec: spec('6h') }), []);
  });

  it('reads @every as its own interval', () => {
    assert.equal(lintRule('backup-interval-exceeds-rpo', schedule('"@every 6h"'), { spec: spec('4h') }).length, 1);
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"@every 4h"'), { spec: spec('4h') }), []);
  });

  it('leaves an exact spec schedule to backup-schedule-mismatch, and a spec that contradicts itself to the spec', () => {
    // TEST_SPEC requires "0 2 * * *": the mismatch rule reports this Schedule, not this one.
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 0 * * 1-5"')), []);
    const contradictory = TEST_SPEC.replace('"0 2 * * *"', '"0 2 * * 1-5"');
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 2 * * 1-5"'), { spec: contradictory }), []);
  });

  it('stays quiet without a Schedule for the namespace, with an invalid cron, without an RPO or without a spec', () => {
    const staging = schedule('"0 */6 * * *"').replace('[production]', '[staging]');
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', staging, { spec: spec('4h') }), []);
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 */6 * * * *"'), { spec: spec('4h') }), []);
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 */6 * * *"'), { spec: 'service: task-api\nnamespace: production\nrecovery:\n  retention: 720h\n' }), []);
    assert.deepEqual(lintRule('backup-interval-exceeds-rpo', schedule('"0 */6 * * *"'), { spec: null }), []);
  });

  it('flags the chapter\'s order-service example: "6-hour backup frequency (RPO: 4 hours)"', () => {
    const dir = path.resolve(__dirname, '../../../examples/order-service');
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.yaml')) files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
    const ws = testWorkspace(files, { spec: null, only: ['backup-interval-exceeds-rpo'] });
    ws.specs.setFile(ws.abs('order-service-opex-spec.md'), fs.readFileSync(path.join(dir, 'order-service-opex-spec.md'), 'utf8'));
    const diags = [...ws.linter.lintAll().values()].flat().filter((d) => d.ruleId === 'backup-interval-exceeds-rpo');
    assert.equal(diags.length, 1);
    assert.match(diags[0].message, /"0 \*\/6 \* \* \*".*RPO of 4 hours/);
  });
});
