/**
 * The project's loopback Kubernetes API server (test/live/kube-server) with the chapter's task-api cluster, and one
 * criterion broken on the cluster: the Velero Schedule keeps backups 240h while the spec asks for 720h (SC-005).
 * Used by the extension-host suite (inside the extension host) and by the UI tests (in the runner).
 */
import * as path from 'node:path';
import { startFakeCluster, type FakeCluster } from '../../live/kube-server';

/** The cluster fixtures, from the bundle's place (test/e2e/out/suite) or the source's (test/e2e/lib). */
const FIXTURES = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../../fixtures/cluster/task-api' : '../../fixtures/cluster/task-api');

export const BROKEN_CRITERION = 'SC-005';

export async function startBrokenCluster(): Promise<FakeCluster> {
  const cluster = await startFakeCluster({ fixtures: FIXTURES, unref: true, idleTimeoutMs: 15 * 60_000 });
  cluster.store.mutate(cluster.registry.anyByKind('Schedule', 'velero.io')!, 'velero', 'task-api-production-daily', (s) => (s.spec.template.ttl = '240h0m0s'));
  return cluster;
}
