/**
 * `npm run demo:cluster`: a loopback Kubernetes API server with the chapter's task-api cluster loaded
 * (production and staging, Velero Schedule and backups, VPA with a recommendation, Chaos Mesh, OpenCost and
 * Prometheus behind the service proxy), so `opex verify` and the side panel can be tried without a cluster.
 * Replacement pods take about 4 s (the chapter's Game Day), a restore about 10 s.
 *
 *   npm run demo:cluster [-- --port 6443] [--kubeconfig FILE] [--idle 30m]
 */
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseHumanDuration } from '../server/engine/duration';
import { startFakeCluster } from '../test/live/kube-server';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      idle: { type: 'string', default: '30m' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run demo:cluster [-- --port N] [--kubeconfig FILE] [--idle 30m]\n');
    return 0;
  }
  const idle = parseHumanDuration(values.idle ?? '30m');
  if (!idle || idle <= 0) {
    process.stderr.write(`demo:cluster: --idle ${values.idle}: give a duration such as 30m\n`);
    return 2;
  }
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`demo:cluster: --port ${values.port}: not a port number\n`);
    return 2;
  }
  const cluster = await startFakeCluster({
    port,
    idleTimeoutMs: idle * 1000,
    timings: {
      pod: { scheduleMs: 250, pullMs: 1800, imagePresent: false, initMs: 500, startMs: 400, readyMs: 1500 },
      replaceDelayMs: 100,
      terminationMs: 2000,
      namespaceDeleteMs: 1500,
      restore: { newMs: 1000, runMs: 9000, outcome: 'Completed' },
      chaosInjectMs: 500,
    },
  });
  let kubeconfig = cluster.kubeconfigPath;
  if (values.kubeconfig) {
    kubeconfig = path.resolve(values.kubeconfig);
    copyFileSync(cluster.kubeconfigPath, kubeconfig);
  }
  const spec = path.relative(process.cwd(), path.resolve(__dirname, '../examples/task-api/task-api-opex-spec.md')) || 'examples/task-api/task-api-opex-spec.md';
  process.stdout.write(`opex demo cluster at ${cluster.url}: the chapter's task-api (namespaces production, staging,
velero, monitoring, opencost, chaos-mesh), listening on 127.0.0.1 only.

kubeconfig: ${kubeconfig}
  (context opex-loopback, a bearer token, a throwaway CA made for this run)

Try:
  export KUBECONFIG=${kubeconfig}
  kubectl get pods -n production
  node bin/opex.js verify --spec ${spec}
  node bin/opex.js verify --spec ${spec} --allow-disruptive
    (SC-007 restores into a scratch namespace, SC-008 kills a pod in staging;
     SC-009/SC-010 then wait 30 s for Prometheus, as against a real cluster)

The editor's live checks read the same kubeconfig (start VS Code with KUBECONFIG
set as above). The server stops after ${values.idle} without requests, or with Ctrl-C.
`);
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await cluster.stopped;
  process.stdout.write('opex demo cluster stopped (idle).\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`demo:cluster: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
