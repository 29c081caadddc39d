import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as YAML from 'yaml';
import { scaffold, ScaffoldError, toObjectName, type ScaffoldFile } from './scaffold';
import { loadSpec } from './spec/load';
import type { OpexSpec } from './spec/types';
import { lintFiles, TEST_SPEC } from './testing';

const specOf = (text: string): OpexSpec => {
  const loaded = loadSpec('/w/opex.yaml', text);
  assert.deepEqual(loaded.diagnostics, [], 'the test spec itself is valid');
  return loaded.spec;
};

const asFiles = (files: ScaffoldFile[]) => Object.fromEntries(files.map((f) => [f.path, f.text]));
const docs = (files: ScaffoldFile[]) => files.flatMap((f) => YAML.parseAllDocuments(f.text).map((d) => d.toJS() as any));
const kindOf = (files: ScaffoldFile[], kind: string) => docs(files).filter((d) => d.kind === kind);
const problems = (files: ScaffoldFile[], spec: string) =>
  lintFiles(asFiles(files), { spec }).map((d) => `${d.file}:${d.range.start.line + 1} ${d.ruleId}: ${d.message}`);

describe('scaffold', () => {
  const spec = specOf(TEST_SPEC);
  const files = scaffold(spec, { specName: 'opex.yaml' });

  it('writes one file per concern, named after the service', () => {
    assert.deepEqual(files.map((f) => f.path), [
      'task-api-deployment.yaml',
      'task-api-pdb.yaml',
      'task-api-vpa.yaml',
      'task-api-velero-schedule.yaml',
      'postgres-statefulset.yaml',
      'task-api-podchaos.yaml',
    ]);
    for (const f of files) {
      assert.ok(f.text.startsWith('# '), `${f.path} starts with a comment`);
      assert.ok(f.text.endsWith('\n') && !f.text.endsWith('\n\n'), `${f.path} ends with one newline`);
      assert.deepEqual(YAML.parseAllDocuments(f.text).map((d) => (d.toJS() as any).kind), f.kinds);
    }
  });

  it('puts the cost labels on the Deployment and its pod template, and selects on stable labels only', () => {
    const [d] = kindOf(files, 'Deployment');
    assert.deepEqual(d.metadata.labels, spec.costLabels);
    assert.deepEqual(d.spec.template.metadata.labels, spec.costLabels);
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'task-api' } });
    assert.equal(d.metadata.namespace, 'production');
    assert.equal(d.spec.replicas, 3);
    const c = d.spec.template.spec.containers[0];
    assert.deepEqual(c.resources.requests, { cpu: '250m', memory: '256Mi' });
    assert.equal(c.readinessProbe.httpGet.port, 'http');
    assert.equal(c.livenessProbe.httpGet.port, 'http');
    assert.ok(c.ports.some((p: any) => p.name === 'http'));
    const svc = kindOf(files, 'Service').find((s) => s.metadata.name === 'task-api');
    assert.deepEqual(svc.spec.selector, { app: 'task-api' });
    assert.equal(svc.spec.ports[0].targetPort, 'http');
  });

  it('writes the VPA updateMode from the spec, quoted', () => {
    const text = files.find((f) => f.path === 'task-api-vpa.yaml')!.text;
    assert.match(text, /updateMode: "Off"/);
    const other = scaffold(specOf(TEST_SPEC.replace('vpaUpdateMode: "Off"', 'vpaUpdateMode: Initial')));
    assert.match(other.find((f) => f.path === 'task-api-vpa.yaml')!.text, /updateMode: "Initial"/);
  });

  it('backs up the namespace on the spec schedule with the retention as ttl and a failing pg_dump hook', () => {
    const [s] = kindOf(files, 'Schedule');
    assert.equal(s.spec.schedule, '0 2 * * *');
    assert.equal(s.spec.template.ttl, '720h');
    assert.deepEqual(s.spec.template.includedNamespaces, ['production']);
    assert.ok(!(s.spec.template.excludedResources ?? []).includes('pods'), 'pods are backed up');
    assert.equal(s.spec.template.includedResources, undefined);
    const hook = s.spec.template.hooks.resources[0];
    assert.deepEqual(hook.labelSelector, { matchLabels: { app: 'postgres' } });
    assert.deepEqual(hook.includedNamespaces, ['production']);
    assert.equal(hook.pre[0].exec.container, 'postgres');
    assert.equal(hook.pre[0].exec.onError, 'Fail');
    assert.equal(hook.pre[0].exec.timeout, '120s');
    assert.match(hook.pre[0].exec.command.join(' '), /pg_dump/);
    assert.ok(hook.post[0].exec.command.join(' ').includes('rm -f'));
  });

  it('derives the cron from the RPO when the spec has no exact schedule', () => {
    const s4h = scaffold(specOf(TEST_SPEC.replace('  schedule: "0 2 * * *"\n', '').replace('rpo: 24h', 'rpo: 4h')));
    const [s] = kindOf(s4h, 'Schedule');
    assert.equal(s.spec.schedule, '0 */4 * * *');
    assert.equal(s.spec.template.ttl, '720h');
  });

  it('writes the database StatefulSet the hook needs, unless told it exists', () => {
    const [sts] = kindOf(files, 'StatefulSet');
    assert.deepEqual(sts.spec.selector.matchLabels, { app: 'postgres' });
    assert.equal(sts.spec.template.metadata.labels.app, 'postgres');
    assert.equal(sts.spec.template.metadata.labels.team, 'product-team');
    assert.ok(sts.spec.template.spec.containers.some((c: any) => c.name === 'postgres'));
    const without = scaffold(spec, { database: false });
    assert.equal(kindOf(without, 'StatefulSet').length, 0);
    assert.equal(kindOf(without, 'Schedule')[0].spec.template.hooks.resources.length, 1, 'the hook stays');
  });

  it('kills one pod in the first chaos namespace', () => {
    const [c] = kindOf(files, 'PodChaos');
    assert.equal(c.metadata.namespace, 'staging');
    assert.equal(c.spec.action, 'pod-kill');
    assert.equal(c.spec.mode, 'one');
    assert.deepEqual(c.spec.selector, { namespaces: ['staging'], labelSelectors: { app: 'task-api' } });
  });

  it('lints clean under the spec it came from', () => {
    assert.deepEqual(problems(files, TEST_SPEC), []);
  });

  it('lints clean for a stateless service without resilience targets or recovery', () => {
    const text = `service: catalog
namespace: shop
costLabels: {team: web, app: catalog, environment: staging, cost-center: "1234"}
`;
    const out = scaffold(specOf(text));
    assert.deepEqual(out.map((f) => f.path), ['catalog-deployment.yaml', 'catalog-pdb.yaml', 'catalog-vpa.yaml']);
    assert.equal(kindOf(out, 'Deployment')[0].spec.replicas, 2);
    assert.deepEqual(problems(out, text), []);
  });

  it('lints clean for a stateless service with an RPO but no database (no hook)', () => {
    const text = `service: catalog
namespace: shop
costLabels: {team: web, app: catalog, environment: "yes", cost-center: "on"}
recovery: {rpo: 90m, retention: 168h}
resilience: {podKillRecovery: 20s}
constraints:
  stableSelectorLabels: [app, team]
  chaosNamespaces: [chaos-lab, staging]
`;
    const out = scaffold(specOf(text));
    const [s] = kindOf(out, 'Schedule');
    assert.equal(s.spec.schedule, '0 * * * *');
    assert.equal(s.spec.template.ttl, '168h');
    assert.equal(s.spec.template.hooks, undefined);
    assert.equal(kindOf(out, 'StatefulSet').length, 0);
    assert.deepEqual(kindOf(out, 'Deployment')[0].spec.selector.matchLabels, { app: 'catalog', team: 'web' });
    assert.equal(kindOf(out, 'Deployment')[0].spec.template.metadata.labels.environment, 'yes', 'a YAML 1.1 trap value stays a string');
    assert.equal(kindOf(out, 'PodChaos')[0].metadata.namespace, 'chaos-lab');
    assert.deepEqual(problems(out, text), []);
  });

  it('lints clean with a database named by other labels and its own hook timeout', () => {
    const text = `service: billing
namespace: payments
costLabels: {team: finance, app: billing, environment: production, cost-center: ops}
recovery:
  rpo: 1h
  retention: 240h
  database: {selector: {role: primary-db}, container: db, hookTimeout: 10m}
resilience: {max5xx: 0}
`;
    const out = scaffold(specOf(text));
    const [s] = kindOf(out, 'Schedule');
    assert.equal(s.spec.template.hooks.resources[0].pre[0].exec.timeout, '10m');
    const [sts] = kindOf(out, 'StatefulSet');
    assert.equal(sts.metadata.name, 'primary-db');
    assert.equal(sts.spec.template.metadata.labels.app, undefined, "the database does not carry the service's app label");
    assert.deepEqual(problems(out, text), []);
  });

  it('names objects validly whatever the service is called', () => {
    assert.equal(toObjectName('Task API v2'), 'task-api-v2');
    assert.equal(toObjectName('--x__y--'), 'x-y');
    assert.equal(toObjectName('!!!'), '');
    assert.throws(() => scaffold({ ...spec, service: '' }), ScaffoldError);
  });
});

