/** SC-007 (restore into a scratch namespace) and SC-008 (pod kill): safety, measurement, explanation, cleanup. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as YAML from 'yaml';
import { eventually, one, result, specWith, verify, withCluster } from './helpers';
import type { FakeCluster } from './kube-server';

const T = (c: FakeCluster, kind: string, group = '') => c.registry.anyByKind(kind, group)!;
const restores = (c: FakeCluster) => c.store.list(T(c, 'Restore', 'velero.io'), 'velero');
const scratchNamespaces = (c: FakeCluster) => c.store.list(T(c, 'Namespace')).map((n) => n.metadata.name).filter((n) => n.startsWith('opex-restore-'));
const writes = (c: FakeCluster) => c.mutatingRequests().map((r) => `${r.verb} ${r.resource}${r.namespace ? ` -n ${r.namespace}` : ''}`);

describe('SC-007 restore within the RTO', () => {
  it('is skipped unless disruptive checks are allowed', async () => {
    await withCluster({}, async (c) => {
      const r = await one(c, 'SC-007');
      assert.equal(r.status, 'SKIP');
      assert.deepEqual(c.mutatingRequests(), []);
    });
  });

  it('restores the newest completed backup into a new scratch namespace, times it, and cleans up', async () => {
    await withCluster({ timings: { restore: { newMs: 20, runMs: 120 } } }, async (c) => {
      const r = await one(c, 'SC-007', { allowDisruptive: true });
      assert.equal(r.status, 'PASS', r.reason);
      assert.equal(r.target, '< 30m');
      assert.match(r.actual, /^\d+(\.\d)?s$/);
      const data = r.data as any;
      assert.equal(data.backup, 'task-api-production-daily-20251230020000');
      assert.match(data.scratchNamespace, /^opex-restore-task-api-\d{14}$/);
      assert.deepEqual(data.phases.map((p: any) => p.phase), ['New', 'InProgress', 'Completed']);
      const created = c.requests.find((x) => x.verb === 'create' && x.resource === 'restores')!;
      assert.ok(created);
      assert.deepEqual(writes(c), ['create namespaces', 'create restores -n velero', 'delete restores -n velero', 'delete namespaces']);
      assert.deepEqual(data.cleanup.failed, []);
      assert.equal(restores(c).length, 0, 'the Restore is gone');
      await eventually(() => scratchNamespaces(c).length === 0, 2000, 'the scratch namespace to go');
      assert.equal(c.store.list(T(c, 'Deployment', 'apps'), data.scratchNamespace).length, 0);
    });
  });

  it('fails when the restore fails, and still cleans up', async () => {
    await withCluster({ timings: { restore: { newMs: 20, runMs: 50, outcome: 'Failed' } } }, async (c) => {
      const r = await one(c, 'SC-007', { allowDisruptive: true });
      assert.equal(r.status, 'FAIL');
      assert.match(r.actual, /^Failed after /);
      assert.match(r.reason!, /the restore ended Failed: error restoring/);
      assert.equal(restores(c).length, 0);
      await eventually(() => scratchNamespaces(c).length === 0, 2000, 'cleanup');
    });
  });

  it('fails at the deadline when the restore takes longer than the RTO allows', async () => {
    await withCluster({ timings: { restore: { newMs: 20, runMs: 5000 } } }, async (c) => {
      const r = await one(c, 'SC-007', { allowDisruptive: true, settings: { timeouts: { restoreMs: 300 } } });
      assert.equal(r.status, 'FAIL');
      assert.equal(r.actual, '> 0.3s');
      assert.match(r.reason!, /had not finished after 300 ms \(phase InProgress\); the RTO is 30 minutes/);
      assert.equal(restores(c).length, 0);
    });
  });

  it('refuses the production namespace, system namespaces and namespaces that exist, changing nothing', async () => {
    await withCluster({}, async (c) => {
      for (const [ns, why] of [['production', /the service's own namespace/], ['kube-system', /system namespace/], ['staging', /already exists/]] as const) {
        const r = await one(c, 'SC-007', { allowDisruptive: true, settings: { restoreNamespace: ns } });
        assert.equal(r.status, 'ERROR', ns);
        assert.match(r.reason!, new RegExp(`^refusing to restore into ${ns}: `));
        assert.match(r.reason!, why);
      }
      assert.deepEqual(c.mutatingRequests(), []);
    });
  });

  it('cleans up when the run is cancelled mid-restore, and skips what was left', async () => {
    await withCluster({ timings: { restore: { newMs: 20, runMs: 10_000 } } }, async (c) => {
      const ac = new AbortController();
      const t0 = Date.now();
      const report = await verify(c, {
        only: ['SC-007', 'SC-008'],
        allowDisruptive: true,
        signal: ac.signal,
        onProgress: (e) => {
          if (e.kind === 'check-step' && /: InProgress$/.test(e.message)) ac.abort();
        },
      });
      assert.ok(Date.now() - t0 < 5000, 'cancelling does not wait for the restore');
      const r = result(report, 'SC-007');
      assert.equal(r.status, 'ERROR');
      assert.match(r.reason!, /^cancelled/);
      assert.deepEqual((r.data as any).cleanup.failed, []);
      assert.equal((r.data as any).cleanup.done.length, 2);
      assert.deepEqual([result(report, 'SC-008').status, result(report, 'SC-008').reason], ['SKIP', 'cancelled']);
      assert.equal(report.cancelled, true);
      assert.equal(restores(c).length, 0);
      await eventually(() => scratchNamespaces(c).length === 0, 2000, 'cleanup after cancel');
      assert.deepEqual(writes(c).filter((w) => w.startsWith('delete')), ['delete restores -n velero', 'delete namespaces']);
    });
  });
});

describe('SC-008 pod kill recovery', () => {
  it('kills one pod in staging (never production) and measures the way back to full readiness', async () => {
    await withCluster({}, async (c) => {
      const report = await verify(c, { only: ['SC-008', 'SC-009', 'SC-010'], allowDisruptive: true });
      const r = result(report, 'SC-008');
      assert.equal(r.status, 'PASS', r.reason);
      assert.equal(r.target, '< 30s');
      const data = r.data as any;
      assert.equal(data.namespace, 'staging');
      assert.deepEqual(data.timeline.map((s: any) => s.step), ['killed', 'created', 'scheduled', 'image-pull', 'started', 'ready']);
      assert.deepEqual(writes(c), ['delete pods -n staging']);
      assert.ok(!c.mutatingRequests().some((x) => x.namespace === 'production'));
      assert.match(result(report, 'SC-009').details[0], /SC-008's kill of task-api-.* in staging/);
      assert.equal(result(report, 'SC-009').status, 'PASS');
    });
  });

  it('explains a miss with the replacement pod\'s timeline, naming the slowest step', async () => {
    await withCluster({ timings: { podOverrides: { 'staging/task-api': { pullMs: 1500, readyMs: 100 } } } }, async (c) => {
      const spec = specWith({ 'podKillRecovery: 30s': 'podKillRecovery: 1s' });
      const r = await one(c, 'SC-008', { allowDisruptive: true, spec });
      assert.equal(r.status, 'FAIL');
      assert.equal(r.target, '< 1s');
      assert.match(r.reason!, /^recovered after \d\.\ds, the target is 1s: the new pod task-api-\S+ spent \d\.\d s in ContainerCreating; slowest step: image pull \(1\.5 s, ghcr\.io\/panaversity\/task-api:1\.0\.0\)/);
      assert.equal((r.data as any).slowest, 'image-pull');
      assert.ok(r.details.some((d) => /image-pull pulled ghcr\.io\/panaversity\/task-api:1\.0\.0 in 1\.5 s/.test(d)), r.details.join('\n'));
      assert.ok(r.details.some((d) => d.startsWith('hint: the image was pulled at start')));
    });
  });

  it('names a slow readiness probe when that is what took the time', async () => {
    await withCluster({ timings: { podOverrides: { 'staging/task-api': { pullMs: 10, readyMs: 1500 } } } }, async (c) => {
      const r = await one(c, 'SC-008', { allowDisruptive: true, spec: specWith({ 'podKillRecovery: 30s': 'podKillRecovery: 1s' }) });
      assert.equal(r.status, 'FAIL');
      assert.match(r.reason!, /slowest step: readiness \(1\.5 s\)/);
    });
  });

  it('fails at its deadline when the Deployment does not come back', async () => {
    await withCluster({ timings: { podOverrides: { 'staging/task-api': { pullMs: 5000 } } } }, async (c) => {
      const r = await one(c, 'SC-008', { allowDisruptive: true, settings: { timeouts: { podKillMs: 400 } } });
      assert.equal(r.status, 'FAIL');
      assert.equal(r.actual, '> 0.4s');
      assert.match(r.reason!, /^Deployment staging\/task-api was not back at 3\/3 Ready pods 400 ms after the kill; the new pod task-api-\S+ is not Ready after \d+\.\d s: still pulling ghcr\.io\/panaversity\/task-api:1\.0\.0 \(\d+\.\d s so far\)$/);
    });
  });

  it('refuses namespaces outside the spec\'s chaos namespaces and the service\'s own namespace', async () => {
    await withCluster({}, async (c) => {
      const outside = await one(c, 'SC-008', { allowDisruptive: true, settings: { chaosNamespace: 'production' } });
      assert.deepEqual([outside.status, outside.reason], ['ERROR', 'refusing to kill a pod in production: it is not one of the spec\'s chaos namespaces (staging)']);
      const own = await one(c, 'SC-008', { allowDisruptive: true, spec: specWith({ 'chaosNamespaces: [staging]': 'chaosNamespaces: [production, staging]' }), settings: { chaosNamespace: 'production' } });
      assert.deepEqual([own.status, own.reason], ['ERROR', 'refusing to kill a pod in production: it is the service\'s production namespace']);
      assert.deepEqual(c.mutatingRequests(), []);
    });
  });

  it('refuses to kill a pod of a Deployment that is not healthy, and skips without one', async () => {
    await withCluster({}, async (c) => {
      c.store.mutate(T(c, 'Deployment', 'apps'), 'staging', 'task-api', (d) => (d.status.readyReplicas = 2));
      const r = await one(c, 'SC-008', { allowDisruptive: true });
      assert.deepEqual([r.status, r.actual], ['ERROR', '2/3 ready']);
      assert.match(r.reason!, /not at full readiness before the test \(2\/3 Ready\): refusing to kill a pod/);
      c.store.remove(T(c, 'Deployment', 'apps'), 'staging', 'task-api');
      const none = await one(c, 'SC-008', { allowDisruptive: true });
      assert.deepEqual([none.status, none.reason], ['SKIP', 'no task-api Deployment in staging to kill a pod of']);
      assert.deepEqual(c.mutatingRequests(), []);
    });
  });

  it('applies a copy of the workspace\'s PodChaos when asked, and deletes it afterwards', async () => {
    const manifest = YAML.parse(readFileSync(path.resolve(__dirname, '../../examples/task-api/task-api-podchaos.yaml'), 'utf8'));
    await withCluster({}, async (c) => {
      const r = await one(c, 'SC-008', { allowDisruptive: true, podChaos: manifest, settings: { podKill: { method: 'podchaos' } } });
      assert.equal(r.status, 'PASS', r.reason);
      assert.deepEqual(writes(c), ['create podchaos -n chaos-mesh', 'delete podchaos -n chaos-mesh']);
      const created = c.requests.find((x) => x.verb === 'create')!;
      assert.ok(created);
      assert.deepEqual(c.store.list(T(c, 'PodChaos', 'chaos-mesh.org'), 'chaos-mesh').map((p) => p.metadata.name), ['task-api-pod-kill']);
      assert.match((r.data as any).killedPod, /^task-api-/);
    });
  });
});
