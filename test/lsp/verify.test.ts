/**
 * `opex/verify`, `opex/verifyPlan`, `opex/contexts`, `opex/formatReport` and workspace trust: the real language
 * server over stdio against the loopback Kubernetes API server (KUBECONFIG points the server at it).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageserver-protocol/node';
import { loadSpec } from '../../server/engine/spec/load';
import { runChecks } from '../../server/live/run';
import {
  ContextsRequest,
  FormatReportRequest,
  VerifyEventProgress,
  VerifyPlanRequest,
  VerifyRequest,
  WorkspaceTrustNotification,
  type ContextsResult,
  type VerifyEvent,
  type VerifyParams,
  type VerifyPlanResult,
  type VerifyResult,
} from '../../server/protocol';
import { eventually } from '../live/helpers';
import { startFakeCluster, type FakeCluster, type FakeClusterOptions } from '../live/kube-server';
import { CancellationTokenSource, copyFixture, TestClient, uriOf } from './harness';

/** The task-api fixture, its spec told to skip the Prometheus scrape wait and to time out quickly. */
function workspace(): string {
  const dir = copyFixture();
  const spec = path.join(dir, 'opex.yaml');
  fs.appendFileSync(spec, 'live:\n  prometheus: {settle: 0s}\n  timeouts: {request: 3s, cleanup: 5s}\n');
  return dir;
}

interface Session {
  cluster: FakeCluster;
  client: TestClient;
  folder: string;
}

