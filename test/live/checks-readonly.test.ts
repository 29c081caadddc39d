/** The read-only checks (SC-001…SC-006, SC-009, SC-010) against the loopback cluster: PASS, FAIL, SKIP, ERROR. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SPEC } from '../../server/engine/testing';
import { one, specWith, verify, withCluster } from './helpers';
import type { FakeCluster } from './kube-server';

const T = (c: FakeCluster, kind: string, group = '') => c.registry.anyByKind(kind, group)!;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('read-only checks', () => {
  it('pass on the task-api cluster and send no mutating request at all', async () => {
    await withCluster({}, async (c) => {
      const report = await verify(c);
      assert.deepEqual(report.results.map((r) => `${r.id} ${r.status}`), [
        'SC-001 PASS', 'SC-002 PASS', 'SC-003 PASS', 'SC-004 PASS', 'SC-005 PASS', 'SC-006 PASS',
        'SC-007 SKIP', 'SC-008 SKIP', 'SC-009 PASS', 'SC-010 PASS',
      ]);
      assert.match(report.results[6].reason!, /--allow-disruptive/);
      assert.deepEqual(c.mutatingRequests(), []);
      assert.ok(c.requests.every((r) => r.method === 'GET'), 'only GETs');
      assert.deepEqual(c.requests.filter((r) => !r.userAgent.startsWith('opex-verify')).map((r) => `${r.path} ${r.userAgent}`), [], 'every request says who sends it');
      assert.equal(report.summary.pass, 8);
      assert.equal(report.cluster.version, 'v1.32.4');
    });
  });

  describe('SC-001 cost labels', () => {
    it('passes with the chapter\'s target and actual', async () => {
      await withCluster({}, async (c) => {
        const r = await one(c, 'SC-001');
        assert.deepEqual([r.status, r.target, r.actual], ['PASS', '4 labels', '4 labels']);
        assert.deepEqual(r.objects, [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'production', name: 'task-api' }]);
        assert.ok(r.spec?.fields.some((f) => f.field === 'costLabels'));
      });
    });

    it('fails naming the pods that lack a label or carry a wrong value', async () => {
      await withCluster({}, async (c) => {
        const pods = c.store.list(T(c, 'Pod'), 'production').filter((p) => p.metadata.labels.app === 'task-api');
        c.store.mutate(T(c, 'Pod'), 'production', pods[0].metadata.name, (p) => delete p.metadata.labels['cost-center']);
        c.store.mutate(T(c, 'Pod'), 'production', pods[1].metadata.name, (p) => (p.metadata.labels.team = 'platform'));
        const r = await one(c, 'SC-001');
        assert.equal(r.status, 'FAIL');
        assert.equal(r.actual, '3 labels');
        assert.match(r.reason!, /^2 of 3 pods lack or mislabel cost-center, team/);
        assert.ok(r.details.includes(`pod ${pods[0].metadata.name} (Deployment task-api) lacks cost-center`), r.details.join('\n'));
        assert.ok(r.details.includes(`pod ${pods[1].metadata.name} (Deployment task-api) has team=platform (spec: product-team)`));
        const data = r.data as any;
        assert.deepEqual(data.pods.find((p: any) => p.name === pods[0].metadata.name).missing, ['cost-center']);
      });
    });

    it('fails when the service has no pods in the namespace', async () => {
      await withCluster({}, async (c) => {
        const r = await one(c, 'SC-001', { spec: specWith({ 'namespace: production': 'namespace: default' }) });
        assert.equal(r.status, 'FAIL');
        assert.match(r.reason!, /no running pods of task-api in default to check \(no Deployment or StatefulSet with app=task-api\)/);
      });
    });

    it('errors with the verb, resource and namespace on a 403', async () => {
      await withCluster({ authz: [{ verb: 'list', resource: 'pods', namespace: 'production', status: 403 }] }, async (c) => {
        const r = await one(c, 'SC-001');
        assert.equal(r.status, 'ERROR');
        assert.equal(r.reason, '403: cannot list pods in production');
        assert.match(r.details[0], /^server: pods is forbidden: User "system:serviceaccount:opex:verifier" cannot list resource "pods"/);
      });
    });

    it('is skipped when the spec states no SC-001', async () => {
      await withCluster({}, async (c) => {
        const r = await one(c, 'SC-001', { spec: TEST_SPEC.replace(/^costLabels:.*\n/m, '') });
        assert.deepEqual([r.status, r.reason], ['SKIP', 'the spec states no SC-001']);
      });
    });
  });

  describe('SC-002 OpenCost', () => {
    it('passes through the service proxy with window=1d and aggregate=label:team', async () => {
      await withCluster({}, async (c) => {
        const r = await one(c, 'SC-002');
        assert.deepEqual([r.status, r.actual], ['PASS', 'Returns data']);
        assert.ok(r.details.some((d) => d.includes('product-team: $0.0781 over 1d')));
        const proxied = c.requests.find((x) => x.subresource === 'proxy')!;
        assert.equal(proxied.path, '/api/v1/namespaces/opencost/services/opencost:9003/proxy/allocation/compute');
        assert.deepEqual(proxied.query, { window: '1d', aggregate: 'label:team' });
      });
    });

    it('fails when OpenCost has no allocation for the team', async () => {
      await withCluster({}, async (c) => {
        const backend = c.proxies['opencost/opencost'] as any;
        backend.allocation = { code: 200, status: 'success', data: [{ __unallocated__: { name: '__unallocated__', totalCost: 1.2 } }] };
        const r = await one(c, 'SC-002');
        assert.equal(r.status, 'FAIL');
        assert.match(r.reason!, /no allocation for team=product-team over 1d \(it reports: __unallocated__\)/);
      });
    });

    it('is skipped without an OpenCost service, and uses the configured one', async () => {
      await withCluster({}, async (c) => {
        c.store.remove(T(c, 'Service'), 'opencost', 'opencost');
        const r = await one(c, 'SC-002');
        assert.equal(r.status, 'SKIP');
        assert.match(r.reason!, /^no OpenCost service \(looked for opencost\/opencost, monitoring\/opencost/);
        const configured = await one(c, 'SC-002', { spec: `${TEST_SPEC}live:\n  opencost: {service: finops/cost-api:9003}\n` });
        assert.equal(configured.status, 'SKIP');
        assert.match(configured.reason!, /no OpenCost service finops\/cost-api:9003/);
      });
    });

    it('errors when the proxy has no endpoint or the answer is cut', async () => {
      await withCluster({}, async (c) => {
        const backend = c.proxies['opencost/opencost'];
        delete c.proxies['opencost/opencost'];
        const down = await one(c, 'SC-002');
        assert.equal(down.status, 'ERROR');
        assert.match(down.reason!, /503 from the service proxy to opencost\/opencost:9003: no endpoints available .*is OpenCost running/);
        c.proxies['opencost/opencost'] = backend;
        c.faults.push({ resource: 'services/proxy', action: 'truncate' });
        const cut = await one(c, 'SC-002');
        assert.equal(cut.status, 'ERROR');
        assert.match(cut.reason!, /OpenCost's answer is not valid JSON/);
      });
    });
  });

  describe('SC-003 VPA', () => {
    it('passes, reporting the target against the current requests (memory given in bytes)', async () => {
      await withCluster({}, async (c) => {
        const r = await one(c, 'SC-003');
        assert.deepEqual([r.status, r.target, r.actual], ['PASS', 'Available', 'Available']);
        assert.match(r.details[0], /^task-api \(VPA task-api-vpa\): target cpu 180m, memory 450Mi; requests cpu 250m, memory 512Mi/);
      });
    });

    it('fails without a recommendation, but skips while the VPA is younger than the spec allows', async () => {
      await withCluster({}, async (c) => {
        c.store.mutate(T(c, 'VerticalPodAutoscaler', 'autoscaling.k8s.io'), 'production', 'task-api-vpa', (v) => delete v.status);
        const old = await one(c, 'SC-003');
        assert.equal(old.status, 'FAIL');
        assert.equal(old.reason, 'VPA task-api-vpa has no recommendation for container task-api');
        const young = await one(c, 'SC-003', { spec: `${TEST_SPEC}cost: {vpaRecommendationWithin: 72h}\n` });
        assert.equal(young.status, 'SKIP');
        assert.match(young.reason!, /^no recommendation yet: the VPA is .* old and the spec allows 3 days/);
      });
    });

    it('fails when no VPA targets the workload, and skips when the VPA CRD is not installed', async () => {
      await withCluster({}, async (c) => {
        c.store.remove(T(c, 'VerticalPodAutoscaler', 'autoscaling.k8s.io'), 'production', 'task-api-vpa');
        const r = await one(c, 'SC-003');
        assert.deepEqual([r.status, r.actual, r.reason], ['FAIL', 'No VPA', 'Deployment task-api has no VerticalPodAutoscaler']);
      });
      await withCluster({ disabledGroups: ['autoscaling.k8s.io'] }, async (c) => {
        const r = await one(c, 'SC-003');
        assert.deepEqual([r.status, r.reason], ['SKIP', 'VPA CRDs not installed (the cluster serves no autoscaling.k8s.io/v1 API)']);
      });
    });
  });

  describe('SC-004…SC-006 Velero', () => {
    it('pass: Enabled with the spec\'s cron, last backup within the RPO, ttl 720h0m0s read as 720h, hooks attempted', async () => {
      await withCluster({}, async (c) => {
        const report = await verify(c, { only: ['SC-004', 'SC-005', 'SC-006'] });
        const [s4, s5, s6] = report.results;
        assert.deepEqual([s4.status, s4.target, s4.actual], ['PASS', '0 2 * * * UTC, last ≤ 24h ago', '0 2 * * *, last 8h 45m ago']);
        assert.deepEqual([s5.status, s5.target, s5.actual], ['PASS', '720h', '720h']);
        assert.deepEqual([s6.status, s6.actual], ['PASS', 'Succeeded (2 hooks)']);
        assert.equal((s6.data as any).hooksFailed, 0, 'an absent hooksFailed is 0');
      });
    });

    it('SC-004 fails on another cron, a stale last backup, or a Schedule that is not Enabled', async () => {
      await withCluster({}, async (c) => {
        const cron = await one(c, 'SC-004', { spec: specWith({ 'schedule: "0 2 * * *"': 'schedule: "0 3 * * *"' }) });
        assert.deepEqual([cron.status, cron.actual, cron.reason], ['FAIL', '0 2 * * *', 'Schedule task-api-production-daily runs on "0 2 * * *", the spec requires "0 3 * * *" (UTC)']);
        c.store.mutate(T(c, 'Schedule', 'velero.io'), 'velero', 'task-api-production-daily', (s) => (s.status.lastBackup = hoursAgo(30)));
        const stale = await one(c, 'SC-004');
        assert.equal(stale.status, 'FAIL');
        assert.match(stale.reason!, /^the last backup is 30h old, older than the RPO 1 day/);
        c.store.mutate(T(c, 'Schedule', 'velero.io'), 'velero', 'task-api-production-daily', (s) => (s.status = { phase: 'FailedValidation', validationErrors: ['invalid schedule: expected exactly 5 fields, found 6'] }));
        const invalid = await one(c, 'SC-004');
        assert.deepEqual([invalid.status, invalid.actual], ['FAIL', 'FailedValidation']);
        assert.match(invalid.reason!, /not Enabled \(phase FailedValidation: invalid schedule/);
      });
    });

    it('SC-004 judges the cron against the RPO when the spec requires no exact schedule', async () => {
      await withCluster({}, async (c) => {
        const spec = specWith({ '  schedule: "0 2 * * *"\n': '' });
        assert.equal((await one(c, 'SC-004', { spec })).status, 'PASS');
        c.store.mutate(T(c, 'Schedule', 'velero.io'), 'velero', 'task-api-production-daily', (s) => (s.spec.schedule = '0 2 * * 1'));
        const weekly = await one(c, 'SC-004', { spec });
        assert.equal(weekly.status, 'FAIL');
        assert.match(weekly.reason!, /backups can be 7 days apart, longer than the RPO 1 day/);
      });
    });

    it('SC-005 fails on another ttl; without a ttl it reads the server default from the newest backup', async () => {
      await withCluster({}, async (c) => {
        c.store.mutate(T(c, 'Schedule', 'velero.io'), 'velero', 'task-api-production-daily', (s) => (s.spec.template.ttl = '168h0m0s'));
        const r = await one(c, 'SC-005');
        assert.deepEqual([r.status, r.actual, r.reason], ['FAIL', '168h', 'backups are kept 7 days, the spec\'s retention is 30 days']);
        c.store.mutate(T(c, 'Schedule', 'velero.io'), 'velero', 'task-api-production-daily', (s) => delete s.spec.template.ttl);
        const dflt = await one(c, 'SC-005');
        assert.equal(dflt.status, 'PASS');
        assert.match(dflt.details[0], /sets no ttl; its newest backup got the server default 720h0m0s/);
      });
    });

    it('SC-006 fails on failed hooks, and explains hooks that never ran because pods were excluded', async () => {
      await withCluster({}, async (c) => {
        const newest = 'task-api-production-daily-20251230020000';
        c.store.mutate(T(c, 'Backup', 'velero.io'), 'velero', newest, (b) => {
          b.status.phase = 'PartiallyFailed';
          b.status.hookStatus = { hooksAttempted: 2, hooksFailed: 1 };
          b.status.errors = 1;
        });
        const failed = await one(c, 'SC-006');
        assert.deepEqual([failed.status, failed.actual], ['FAIL', 'PartiallyFailed']);
        assert.match(failed.reason!, /ended PartiallyFailed \(1 hook failed\)/);
        c.store.mutate(T(c, 'Backup', 'velero.io'), 'velero', newest, (b) => {
          b.status = { phase: 'Completed', startTimestamp: b.status.startTimestamp, completionTimestamp: b.status.completionTimestamp };
          b.spec.excludedResources = ['events', 'pods', 'replicasets'];
        });
        const notRun = await one(c, 'SC-006');
        assert.deepEqual([notRun.status, notRun.actual], ['FAIL', 'Not run']);
        assert.match(notRun.reason!, /the backup excludes pods, and Velero runs hooks only in pods it backs up/);
      });
    });

    it('SC-006 judges the newest finished backup while one is still in progress', async () => {
      await withCluster({}, async (c) => {
        c.store.create(T(c, 'Backup', 'velero.io'), {
          metadata: { name: 'task-api-production-daily-running', namespace: 'velero', labels: { 'velero.io/schedule-name': 'task-api-production-daily' } },
          spec: {}, status: { phase: 'InProgress', startTimestamp: hoursAgo(0) },
        });
        const r = await one(c, 'SC-006');
        assert.equal(r.status, 'PASS');
        assert.match(r.details[0], /task-api-production-daily-running is still InProgress; judging the newest finished one/);
      });
    });

    it('are skipped when Velero is not installed, and error on a 403', async () => {
      await withCluster({ disabledGroups: ['velero.io'] }, async (c) => {
        const report = await verify(c, { only: ['SC-004', 'SC-005', 'SC-006'] });
        for (const r of report.results) assert.deepEqual([r.status, r.reason], ['SKIP', 'Velero CRDs not installed (the cluster serves no velero.io/v1 API)']);
      });
      await withCluster({ authz: [{ resource: 'schedules', group: 'velero.io', status: 403 }] }, async (c) => {
        const r = await one(c, 'SC-004');
        assert.deepEqual([r.status, r.reason], ['ERROR', '403: cannot list schedules.velero.io in velero']);
      });
    });

    it('fail when no Schedule covers the namespace', async () => {
      await withCluster({}, async (c) => {
        c.store.mutate(T(c, 'Schedule', 'velero.io'), 'velero', 'task-api-production-daily', (s) => (s.spec.template.includedNamespaces = ['staging']));
        const r = await one(c, 'SC-004');
        assert.deepEqual([r.status, r.reason], ['FAIL', 'no Velero Schedule in velero backs up namespace production']);
      });
    });
  });

  describe('SC-009/SC-010 Prometheus', () => {
    it('pass over the last PodChaos run\'s window without killing anything', async () => {
      await withCluster({}, async (c) => {
        const report = await verify(c, { only: ['SC-009', 'SC-010'] });
        const [s9, s10] = report.results;
        assert.deepEqual([s9.status, s9.target, s9.actual], ['PASS', '0', '0']);
        assert.deepEqual([s10.status, s10.target, s10.actual], ['PASS', '< 500ms', '245ms']);
        assert.match(s9.details[0], /PodChaos chaos-mesh\/task-api-pod-kill \(pod-kill\)/);
        const queries = c.requests.filter((r) => r.subresource === 'proxy').map((r) => r.query.query);
        assert.ok(queries.includes('sum(increase(task_api_requests_total{status=~"5.."}[60s]))'), queries.join('\n'));
        assert.ok(queries.includes('histogram_quantile(0.95, sum(rate(task_api_request_duration_seconds_bucket[60s])) by (le)) * 1000'));
        assert.deepEqual(c.mutatingRequests(), []);
      });
    });

    it('fail on 5xx responses or a slow p95', async () => {
      await withCluster({}, async (c) => {
        const rules = (c.proxies['monitoring/prometheus-server'] as any).rules;
        rules.unshift({ match: 'status=~"5', value: '2.97' }, { match: 'histogram_quantile', value: '612.4' });
        const report = await verify(c, { only: ['SC-009', 'SC-010'] });
        assert.deepEqual(report.results.map((r) => [r.status, r.actual]), [['FAIL', '3'], ['FAIL', '612ms']]);
        assert.match(report.results[0].reason!, /^3 responses with a 5xx status during the pod failure, the spec allows 0/);
        assert.match(report.results[1].reason!, /^p95 latency was 612 ms during the pod failure, the target is under 500 ms/);
      });
    });

    it('use the query templates of the spec\'s live section', async () => {
      await withCluster({}, async (c) => {
        (c.proxies['monitoring/prometheus-server'] as any).rules.unshift({ match: 'code=~"5', value: '0' });
        const spec = `${TEST_SPEC}live:\n  prometheus:\n    service: monitoring/prometheus-server:http\n    queries:\n      errors5xx: 'sum(increase(http_requests_total{app="{app}",namespace="{namespace}",code=~"5.."}[{window}]))'\n`;
        const r = await one(c, 'SC-009', { spec });
        assert.equal(r.status, 'PASS');
        const q = c.requests.find((x) => x.subresource === 'proxy')!;
        assert.equal(q.path, '/api/v1/namespaces/monitoring/services/prometheus-server:http/proxy/api/v1/query');
        assert.equal(q.query.query, 'sum(increase(http_requests_total{app="task-api",namespace="staging",code=~"5.."}[60s]))');
      });
    });

    it('skip without a pod-failure window, without Prometheus, or without the metrics', async () => {
      await withCluster({ disabledGroups: ['chaos-mesh.org'] }, async (c) => {
        const r = await one(c, 'SC-009');
        assert.deepEqual([r.status, r.reason], ['SKIP', 'no pod-failure window to measure: run SC-008 (--allow-disruptive) or a PodChaos experiment first']);
      });
      await withCluster({}, async (c) => {
        c.store.remove(T(c, 'Service'), 'monitoring', 'prometheus-server');
        const r = await one(c, 'SC-010');
        assert.equal(r.status, 'SKIP');
        assert.match(r.reason!, /^no Prometheus service \(looked for monitoring\/prometheus-server, monitoring\/prometheus-operated/);
      });
      await withCluster({}, async (c) => {
        (c.proxies['monitoring/prometheus-server'] as any).rules = [];
        const report = await verify(c, { only: ['SC-009', 'SC-010'] });
        assert.deepEqual(report.results.map((r) => r.status), ['SKIP', 'SKIP']);
        assert.match(report.results[0].reason!, /no request metrics for task-api in the window/);
        assert.match(report.results[1].reason!, /no latency samples for task-api in the window/);
      });
    });

    it('error when Prometheus rejects the query', async () => {
      await withCluster({}, async (c) => {
        (c.proxies['monitoring/prometheus-server'] as any).rules.unshift({ match: '.', error: '1:14: parse error: unexpected character inside braces: \'~\'' });
        const r = await one(c, 'SC-009');
        assert.equal(r.status, 'ERROR');
        assert.match(r.reason!, /^Prometheus rejected the query sum\(increase\(.*: bad_data 1:14: parse error/);
      });
    });
  });
});
