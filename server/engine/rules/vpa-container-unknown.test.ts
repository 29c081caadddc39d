import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, textAt } from '../testing';

const rule = 'vpa-container-unknown';

const deployment = (containers: string, podMeta = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels: {app: task-api}${podMeta}
    spec:
${containers}`;

const twoContainers = `      initContainers:
        - name: migrate
          image: task-api:1
      containers:
        - name: task-api
          image: task-api:1
        - name: log-shipper
          image: fluent-bit:3
`;

const vpa = (policies: string) => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: task-api-vpa
  namespace: production
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: task-api
  updatePolicy:
    updateMode: "Off"
  resourcePolicy:
    containerPolicies:
${policies}`;

const only = (files: Record<string, string>) => lintFiles(files, { only: [rule] }).filter((d) => d.ruleId === rule);

describe('vpa-container-unknown', () => {
  it('reports a policy for a container the target does not have, on the name, with the containers and a guess', () => {
    const v = vpa('      - containerName: "*"\n        mode: Auto\n      - containerName: taskapi\n        minAllowed: {cpu: 100m}\n');
    const [d, ...rest] = only({ 'deploy.yaml': deployment(twoContainers), 'vpa.yaml': v });
    assert.equal(rest.length, 0);
    assert.equal(d.file, 'vpa.yaml');
    assert.equal(textAt(v, d), 'taskapi');
    assert.equal(d.range.start.line, 16);
    assert.match(d.message, /container policy for "taskapi", but Deployment task-api has no such container \(task-api, log-shipper\)/);
    assert.match(d.message, /Did you mean task-api\?/);
    assert.equal(d.related?.[0].file.endsWith('deploy.yaml'), true);
    assert.equal(d.related?.[0].range.start.line, 16);
  });

  it('accepts `*`, every container and init container of the target', () => {
    const v = vpa('      - containerName: "*"\n      - containerName: task-api\n      - containerName: log-shipper\n        mode: "Off"\n      - containerName: migrate\n        mode: "Off"\n');
    assert.deepEqual(only({ 'deploy.yaml': deployment(twoContainers), 'vpa.yaml': v }), []);
  });

  it('leaves injected sidecars alone (istio-proxy, linkerd-proxy…) and, with an injection annotation, anything that is no typo', () => {
    const sidecar = vpa('      - containerName: istio-proxy\n        mode: "Off"\n');
    assert.deepEqual(only({ 'deploy.yaml': deployment(twoContainers), 'vpa.yaml': sidecar }), []);
    const injected = deployment(twoContainers, '\n      annotations: {vault.hashicorp.com/agent-inject: "true"}');
    const agent = vpa('      - containerName: my-agent\n        mode: "Off"\n');
    assert.deepEqual(only({ 'deploy.yaml': injected, 'vpa.yaml': agent }), []);
    const typo = vpa('      - containerName: log-shiper\n');
    assert.equal(only({ 'deploy.yaml': injected, 'vpa.yaml': typo }).length, 1);
  });

  it('stays quiet when the target is not in the workspace or has no readable containers', () => {
    assert.deepEqual(only({ 'vpa.yaml': vpa('      - containerName: whatever\n') }), []);
    const noContainers = deployment('      volumes: []\n');
    assert.deepEqual(only({ 'deploy.yaml': noContainers, 'vpa.yaml': vpa('      - containerName: whatever\n') }), []);
  });

  it('works without a spec', () => {
    const diags = lintFiles({ 'deploy.yaml': deployment(twoContainers), 'vpa.yaml': vpa('      - containerName: nope\n') }, { spec: null, only: [rule] });
    assert.equal(diags.filter((d) => d.ruleId === rule).length, 1);
  });
});