async function session(opts: { trusted?: boolean; cluster?: FakeClusterOptions } = {}): Promise<Session> {
  const cluster = await startFakeCluster({ unref: true, idleTimeoutMs: 120_000, ...opts.cluster });
  const folder = workspace();
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = cluster.kubeconfigPath; // the server process inherits it
  try {
    const client = await TestClient.start({ folder, initializationOptions: opts.trusted === false ? {} : { workspaceTrusted: true } });
    await client.ready();
    return { cluster, client, folder };
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
}

async function end(s: Session | undefined): Promise<void> {
  if (!s) return;
  await s.client.stop();
  await s.cluster.stop();
}

let tokens = 0;

/** Runs opex/verify with an event token; collects the events. */
async function verify(s: Session, params: VerifyParams, cancel?: CancellationTokenSource, onEvent?: (e: VerifyEvent) => void): Promise<{ result: VerifyResult; events: VerifyEvent[] }> {
  const eventToken = `events-${++tokens}`;
  const events: VerifyEvent[] = [];
  const sub = s.client.conn.onProgress(VerifyEventProgress, eventToken, (e) => {
    events.push(e);
    onEvent?.(e);
  });
  try {
    const result = await s.client.request<VerifyResult>(VerifyRequest.method, { ...params, eventToken }, cancel);
    return { result, events };
  } finally {
    sub.dispose();
  }
}

const writes = (c: FakeCluster) => c.mutatingRequests().map((r) => `${r.verb} ${r.resource}${r.namespace ? ` -n ${r.namespace}` : ''}`);

describe('opex/verify in an untrusted workspace', () => {
  let s: Session | undefined;
  before(async () => {
    s = await session({ trusted: false });
  });
  after(() => end(s));

  it('refuses every live request and never contacts the cluster', async () => {
    const { result } = await verify(s!, {});
    assert.equal(result.refused, 'untrusted');
    assert.equal(result.report, null);
    assert.match(result.problem!, /Restricted Mode/);
    const contexts = await s!.client.request<ContextsResult>(ContextsRequest.method, undefined);
    assert.equal(contexts.refused, 'untrusted');
    assert.deepEqual(contexts.contexts, []);
    const plan = await s!.client.request<VerifyPlanResult>(VerifyPlanRequest.method, {});
    assert.equal(plan.refused, 'untrusted');
    assert.deepEqual(s!.cluster.requests, []);
  });

  it('runs once the client says the workspace is trusted, and stops again when it says otherwise', async () => {
    await s!.client.conn.sendNotification(WorkspaceTrustNotification, { trusted: true });
    const { result } = await verify(s!, { only: ['SC-001'] });
    assert.equal(result.refused, undefined, result.problem);
    assert.equal(result.report?.results[0].status, 'PASS');
    await s!.client.conn.sendNotification(WorkspaceTrustNotification, { trusted: false });
    assert.equal((await verify(s!, { only: ['SC-001'] })).result.refused, 'untrusted');
  });
});

describe('opex/verify against the loopback cluster', () => {
  let s: Session | undefined;
  before(async () => {
    s = await session({ cluster: { timings: { restore: { newMs: 20, runMs: 150 } } } });
  });
  after(() => end(s));

  it('lists the kubeconfig contexts without credentials', async () => {
    const result = await s!.client.request<ContextsResult>(ContextsRequest.method, undefined);
    assert.equal(result.refused, undefined, result.problem);
    assert.deepEqual(result.contexts.map((c) => [c.name, c.current]), [['opex-loopback', true]]);
    assert.equal(result.current, 'opex-loopback');
    assert.equal(result.contexts[0].server, s!.cluster.url);
    const json = JSON.stringify(result);
    assert.ok(!json.includes(s!.cluster.token), 'no token');
    assert.ok(!/user|token|certificate|client-key|password/i.test(JSON.stringify(result.contexts)), json);
  });

  it('plans the run: criteria, targets, spec lines and the namespaces the disruptive checks touch', async () => {
    const plan = await s!.client.request<VerifyPlanResult>(VerifyPlanRequest.method, {});
    assert.equal(plan.refused, undefined, plan.problem);
    assert.equal(plan.spec?.service, 'task-api');
    assert.deepEqual(plan.criteria.map((c) => c.id), ['SC-001', 'SC-002', 'SC-003', 'SC-004', 'SC-005', 'SC-006', 'SC-007', 'SC-008', 'SC-009', 'SC-010']);
    const byId = Object.fromEntries(plan.criteria.map((c) => [c.id, c]));
    assert.equal(byId['SC-001'].target, '4 labels');
    assert.equal(byId['SC-008'].target, '< 30s');
    assert.deepEqual(plan.criteria.filter((c) => c.disruptive).map((c) => c.id), ['SC-007', 'SC-008']);
    assert.equal(byId['SC-001'].links[0].uri, uriOf(path.join(s!.folder, 'opex.yaml')));
    assert.deepEqual(plan.disruptive.namespaces, ['opex-restore-task-api-<time>', 'velero', 'staging']);
    assert.deepEqual(byId['SC-007'].touches?.namespaces, ['opex-restore-task-api-<time>', 'velero']);
    assert.deepEqual(byId['SC-008'].touches?.namespaces, ['staging']);
    assert.equal(byId['SC-001'].touches, undefined);
    assert.match(plan.disruptive.actions.join('\n'), /deletes one Ready pod of task-api in staging/);
    assert.deepEqual(s!.cluster.requests, [], 'planning contacts no cluster');
  });

  it('runs the read-only checks with progress per check, results as opex verify has them, and no write', async () => {
    const before = s!.client.progress.length;
    const { result, events } = await verify(s!, {});
    assert.equal(result.refused, undefined, result.problem);
    const report = result.report!;
    assert.deepEqual(report.results.map((r) => `${r.id} ${r.status}`), [
      'SC-001 PASS', 'SC-002 PASS', 'SC-003 PASS', 'SC-004 PASS', 'SC-005 PASS', 'SC-006 PASS',
      'SC-007 SKIP', 'SC-008 SKIP', 'SC-009 PASS', 'SC-010 PASS',
    ]);
    assert.equal(report.cluster.context, 'opex-loopback');
    assert.equal(report.allowDisruptive, false);

    // The same as the engine's own run against the same cluster.
    const text = fs.readFileSync(path.join(s!.folder, 'opex.yaml'), 'utf8');
    const direct = await runChecks({ spec: loadSpec(path.join(s!.folder, 'opex.yaml'), text), specText: text, kubeconfig: s!.cluster.kubeconfigPath });
    assert.deepEqual(
      report.results.map((r) => [r.id, r.status, r.target, r.reason ?? '']),
      direct.results.map((r) => [r.id, r.status, r.target, r.reason ?? '']),
    );
    assert.deepEqual(report.results.filter((r) => r.id === 'SC-001' || r.id === 'SC-005').map((r) => r.actual), ['4 labels', '720h']);

    // Disruptive checks are refused without the flag, and nothing was written.
    assert.match(report.results[6].reason!, /changes the cluster/);
    assert.deepEqual(s!.cluster.mutatingRequests(), []);

    // Work-done progress: begin, one report per check with "SC-00n title… n/10", end.
    const progress = s!.client.progress.slice(before);
    assert.equal(progress[0].value.kind, 'begin');
    assert.equal((progress[0].value as WorkDoneProgressBegin).title, 'opex verify: task-api');
    assert.equal((progress[0].value as WorkDoneProgressBegin).cancellable, true);
    const messages = progress.map((p) => p.value.message ?? '');
    for (const [i, r] of report.results.entries()) {
      assert.ok(messages.includes(`${r.id} ${r.title}… ${i + 1}/10`), `no progress for ${r.id}: ${messages.join(' | ')}`);
    }
    assert.ok(messages.includes('SC-004 Velero schedule… 4/10') || messages.some((m) => m.startsWith('SC-004 ')));
    await s!.client.waitFor('the progress to end', () => s!.client.progress.slice(before).some((p) => p.value.kind === 'end'));
    const percentages = progress.map((p) => (p.value as WorkDoneProgressReport).percentage).filter((p): p is number => p !== undefined);
    assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages only grow');

    // The event stream: begin, start/end per check, with links.
    assert.equal(events[0].kind, 'begin');
    const ends = events.filter((e): e is Extract<VerifyEvent, { kind: 'check-end' }> => e.kind === 'check-end');
    assert.deepEqual(ends.map((e) => e.id), report.results.map((r) => r.id));
    assert.deepEqual(ends.map((e) => e.result.status), report.results.map((r) => r.status));
    assert.ok(events.some((e) => e.kind === 'check-step'));

    // Links back to the spec line and the manifest.
    const links = result.links['SC-001']!;
    assert.deepEqual(links.map((l) => l.kind), ['spec', 'manifest']);
    assert.equal(links[0].range.start.line, text.split('\n').findIndex((l) => l.startsWith('costLabels')));
    assert.equal(links[0].label, 'opex.yaml:3');
    assert.equal(links[1].label, 'Deployment production/task-api');
    assert.equal(links[1].uri, uriOf(path.join(s!.folder, 'task-api-deployment.yaml')));
    assert.deepEqual(ends[0].links, links);
  });

  it('runs one criterion with the client\'s own work-done token', async () => {
    const workDoneToken = 'client-progress-1';
    const seen: string[] = [];
    const sub = s!.client.conn.onProgress(WorkDone.type, workDoneToken, (v) => seen.push(v.kind));
    const { result } = await verify(s!, { only: ['SC-004'], workDoneToken });
    sub.dispose();
    assert.deepEqual(result.report!.results.map((r) => `${r.id} ${r.status}`), ['SC-004 PASS']);
    assert.equal(seen[0], 'begin');
    assert.equal(seen[seen.length - 1], 'end');
  });

  it('runs the disruptive checks only with the flag, in staging and a scratch namespace, and cleans up', async () => {
    const c = s!.cluster;
    c.requests.length = 0;
    const { result } = await verify(s!, { only: ['SC-007', 'SC-008'], allowDisruptive: true });
    const report = result.report!;
    assert.deepEqual(report.results.map((r) => `${r.id} ${r.status}`), ['SC-007 PASS', 'SC-008 PASS'], JSON.stringify(report.results.map((r) => r.reason)));
    assert.equal(report.allowDisruptive, true);
    const w = writes(c);
    assert.ok(w.includes('delete pods -n staging'));
    assert.ok(!c.mutatingRequests().some((r) => r.namespace === 'production'), 'production is never touched');
    assert.deepEqual(w.filter((x) => x.includes('restores')), ['create restores -n velero', 'delete restores -n velero']);
    await eventually(() => c.store.list(c.registry.anyByKind('Namespace', '')!).every((n) => !n.metadata.name.startsWith('opex-restore-')), 3000, 'the scratch namespace to go');
    // SC-008's timeline is in the result for the panel.
    assert.ok(Array.isArray((report.results[1].data as any).timeline));
  });

  it('formats a report for export', async () => {
    const { result } = await verify(s!, { only: ['SC-001', 'SC-005'] });
    const junit = await s!.client.request<{ text: string }>(FormatReportRequest.method, { report: result.report, format: 'junit' });
    assert.match(junit.text, /^<\?xml/);
    assert.match(junit.text, /<testcase classname="opex\.verify\.task-api" name="SC-001: Cost labels present"/);
    const md = await s!.client.request<{ text: string }>(FormatReportRequest.method, { report: result.report, format: 'markdown' });
    assert.match(md.text, /\| SC-005: Backup retention \| 720h \| 720h \| PASS \|/);
    const bad = await s!.client.request<{ text: string }>(FormatReportRequest.method, { report: { nope: 1 }, format: 'junit' });
    assert.equal(bad.text, '');
  });

  it('refuses unknown criteria and answers a missing context with the reason', async () => {
    const unknown = (await verify(s!, { only: ['SC-999' as never] })).result;
    assert.equal(unknown.report, null);
    assert.match(unknown.problem!, /Not a success criterion: SC-999/);
    const missing = (await verify(s!, { context: 'nowhere' })).result;
    assert.equal(missing.refused, 'config');
    assert.match(missing.problem!, /no context "nowhere" \(contexts: opex-loopback\)/);
  });
});

describe('opex/verify cancellation', () => {
  let s: Session | undefined;
  before(async () => {
    s = await session({ cluster: { timings: { restore: { newMs: 20, runMs: 20_000 } } } });
  });
  after(() => end(s));

  it('cancels mid-restore, answers after the cleanup, and leaves nothing behind', async () => {
    const c = s!.cluster;
    const cancel = new CancellationTokenSource();
    const t0 = Date.now();
    let busy: VerifyResult | undefined;
    const { result } = await verify(s!, { only: ['SC-007', 'SC-008'], allowDisruptive: true }, cancel, (e) => {
      if (e.kind === 'check-step' && /: InProgress$/.test(e.message) && !cancel.token.isCancellationRequested) {
        // One run at a time: a second request meanwhile is refused.
        void verify(s!, { only: ['SC-001'] }).then((r) => {
          busy = r.result;
          cancel.cancel();
        });
      }
    });
    assert.ok(Date.now() - t0 < 10_000, 'cancelling does not wait for the restore');
    assert.equal(busy?.refused, 'busy');
    const report = result.report!;
    assert.equal(report.cancelled, true);
    const sc7 = report.results.find((r) => r.id === 'SC-007')!;
    assert.equal(sc7.status, 'ERROR');
    assert.match(sc7.reason!, /^cancelled/);
    assert.deepEqual((sc7.data as any).cleanup.failed, []);
    assert.deepEqual(report.results.find((r) => r.id === 'SC-008')!.reason, 'cancelled');
    // Cleanup happened before the answer: the Restore is gone, the scratch namespace is going.
    assert.equal(c.store.list(c.registry.anyByKind('Restore', 'velero.io')!, 'velero').length, 0);
    assert.deepEqual(writes(c).filter((w) => w.startsWith('delete')), ['delete restores -n velero', 'delete namespaces']);
    await eventually(() => c.store.list(c.registry.anyByKind('Namespace', '')!).every((n) => !n.metadata.name.startsWith('opex-restore-')), 3000, 'the scratch namespace to go');
    assert.ok(!c.mutatingRequests().some((r) => r.namespace === 'production'));
    // The server is free again.
    const next = (await verify(s!, { only: ['SC-001'] })).result;
    assert.equal(next.report?.results[0].status, 'PASS');
  });
});

const WorkDone = WorkDoneProgress;
