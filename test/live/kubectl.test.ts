/**
 * Conformance: the real kubectl against the loopback server, with a generated kubeconfig (bearer token over
 * HTTPS with the throwaway CA), so the server follows the protocol kubectl speaks and not our client's habits.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { eventually } from './helpers';
import { startFakeCluster, type FakeCluster } from './kube-server';

const KUBECTL = process.env.OPEX_KUBECTL ?? '/usr/bin/kubectl';
const run = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../examples/task-api');

describe('kubectl against the loopback server', () => {
  let cluster: FakeCluster;
  let home: string;
  const kubectl = async (...args: string[]) => {
    const { stdout, stderr } = await run(KUBECTL, ['--cache-dir', path.join(home, 'cache'), '--request-timeout', '20s', ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: cluster.kubeconfigPath },
      timeout: 60_000,
    });
    return { stdout, stderr };
  };

  before(async () => {
    assert.ok(existsSync(KUBECTL), `kubectl is needed at ${KUBECTL} (set OPEX_KUBECTL, or install it: .ci/run does)`);
    cluster = await startFakeCluster({ unref: true });
    home = mkdtempSync(path.join(tmpdir(), 'opex-kubectl-home-'));
  });
  after(async () => {
    await cluster.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('kubectl get pods -n production -l app=task-api -o json', async () => {
    const { stdout } = await kubectl('get', 'pods', '-n', 'production', '-l', 'app=task-api', '-o', 'json');
    const list = JSON.parse(stdout);
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 3);
    for (const p of list.items) {
      assert.equal(p.kind, 'Pod');
      assert.deepEqual(
        Object.fromEntries(['team', 'app', 'environment', 'cost-center'].map((k) => [k, p.metadata.labels[k]])),
        { team: 'product-team', app: 'task-api', environment: 'production', 'cost-center': 'engineering' },
      );
    }
    const sent = cluster.requests.filter((r) => r.resource === 'pods');
    assert.ok(sent.every((r) => r.user !== ''), 'kubectl authenticated with the bearer token');
    assert.equal(sent[0].query.labelSelector, 'app=task-api');
  });

  it('kubectl get vpa -n production (short name, server-side table)', async () => {
    const { stdout } = await kubectl('get', 'vpa', '-n', 'production');
    const [header, row] = stdout.trim().split('\n');
    assert.deepEqual(header.split(/\s+/), ['NAME', 'MODE', 'CPU', 'MEM', 'PROVIDED', 'AGE']);
    assert.deepEqual(row.split(/\s+/).slice(0, 5), ['task-api-vpa', 'Off', '180m', '471859200', 'True']);
  });

  it('kubectl apply -f an example manifest: created, then unchanged, then configured', async () => {
    const file = path.join(EXAMPLES, 'task-api-podchaos.yaml');
    assert.match((await kubectl('apply', '-f', file)).stdout, /^podchaos\.chaos-mesh\.org\/task-api-pod-kill (configured|unchanged|created)\n$/);
    cluster.store.remove(cluster.registry.anyByKind('PodChaos', 'chaos-mesh.org')!, 'chaos-mesh', 'task-api-pod-kill');
    assert.equal((await kubectl('apply', '-f', file)).stdout, 'podchaos.chaos-mesh.org/task-api-pod-kill created\n');
    assert.equal((await kubectl('apply', '-f', file)).stdout, 'podchaos.chaos-mesh.org/task-api-pod-kill unchanged\n');
    const stored = cluster.store.get(cluster.registry.anyByKind('PodChaos', 'chaos-mesh.org')!, 'chaos-mesh', 'task-api-pod-kill');
    assert.equal(stored.spec.mode, 'one');
    assert.ok(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const deployment = path.join(EXAMPLES, 'task-api-deployment.yaml');
    const out = (await kubectl('apply', '-f', deployment)).stdout;
    assert.match(out, /deployment\.apps\/task-api (configured|unchanged)\n/);
    assert.match(out, /service\/task-api (configured|unchanged)\n/);
    assert.ok(cluster.requests.some((r) => r.verb === 'create' && r.resource === 'podchaos' && r.query.fieldValidation === 'Strict'), 'server-side field validation chosen from the OpenAPI v3 document');
  });

  it('kubectl delete pod waits for the pod to go; its ReplicaSet replaces it', async () => {
    const podType = cluster.registry.anyByKind('Pod')!;
    const before = cluster.store.list(podType, 'staging').map((p) => p.metadata.name);
    const victim = before[0];
    const { stdout } = await kubectl('delete', 'pod', '-n', 'staging', victim);
    assert.equal(stdout, `pod "${victim}" deleted\n`);
    assert.ok(!cluster.store.has(podType, 'staging', victim));
    assert.ok(cluster.requests.some((r) => r.verb === 'watch' && r.query.fieldSelector === `metadata.name=${victim}`), 'kubectl watched for the deletion');
    await eventually(() => cluster.store.list(podType, 'staging').filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length === 3, 5000, '3 Ready pods again');
  });
});
