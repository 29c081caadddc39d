import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, textAt } from '../testing';

const rule = 'chaos-selector-unmatched';

const deployment = (name: string, labels: string, ns = 'staging') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {tier: api}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
`;

const podChaos = (selector: string, ns = 'chaos-mesh') => `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: kill-one
  namespace: ${ns}
spec:
  action: pod-kill
  mode: one
  selector:
${selector}`;

const only = (files: Record<string, string>) => lintFiles(files, { only: [rule] }).filter((d) => d.ruleId === rule);

describe('chaos-selector-unmatched', () => {
  it('reports labels that no pod template carries, on labelSelectors, suggesting the near miss in another file', () => {
    const chaos = podChaos('    namespaces: [staging]\n    labelSelectors:\n      app: taskapi\n');
    const [d, ...rest] = only({ 'deploy.yaml': deployment('task-api', '{app: task-api}'), 'db.yaml': deployment('postgres', '{app: postgres}'), 'chaos.yaml': chaos });
    assert.equal(rest.length, 0);
    assert.equal(d.file, 'chaos.yaml');
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(chaos, d), 'labelSelectors');
    assert.equal(d.range.start.line, 10);
    assert.match(d.message, /PodChaos kill-one selects pods with app=taskapi in namespace staging \(selector\), but no workload there has a pod template with these labels/);
    assert.match(d.message, /Did you mean app=task-api \(Deployment task-api\)\?/);
    assert.equal(d.related?.[0].file.endsWith('deploy.yaml'), true);
  });

  it('explains labels that only the workload metadata carries, not its pod template', () => {
    const chaos = podChaos('    namespaces: [staging]\n    labelSelectors:\n      tier: api\n');
    const [d, ...rest] = only({ 'deploy.yaml': deployment('task-api', '{app: task-api}'), 'chaos.yaml': chaos });
    assert.equal(rest.length, 0);
    assert.match(d.message, /Only the metadata of Deployment task-api carries them, and Chaos Mesh selects pods: select its pod labels \(app=task-api\)/);
    assert.equal(d.related?.[0].range.start.line, 5);
  });

  it('matches expressionSelectors and label selectors together, and the experiment\'s own namespace by default', () => {
    const files = { 'deploy.yaml': deployment('task-api', '{app: task-api, track: stable}') };
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    namespaces: [staging]\n    labelSelectors: {app: task-api}\n    expressionSelectors:\n      - {key: track, operator: In, values: [stable, canary]}\n') }), []);
    const miss = podChaos('    namespaces: [staging]\n    expressionSelectors:\n      - {key: tier, operator: In, values: [api]}\n');
    const [d] = only({ ...files, 'c.yaml': miss });
    assert.equal(textAt(miss, d), 'expressionSelectors');
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    labelSelectors: {app: task-api}\n', 'staging') }), []);
    assert.equal(only({ ...files, 'c.yaml': podChaos('    labelSelectors: {app: task-apii}\n', 'staging') }).length, 1);
  });

  it('stays quiet on labels nobody in the namespace carries: those pods come from elsewhere (chaos-mesh examples on TiKV)', () => {
    const files = { 'deploy.yaml': deployment('task-api', '{app: task-api}'), 'db.yaml': deployment('etcd', '{app: etcd}') };
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    labelSelectors:\n      "app.kubernetes.io/component": "tikv"\n', 'staging') }), []);
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    namespaces: [staging]\n    labelSelectors: {app: web-show}\n') }), []);
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    namespaces: [staging]\n    expressionSelectors:\n      - {key: track, operator: NotIn, values: [stable]}\n') }), []);
    const remote = podChaos('    namespaces: [staging]\n    labelSelectors: {app: task-apii}\n').replace('  mode: one\n', '  mode: one\n  remoteCluster: cluster-b\n');
    assert.deepEqual(only({ ...files, 'c.yaml': remote }), []);
  });

  it('stays quiet when a namespace it reaches has no workloads in the workspace (the chapter\'s staging)', () => {
    const chaos = podChaos('    namespaces:\n      - staging\n    labelSelectors:\n      app: task-api\n');
    assert.deepEqual(only({ 'deploy.yaml': deployment('task-api', '{app: task-api}', 'production'), 'chaos.yaml': chaos }), []);
    const two = podChaos('    namespaces: [staging, qa]\n    labelSelectors: {app: nope}\n');
    assert.deepEqual(only({ 'deploy.yaml': deployment('task-api', '{app: task-api}'), 'chaos.yaml': two }), []);
  });

  it('stays quiet for pods listed by name and for empty selectors', () => {
    const files = { 'deploy.yaml': deployment('task-api', '{app: task-api}') };
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    pods:\n      staging: [task-api-abc]\n') }), []);
    assert.deepEqual(only({ ...files, 'c.yaml': podChaos('    namespaces: [staging]\n') }), []);
  });

  it('checks the NetworkChaos target and Schedules, without a spec too', () => {
    const files = { 'deploy.yaml': deployment('task-api', '{app: task-api}'), 'db.yaml': deployment('postgres', '{app: postgres}') };
    const net = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: {name: partition, namespace: staging}
spec:
  schedule: "@every 1h"
  type: NetworkChaos
  networkChaos:
    action: partition
    mode: one
    duration: 30s
    selector: {labelSelectors: {app: task-api}}
    direction: to
    target:
      mode: one
      selector: {labelSelectors: {app: postgress}}
`;
    const diags = lintFiles({ ...files, 'net.yaml': net }, { only: [rule], spec: null }).filter((d) => d.ruleId === rule);
    assert.equal(diags.length, 1);
    assert.match(diags[0].message, /^Schedule partition \(NetworkChaos\) selects pods with app=postgress in namespace staging \(target.selector\)/);
  });
});