describe('scaffold: schedules', () => {
  const withRecovery = (recovery: string) => specOf(TEST_SPEC.replace(/recovery:\n(  .*\n)+/, `recovery:\n${recovery}`));
  const scheduleOf = (spec: OpexSpec) => kindOf(scaffold(spec), 'Schedule')[0].spec;
  const cases: Array<[string, string]> = [
    ['7d', '0 2 * * *'],
    ['24h', '0 2 * * *'],
    ['23h', '0 */12 * * *'],
    ['5h', '0 */4 * * *'],
    ['1h', '0 * * * *'],
    ['59m', '*/30 * * * *'],
    ['7m', '*/6 * * * *'],
  ];
  for (const [rpo, cron] of cases) {
    it(`RPO ${rpo} → ${cron}, lint clean`, () => {
      const text = TEST_SPEC.replace('  schedule: "0 2 * * *"\n', '').replace('rpo: 24h', `rpo: ${rpo}`).replace('rto: 30m', 'rto: 30m').replace('hookTimeout: 120s', 'hookTimeout: 60s');
      const spec = specOf(text);
      assert.equal(scheduleOf(spec).schedule, cron);
      assert.deepEqual(problems(scaffold(spec), text), []);
    });
  }

  it('names the zone of a spec schedule that is not in UTC', () => {
    const text = TEST_SPEC.replace('timezone: UTC', 'timezone: Asia/Tokyo');
    assert.equal(scheduleOf(specOf(text)).schedule, 'CRON_TZ=Asia/Tokyo 0 2 * * *');
    assert.deepEqual(problems(scaffold(specOf(text)), text), []);
  });

  it('keeps the ttl at least as long as the interval when the spec states no retention', () => {
    const s = scheduleOf(withRecovery('  rpo: 24h\n'));
    assert.equal(s.template.ttl, '720h');
    assert.equal(s.template.hooks, undefined);
  });
});
