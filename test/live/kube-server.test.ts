/** The loopback Kubernetes API server itself: protocol, auth, controllers, faults, lifecycle. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { describe, it } from 'node:test';
import { eventually, withCluster } from './helpers';
import { DEFAULT_TOKEN, startFakeCluster, type FakeCluster } from './kube-server';

interface Answer {
  status: number;
  text: string;
  json: any;
  headers: Record<string, unknown>;
}

function call(c: FakeCluster, method: string, path: string, opts: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${c.url}${path}`, {
      method,
      ca: readFileSync(c.caFile),
      headers: {
        ...(opts.token === null ? {} : { Authorization: `Bearer ${opts.token ?? DEFAULT_TOKEN}` }),
        ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
        ...(opts.headers ?? {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Opens a watch and collects its events until `stop` says so. */
function watch(c: FakeCluster, path: string, stop: (events: any[]) => boolean): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const req = https.request(`${c.url}${path}`, { ca: readFileSync(c.caFile), headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` } }, (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
        }
        if (stop(events)) {
          req.destroy();
          resolve(events);
        }
      });
      res.on('end', () => resolve(events));
      res.on('error', () => resolve(events));
    });
    req.on('error', (e) => (events.length ? resolve(events) : reject(e)));
    req.end();
  });
}

describe('loopback API server', () => {
  it('listens on 127.0.0.1 with HTTPS from a throwaway CA and answers discovery', async () => {
    await withCluster({}, async (c) => {
      assert.match(c.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const version = await call(c, 'GET', '/version', { token: null });
      assert.equal(version.status, 200);
      assert.match(version.json.gitVersion, /^v1\.\d+\.\d+$/);
      const apis = await call(c, 'GET', '/apis');
      const groups = apis.json.groups.map((g: any) => g.name);
      for (const g of ['apps', 'batch', 'autoscaling.k8s.io', 'velero.io', 'chaos-mesh.org']) assert.ok(groups.includes(g), g);
      const core = await call(c, 'GET', '/api/v1');
      const pods = core.json.resources.find((r: any) => r.name === 'pods');
      assert.deepEqual([pods.kind, pods.namespaced, pods.shortNames], ['Pod', true, ['po']]);
      const velero = await call(c, 'GET', '/apis/velero.io/v1');
      assert.deepEqual(velero.json.resources.filter((r: any) => !r.name.includes('/')).map((r: any) => r.kind).sort(), ['Backup', 'BackupStorageLocation', 'Restore', 'Schedule']);
      const oa = await call(c, 'GET', '/openapi/v3/apis/apps/v1');
      const patch = oa.json.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
      assert.ok(patch.parameters.some((p: any) => p.name === 'fieldValidation'));
      assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    });
  });

  it('leaves out a disabled API group (a CRD that is not installed)', async () => {
    await withCluster({ disabledGroups: ['velero.io'] }, async (c) => {
      const apis = await call(c, 'GET', '/apis');
      assert.ok(!apis.json.groups.some((g: any) => g.name === 'velero.io'));
      assert.equal((await call(c, 'GET', '/apis/velero.io/v1/namespaces/velero/schedules')).status, 404);
    });
  });

  it('demands a bearer token (401) and answers 403 per resource as configured', async () => {
    await withCluster({ authz: [{ verb: 'list', resource: 'pods', namespace: 'production', status: 403 }] }, async (c) => {
      const none = await call(c, 'GET', '/api/v1/namespaces/production/pods', { token: null });
      assert.equal(none.status, 401);
      assert.equal(none.json.reason, 'Unauthorized');
      assert.equal((await call(c, 'GET', '/api/v1/namespaces/production/pods', { token: 'wrong' })).status, 401);
      const denied = await call(c, 'GET', '/api/v1/namespaces/production/pods');
      assert.equal(denied.status, 403);
      assert.equal(denied.json.message, 'pods is forbidden: User "system:serviceaccount:opex:verifier" cannot list resource "pods" in API group "" in the namespace "production"');
      assert.equal((await call(c, 'GET', '/api/v1/namespaces/staging/pods')).status, 200);
    });
  });

  it('loads the fixtures as real objects: pods from the Deployment, Velero and VPA status', async () => {
    await withCluster({}, async (c) => {
      const pods = await call(c, 'GET', '/api/v1/namespaces/production/pods?labelSelector=app%3Dtask-api');
      assert.equal(pods.json.kind, 'PodList');
      assert.equal(pods.json.items.length, 3);
      const p = pods.json.items[0];
      assert.equal(p.metadata.labels['cost-center'], 'engineering');
      assert.match(p.metadata.labels['pod-template-hash'], /^[bcdfghjklmnpqrstvwxz2456789]+$/);
      assert.equal(p.metadata.ownerReferences[0].kind, 'ReplicaSet');
      assert.ok(p.status.conditions.some((x: any) => x.type === 'Ready' && x.status === 'True'));
      const schedule = await call(c, 'GET', '/apis/velero.io/v1/namespaces/velero/schedules/task-api-production-daily');
      assert.equal(schedule.json.spec.template.ttl, '720h0m0s');
      assert.match(schedule.json.status.lastBackup, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const age = (Date.now() - new Date(schedule.json.status.lastBackup).getTime()) / 3600_000;
      assert.ok(age > 8.7 && age < 8.8, `last backup is 8h45m old at start, got ${age}h`);
      const backups = await call(c, 'GET', '/apis/velero.io/v1/namespaces/velero/backups?labelSelector=velero.io%2Fschedule-name%3Dtask-api-production-daily');
      assert.equal(backups.json.items.length, 3);
      assert.equal(backups.json.items[0].status.hookStatus.hooksFailed, undefined, 'Velero omits hooksFailed when it is 0');
      const vpa = await call(c, 'GET', '/apis/autoscaling.k8s.io/v1/namespaces/production/verticalpodautoscalers/task-api-vpa');
      assert.equal(vpa.json.status.recommendation.containerRecommendations[0].target.memory, '471859200');
    });
  });

  it('selects by label (=, !=, in, notin, exists) and field', async () => {
    await withCluster({}, async (c) => {
      const q = async (sel: string) => (await call(c, 'GET', `/api/v1/namespaces/production/pods?labelSelector=${encodeURIComponent(sel)}`)).json.items.length;
      assert.equal(await q('app=task-api,team=product-team'), 3);
      assert.equal(await q('app!=task-api'), 1);
      assert.equal(await q('app in (postgres,nothing)'), 1);
      assert.equal(await q('app notin (postgres)'), 3);
      assert.equal(await q('!pod-template-hash'), 1);
      const name = (await call(c, 'GET', '/api/v1/namespaces/production/pods?labelSelector=app%3Dpostgres')).json.items[0].metadata.name;
      const byField = await call(c, 'GET', `/api/v1/namespaces/production/pods?fieldSelector=metadata.name%3D${name}`);
      assert.deepEqual(byField.json.items.map((i: any) => i.metadata.name), ['postgres-0']);
    });
  });

  it('creates, patches (merge, strategic, JSON patch, apply) and deletes, with real error answers', async () => {
    await withCluster({}, async (c) => {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'staging' }, data: { a: '1' } };
      assert.equal((await call(c, 'POST', '/api/v1/namespaces/staging/configmaps', { body: cm })).status, 201);
      const again = await call(c, 'POST', '/api/v1/namespaces/staging/configmaps', { body: cm });
      assert.deepEqual([again.status, again.json.reason, again.json.message], [409, 'AlreadyExists', 'configmaps "settings" already exists']);
      const nowhere = await call(c, 'POST', '/api/v1/namespaces/nowhere/configmaps', { body: { ...cm, metadata: { name: 'x' } } });
      assert.deepEqual([nowhere.status, nowhere.json.message], [404, 'namespaces "nowhere" not found']);
      const merged = await call(c, 'PATCH', '/api/v1/namespaces/staging/configmaps/settings', { body: { data: { b: '2', a: null } }, headers: { 'Content-Type': 'application/merge-patch+json' } });
      assert.deepEqual(merged.json.data, { b: '2' });
      const jp = await call(c, 'PATCH', '/api/v1/namespaces/staging/configmaps/settings', { body: [{ op: 'add', path: '/data/c', value: '3' }], headers: { 'Content-Type': 'application/json-patch+json' } });
      assert.deepEqual(jp.json.data, { b: '2', c: '3' });
      const smp = await call(c, 'PATCH', '/apis/apps/v1/namespaces/staging/deployments/task-api', {
        body: { spec: { template: { spec: { containers: [{ name: 'task-api', image: 'ghcr.io/panaversity/task-api:1.0.1' }] } } } },
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      });
      const container = smp.json.spec.template.spec.containers[0];
      assert.equal(container.image, 'ghcr.io/panaversity/task-api:1.0.1');
      assert.equal(container.ports[0].containerPort, 8000, 'strategic merge keeps the other fields of the container merged by name');
      assert.equal(smp.json.metadata.generation, 2);
      const apply = await call(c, 'PATCH', '/api/v1/namespaces/staging/configmaps/applied?fieldManager=test', {
        body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n', headers: { 'Content-Type': 'application/apply-patch+yaml' },
      });
      assert.deepEqual([apply.status, apply.json.data], [201, { k: 'v' }]);
      const del = await call(c, 'DELETE', '/api/v1/namespaces/staging/configmaps/settings');
      assert.equal(del.json.status, 'Success');
      assert.equal((await call(c, 'GET', '/api/v1/namespaces/staging/configmaps/settings')).status, 404);
      assert.deepEqual(c.mutatingRequests().map((r) => r.verb), ['create', 'create', 'create', 'patch', 'patch', 'patch', 'patch', 'delete']);
    });
  });

  it('serves tables for kubectl get', async () => {
    await withCluster({}, async (c) => {
      const t = await call(c, 'GET', '/apis/autoscaling.k8s.io/v1/namespaces/production/verticalpodautoscalers', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
      assert.equal(t.json.kind, 'Table');
      assert.deepEqual(t.json.columnDefinitions.map((d: any) => d.name), ['Name', 'Mode', 'CPU', 'Mem', 'Provided', 'Age']);
      assert.deepEqual(t.json.rows[0].cells.slice(0, 5), ['task-api-vpa', 'Off', '180m', '471859200', 'True']);
    });
  });

  it('watches from a resourceVersion with chunked JSON lines, and replaces a deleted pod through its timeline', async () => {
    await withCluster({ timings: { pod: { scheduleMs: 10, pullMs: 40, readyMs: 30 } } }, async (c) => {
      const list = await call(c, 'GET', '/api/v1/namespaces/staging/pods?labelSelector=app%3Dtask-api');
      const victim = list.json.items[0].metadata.name;
      const rv = list.json.metadata.resourceVersion;
      const seen = watch(c, `/api/v1/namespaces/staging/pods?watch=1&labelSelector=app%3Dtask-api&resourceVersion=${rv}`, (evs) =>
        evs.some((e) => e.type === 'MODIFIED' && e.object.metadata.name !== victim && e.object.status.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')));
      const del = await call(c, 'DELETE', `/api/v1/namespaces/staging/pods/${victim}`, { body: { gracePeriodSeconds: 0 } });
      assert.equal(del.status, 200);
      const events = await seen;
      assert.equal(events[0].type, 'DELETED');
      assert.equal(events[0].object.metadata.name, victim);
      assert.equal(events[1].type, 'ADDED');
      assert.equal(events[1].object.status.phase, 'Pending');
      const replacement = events[1].object.metadata.name;
      const kinds = (await call(c, 'GET', `/api/v1/namespaces/staging/events?fieldSelector=involvedObject.name%3D${replacement}`)).json.items.map((e: any) => e.reason);
      assert.deepEqual(kinds, ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
      const dep = (await call(c, 'GET', '/apis/apps/v1/namespaces/staging/deployments/task-api')).json;
      await eventually(() => c.store.get(c.registry.anyByKind('Deployment', 'apps')!, 'staging', 'task-api').status.readyReplicas === 3, 2000, 'readyReplicas 3');
      assert.equal(dep.spec.replicas, 3);
    });
  });

  it('answers 410 Gone for a watch from a compacted resourceVersion', async () => {
    await withCluster({}, async (c) => {
      const events = await watch(c, '/api/v1/namespaces/staging/pods?watch=true&resourceVersion=1', () => false);
      assert.equal(events[0].type, 'ERROR');
      assert.equal(events[0].object.code, 410);
    });
  });

  it('runs a Velero restore New → InProgress → Completed into the mapped namespace, or fails validation', async () => {
    await withCluster({ timings: { restore: { newMs: 20, runMs: 60 } } }, async (c) => {
      const restore = (name: string, backupName: string) => ({
        apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { name, namespace: 'velero' },
        spec: { backupName, includedNamespaces: ['production'], namespaceMapping: { production: 'restore-test' } },
      });
      const phases: string[] = [];
      const done = watch(c, '/apis/velero.io/v1/namespaces/velero/restores?watch=1&fieldSelector=metadata.name%3Dr1', (evs) => {
        const last = evs[evs.length - 1]?.object?.status?.phase;
        if (last && phases[phases.length - 1] !== last) phases.push(last);
        return last === 'Completed';
      });
      assert.equal((await call(c, 'POST', '/apis/velero.io/v1/namespaces/velero/restores', { body: restore('r1', 'task-api-production-daily-20251230020000') })).status, 201);
      await done;
      assert.deepEqual(phases, ['New', 'InProgress', 'Completed']);
      const copy = await call(c, 'GET', '/apis/apps/v1/namespaces/restore-test/deployments/task-api');
      assert.equal(copy.json.metadata.labels['velero.io/restore-name'], 'r1');
      await call(c, 'POST', '/apis/velero.io/v1/namespaces/velero/restores', { body: restore('r2', 'no-such-backup') });
      await eventually(() => c.store.get(c.registry.anyByKind('Restore', 'velero.io')!, 'velero', 'r2')?.status?.phase === 'FailedValidation', 2000, 'FailedValidation');
    });
  });

  it('injects faults: 500s, slow answers, truncated JSON, dropped connections', async () => {
    await withCluster({}, async (c) => {
      c.faults.push({ path: '/api/v1/namespaces/production/pods', action: 'status', status: 500, times: 1 });
      assert.equal((await call(c, 'GET', '/api/v1/namespaces/production/pods')).status, 500);
      assert.equal((await call(c, 'GET', '/api/v1/namespaces/production/pods')).status, 200, 'times: 1 applies once');
      c.faults.push({ resource: 'services', action: 'truncate', times: 1 });
      const cut = await call(c, 'GET', '/api/v1/namespaces/production/services');
      assert.equal(cut.status, 200);
      assert.equal(cut.json, undefined, 'the body is half a JSON document');
      c.faults.push({ verb: 'get', resource: 'namespaces', action: 'delay', ms: 150, times: 1 });
      const t0 = Date.now();
      assert.equal((await call(c, 'GET', '/api/v1/namespaces/production')).status, 200);
      assert.ok(Date.now() - t0 >= 140);
      c.faults.push({ resource: 'deployments', action: 'drop', times: 1 });
      await assert.rejects(call(c, 'GET', '/apis/apps/v1/namespaces/production/deployments'), /socket hang up|ECONNRESET/);
    });
  });

  it('stops by itself after the idle timeout, and vanish() cuts open watches', async () => {
    const c = await startFakeCluster({ idleTimeoutMs: 150 });
    await c.stopped;
    await assert.rejects(call(c, 'GET', '/version'), /ECONNREFUSED/);
    const d = await startFakeCluster({ unref: true });
    const open = watch(d, '/api/v1/namespaces/staging/pods?watch=1', () => false);
    await eventually(() => d.requests.some((r) => r.verb === 'watch'), 2000, 'the watch');
    await d.vanish();
    const events = await open;
    assert.ok(events.length >= 3, 'the watch got the initial ADDED events before the cut');
    await d.stop();
  });
});
