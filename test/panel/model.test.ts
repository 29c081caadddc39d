/** The panel's state from the server's plan, events and report, and the texts the commands show. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEvent, applyReport, disruptiveQuestion, mergePlan, progressOf, rowFromPlan, rowFromResult, summaryOf } from '../../client/panel/model';
import { reportFileName, verifySummaryMessage } from '../../client/panel/text';
import type { CheckResult, VerifyEvent, VerifyPlanCriterion } from '../../server/protocol';
import { fixtureReport } from './preview';

const { report, links } = fixtureReport();
const result = (id: string): CheckResult => report.results.find((r) => r.id === id)!;

const plan: VerifyPlanCriterion[] = report.results.map((r) => ({
  id: r.id,
  title: r.title,
  criterion: r.criterion,
  target: r.target,
  disruptive: r.disruptive,
  links: links[r.id].filter((l) => l.kind === 'spec'),
}));

describe('rows', () => {
  it('start from the plan: pending, with the target and the spec links', () => {
    const row = rowFromPlan(plan[3]);
    assert.equal(row.status, 'PENDING');
    assert.equal(row.target, '0 2 * * * UTC, last ≤ 24h ago');
    assert.deepEqual(row.links.map((l) => l.label), ['opex.yaml:7', 'opex.yaml:6']);
    assert.equal(rowFromPlan({ ...plan[1], target: '', skip: 'the spec names no team label' }).reason, 'the spec names no team label');
  });

  it('show SC-001\'s pods lacking labels, and leave their detail lines out of the list', () => {
    const row = rowFromResult(result('SC-001'), links['SC-001']);
    assert.equal(row.status, 'FAIL');
    assert.deepEqual(row.pods.map((p) => [p.lacks, p.wrong]), [[['cost-center'], []], [[], ['team=platform (spec: product-team)']]]);
    assert.deepEqual(row.details, ['3 pods of Deployment task-api in production checked for team=product-team, app=task-api, environment=production, cost-center=engineering']);
    assert.deepEqual(row.links.map((l) => l.kind), ['spec', 'manifest']);
  });

  it('show SC-008\'s timeline with the slowest step, and SC-009\'s query', () => {
    const row = rowFromResult(result('SC-008'), links['SC-008']);
    assert.deepEqual(row.timeline.map((s) => s.step), ['killed', 'created', 'scheduled', 'image-pull', 'started', 'ready']);
    assert.equal(row.slowest, 'image-pull');
    assert.ok(!row.details.some((d) => /^\+\d/.test(d)), 'timeline lines are not repeated');
    assert.ok(row.details.some((d) => d.startsWith('hint: ')));
    const q = rowFromResult(result('SC-009'), links['SC-009']);
    assert.equal(q.query, 'sum(increase(task_api_requests_total{status=~"5.."}[60s]))');
    assert.ok(!q.details.some((d) => d.startsWith('query: ')));
  });

  it('follow a run event by event; criteria outside the run keep their last result', () => {
    let rows = applyReport(plan.map(rowFromPlan), report, links);
    const events: VerifyEvent[] = [
      { kind: 'begin', total: 1, ids: ['SC-004'], context: 'opex-loopback', server: 'https://127.0.0.1:6443' },
      { kind: 'check-start', id: 'SC-004', index: 0, total: 1, title: 'Velero schedule' },
      { kind: 'check-step', id: 'SC-004', message: 'listing Schedules in velero' },
    ];
    rows = applyEvent(rows, events[0]);
    assert.equal(rows.find((r) => r.id === 'SC-004')!.status, 'PENDING');
    assert.equal(rows.find((r) => r.id === 'SC-001')!.status, 'FAIL', 'not in this run: unchanged');
    rows = applyEvent(applyEvent(rows, events[1]), events[2]);
    assert.deepEqual([rows[3].status, rows[3].step], ['RUNNING', 'listing Schedules in velero']);
    let progress = progressOf(events[0], null);
    progress = progressOf(events[1], progress);
    assert.deepEqual(progress, { done: 0, total: 1, message: 'SC-004 Velero schedule… 1/1' });
    progress = progressOf(events[2], progress);
    assert.equal(progress!.message, 'SC-004 Velero schedule… 1/1: listing Schedules in velero');
    const end: VerifyEvent = { kind: 'check-end', id: 'SC-004', index: 0, total: 1, result: result('SC-004'), links: links['SC-004'] };
    rows = applyEvent(rows, end);
    assert.deepEqual([rows[3].status, rows[3].actual], ['PASS', '0 2 * * *, last 8h 45m ago']);
    assert.deepEqual(progressOf(end, progress), { done: 1, total: 1, message: 'SC-004 PASS' });
  });

  it('a new plan keeps results but takes the new targets and titles', () => {
    const rows = applyReport(plan.map(rowFromPlan), report, links);
    const renamed = plan.map((c) => (c.id === 'SC-005' ? { ...c, title: 'Retention', target: '1440h' } : c));
    const merged = mergePlan(rows, renamed);
    const sc5 = merged.find((r) => r.id === 'SC-005')!;
    assert.deepEqual([sc5.status, sc5.title, sc5.actual], ['PASS', 'Retention', '720h']);
    assert.equal(mergePlan([], renamed).find((r) => r.id === 'SC-005')!.target, '1440h');
  });

  it('a cancelled run puts the running row back to pending', () => {
    const running = applyEvent(plan.map(rowFromPlan), { kind: 'check-start', id: 'SC-007', index: 0, total: 2, title: 'Restore within RTO' });
    const cancelled = { ...report, cancelled: true, results: [] };
    assert.equal(applyReport(running, cancelled, {}).find((r) => r.id === 'SC-007')!.status, 'PENDING');
  });
});

describe('summary and texts', () => {
  it('sums up the run', () => {
    assert.deepEqual(summaryOf(report), {
      pass: 6, fail: 2, skip: 1, error: 1, total: 10,
      durationMs: report.durationMs, cancelled: false, context: 'opex-loopback', server: report.cluster.server, finishedAt: report.finishedAt, allowDisruptive: true,
    });
    assert.match(verifySummaryMessage(report), /^opex: task-api on opex-loopback: 6 passed, 2 failed, 1 error, 1 skipped \(\d+\.\d s\)\. Not met: SC-001, SC-003, SC-008\.$/);
    assert.match(reportFileName(report, 'md'), /^opex-verify-task-api-\d{8}-\d{4}\.md$/);
  });

  it('asks before disruptive checks, naming every namespace they touch', () => {
    const q = disruptiveQuestion('task-api', 'prod-eu', {
      namespaces: ['opex-restore-task-api-<time>', 'velero', 'staging'],
      actions: ['SC-007 creates the scratch namespace …', 'SC-008 deletes one Ready pod of task-api in staging …'],
    });
    assert.equal(q.message, 'Run the disruptive checks of task-api against the cluster (context prod-eu)?');
    assert.match(q.detail, /^SC-007 creates the scratch namespace …\nSC-008 deletes one Ready pod/);
    assert.match(q.detail, /Namespaces touched: opex-restore-task-api-<time>, velero, staging\. The service's own namespace is never written to/);
  });
});
