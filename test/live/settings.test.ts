/** The `live:` section of opex.yaml: read, layered over the charts' defaults, accepted by the spec schema. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSpec } from '../../server/engine/spec/load';
import { TEST_SPEC } from '../../server/engine/testing';
import { defaultSettings, fillQuery, mergeSettings, readLiveSection, resolveSettings } from '../../server/live/settings';

const LIVE = `live:
  opencost: {service: {namespace: finops, name: opencost, port: 9003}, window: 7d}
  prometheus:
    service: monitoring/prometheus-operated:9090
    settle: 0s
    queries:
      errors5xx: 'sum(increase(http_requests_total{app="{app}",code=~"5.."}[{window}]))'
  velero: {namespace: backup}
  chaosNamespace: staging
  restoreNamespace: staging-restore-test
  podKill: {method: podchaos}
  timeouts: {request: 10s, restore: 20m, podKill: 2m, cleanup: 1m}
`;

describe('live settings', () => {
  it('default to the charts\' service names and the chapter\'s queries', () => {
    const d = defaultSettings();
    assert.deepEqual(d.opencost.candidates[0], { namespace: 'opencost', name: 'opencost', port: '9003' });
    assert.deepEqual(d.prometheus.candidates[0], { namespace: 'monitoring', name: 'prometheus-server', port: '80' });
    assert.equal(fillQuery(d.prometheus.queries.errors5xx, { metric: 'task_api', window: '65s' }), 'sum(increase(task_api_requests_total{status=~"5.."}[65s]))');
    assert.deepEqual([d.velero.namespace, d.podKill.method, d.timeouts.requestMs, d.prometheus.settleMs], ['velero', 'delete', 15_000, 30_000]);
  });

  it('read every field of the live section, and the spec schema accepts it', () => {
    const text = TEST_SPEC + LIVE;
    assert.deepEqual(loadSpec('/w/opex.yaml', text).diagnostics, []);
    const { settings, problems } = resolveSettings(loadSpec('/w/opex.yaml', text), { timeouts: { requestMs: 5000 } }, text);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.opencost.service, { namespace: 'finops', name: 'opencost', port: '9003' });
    assert.equal(settings.opencost.window, '7d');
    assert.deepEqual(settings.prometheus.service, { namespace: 'monitoring', name: 'prometheus-operated', port: '9090' });
    assert.equal(settings.prometheus.settleMs, 0);
    assert.match(settings.prometheus.queries.errors5xx, /^sum\(increase\(http_requests_total/);
    assert.match(settings.prometheus.queries.p95LatencyMs, /^histogram_quantile/, 'the other templates keep their defaults');
    assert.deepEqual([settings.velero.namespace, settings.chaosNamespace, settings.restoreNamespace, settings.podKill.method], ['backup', 'staging', 'staging-restore-test', 'podchaos']);
    assert.deepEqual(settings.timeouts, { requestMs: 5000, restoreMs: 1_200_000, podKillMs: 120_000, cleanupMs: 60_000 }, 'the caller overrides the spec');
  });

  it('list what it cannot read, and the schema names the misspelt field', () => {
    const { problems } = readLiveSection('live:\n  prometheus: {service: "not a ref"}\n  podKill: {method: nuke}\n  timeouts: {request: soon}\n');
    assert.deepEqual(problems, [
      '`live.prometheus.service` must be namespace/name:port or {namespace, name, port}',
      '`live.podKill.method` is delete or podchaos',
      '`live.timeouts.request` must be a duration such as 15s or 30m',
    ]);
    const diags = loadSpec('/w/opex.yaml', `${TEST_SPEC}live:\n  prometheus: {servce: x}\n`).diagnostics;
    assert.match(diags[0].message, /`servce` is not a field of `live.prometheus`\. Did you mean `service`\?/);
  });

  it('layer defaults, the spec and the caller', () => {
    const s = mergeSettings({ velero: { namespace: 'a' } }, { velero: { namespace: 'b' }, prometheus: { settleMs: 5 } });
    assert.equal(s.velero.namespace, 'b');
    assert.equal(s.prometheus.settleMs, 5);
    assert.equal(s.prometheus.queries.requests, defaultSettings().prometheus.queries.requests);
  });
});
