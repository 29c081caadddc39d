/** When the cluster misbehaves: it vanishes mid-run, rejects the credentials, stalls, cuts answers, errs; and cancellation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSpec } from '../../server/engine/spec/load';
import { LiveError } from '../../server/live/errors';
import { listContexts } from '../../server/live/kube';
import { runChecks } from '../../server/live/run';
import { one, result, TEST_SPEC, verify, withCluster } from './helpers';

describe('faults', () => {
  it('the cluster vanishing mid-run: earlier checks keep their result, the rest report it at once', async () => {
    await withCluster({}, async (c) => {
      const t0 = Date.now();
      const report = await verify(c, {
        onProgress: (e) => {
          if (e.kind === 'check-start' && e.id === 'SC-004') void c.vanish();
        },
      });
      assert.ok(Date.now() - t0 < 8000, `no hang (${Date.now() - t0} ms)`);
      assert.deepEqual(report.results.slice(0, 3).map((r) => r.status), ['PASS', 'PASS', 'PASS']);
      const s4 = result(report, 'SC-004');
      assert.equal(s4.status, 'ERROR');
      assert.match(s4.reason!, /^cluster unreachable while trying to (discover API groups|list schedules\.velero\.io in velero): (ECONNREFUSED|ECONNRESET)/);
      for (const id of ['SC-005', 'SC-006', 'SC-009', 'SC-010'] as const) {
        assert.equal(result(report, id).status, 'ERROR');
        assert.match(result(report, id).reason!, /^cluster unreachable \(see SC-004\)/);
      }
    });
  });

  it('the cluster vanishing during SC-008\'s watch: an error, no hang, and SC-009 measures nothing', async () => {
    await withCluster({ timings: { podOverrides: { 'staging/task-api': { pullMs: 10_000 } } } }, async (c) => {
      const t0 = Date.now();
      const report = await verify(c, {
        only: ['SC-008', 'SC-009'],
        allowDisruptive: true,
        onProgress: (e) => {
          if (e.kind === 'check-step' && /created$/.test(e.message)) void c.vanish();
        },
      });
      assert.ok(Date.now() - t0 < 8000, `no hang (${Date.now() - t0} ms)`);
      const r = result(report, 'SC-008');
      assert.equal(r.status, 'ERROR');
      assert.match(r.reason!, /^cluster unreachable while trying to (watch pods in staging|list pods in staging|list events in staging)/);
      assert.match(result(report, 'SC-009').reason!, /^cluster unreachable \(see SC-008\)/);
    });
  });

  it('wrong credentials: 401 on every check, with a clear reason', async () => {
    await withCluster({}, async (c) => {
      const kubeconfig = c.writeKubeconfig({ token: 'expired-token', context: 'stale' });
      const report = await verify(c, { kubeconfig, only: ['SC-001', 'SC-004'] });
      for (const r of report.results) {
        assert.equal(r.status, 'ERROR');
        assert.match(r.reason!, /^401 Unauthorized: the cluster rejected the credentials/);
      }
      assert.equal(report.cluster.context, 'stale');
    });
  });

  it('a request that never gets an answer times out; the next checks go on', async () => {
    await withCluster({ faults: [{ resource: 'deployments', namespace: 'production', action: 'hang', times: 1 }] }, async (c) => {
      const report = await verify(c, { only: ['SC-001', 'SC-005'], settings: { timeouts: { requestMs: 300 } } });
      assert.equal(result(report, 'SC-001').status, 'ERROR');
      assert.equal(result(report, 'SC-001').reason, 'no answer within 300 ms while trying to list deployments in production');
      assert.equal(result(report, 'SC-005').status, 'PASS');
    });
  });

  it('slow answers within the timeout are fine', async () => {
    await withCluster({ faults: [{ resource: 'pods', action: 'delay', ms: 200 }] }, async (c) => {
      const r = await one(c, 'SC-001', { settings: { timeouts: { requestMs: 2000 } } });
      assert.equal(r.status, 'PASS');
      assert.ok(r.durationMs >= 200);
    });
  });

  it('truncated JSON and 500s are errors that say so', async () => {
    await withCluster({ faults: [{ resource: 'pods', action: 'truncate', times: 1 }, { resource: 'verticalpodautoscalers', action: 'status', status: 500 }] }, async (c) => {
      const report = await verify(c, { only: ['SC-001', 'SC-003'] });
      assert.deepEqual(report.results.map((r) => r.status), ['ERROR', 'ERROR']);
      assert.match(result(report, 'SC-001').reason!, /^the API server's answer was not valid JSON while trying to list pods in production/);
      assert.match(result(report, 'SC-003').reason!, /^500 from the API server while trying to list verticalpodautoscalers\.autoscaling\.k8s\.io in production: Internal error occurred/);
    });
  });

  it('a dropped connection is an unreachable cluster', async () => {
    await withCluster({ faults: [{ resource: 'deployments', action: 'drop' }] }, async (c) => {
      const r = await one(c, 'SC-001');
      assert.equal(r.status, 'ERROR');
      assert.match(r.reason!, /^cluster unreachable while trying to list deployments in production/);
    });
  });

  it('cancelling aborts the request in flight and skips the rest', async () => {
    await withCluster({ faults: [{ resource: 'deployments', action: 'hang' }] }, async (c) => {
      const ac = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ac.abort(), 150);
      const report = await verify(c, { only: ['SC-001', 'SC-004'], signal: ac.signal, settings: { timeouts: { requestMs: 10_000 } } });
      assert.ok(Date.now() - t0 < 3000, 'the hung request is abandoned at once');
      assert.equal(result(report, 'SC-001').status, 'ERROR');
      assert.match(result(report, 'SC-001').reason!, /^cancelled while trying to list deployments in production/);
      assert.deepEqual([result(report, 'SC-004').status, result(report, 'SC-004').reason], ['SKIP', 'cancelled']);
      assert.equal(report.cancelled, true);
    });
  });

  it('an unknown context or an unreadable kubeconfig is a configuration error before any request', async () => {
    await withCluster({}, async (c) => {
      const spec = loadSpec('/opex-test/opex.yaml', TEST_SPEC);
      await assert.rejects(runChecks({ spec, kubeconfig: c.kubeconfigPath, context: 'nope' }), (e: unknown) => {
        assert.ok(e instanceof LiveError);
        assert.equal(e.kind, 'config');
        assert.equal(e.message, 'the kubeconfig has no context "nope" (contexts: opex-loopback)');
        return true;
      });
      await assert.rejects(runChecks({ spec, kubeconfig: '/nonexistent/kubeconfig' }), /cannot read the kubeconfig \/nonexistent\/kubeconfig/);
      assert.equal(c.requests.length, 0);
    });
  });

  it('lists the kubeconfig\'s contexts for a picker', async () => {
    await withCluster({}, async (c) => {
      assert.deepEqual(await listContexts(c.kubeconfigPath), [{ name: 'opex-loopback', cluster: 'opex-loopback', server: c.url, namespace: 'production', current: true }]);
      await assert.rejects(listContexts('/nonexistent/kubeconfig'), /cannot read the kubeconfig/);
    });
  });

  it('TLS: a server whose certificate the kubeconfig does not trust is reported as such', async () => {
    await withCluster({}, async (c) => {
      const { readFileSync, writeFileSync } = await import('node:fs');
      const text = readFileSync(c.kubeconfigPath, 'utf8').replace(/certificate-authority-data: .*/, 'certificate-authority-data: ""');
      const file = c.kubeconfigPath.replace(/\.yaml$/, '-untrusted.yaml');
      writeFileSync(file, text);
      const r = await one(c, 'SC-001', { kubeconfig: file });
      assert.equal(r.status, 'ERROR');
      assert.match(r.reason!, /TLS error talking to the API server \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    });
  });
});
