import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, textAt } from '../testing';

const rule = 'vpa-hpa-conflict';

const vpa = (rest: string, target = 'task-api') => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: task-api-vpa
  namespace: production
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${target}
${rest}`;

const hpaV2 = (metrics: string, target = 'task-api', ns = 'production') => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: task-api-hpa
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${target}
  minReplicas: 2
  maxReplicas: 10
${metrics}`;

const cpuMetric = `  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels: {app: task-api}
    spec:
      containers:
        - name: task-api
          image: task-api:1
        - name: proxy
          image: envoy:1
`;

const only = (files: Record<string, string>) => lintFiles(files, { only: [rule] }).filter((d) => d.ruleId === rule);

describe('vpa-hpa-conflict', () => {
  it('reports the VPA updateMode when an HPA scales the same workload on cpu, with the HPA metric as related', () => {
    const v = vpa('  updatePolicy:\n    updateMode: Recreate\n');
    const [d, ...rest] = only({ 'vpa.yaml': v, 'hpa.yaml': hpaV2(cpuMetric) });
    assert.equal(rest.length, 0);
    assert.equal(d.file, 'vpa.yaml');
    assert.equal(d.severity, 'error');
    assert.equal(textAt(v, d), 'Recreate');
    assert.match(d.message, /VerticalPodAutoscaler task-api-vpa \(updateMode Recreate\) changes the cpu requests of Deployment task-api, while HorizontalPodAutoscaler task-api-hpa scales it on cpu/);
    assert.equal(d.related?.[0].file.endsWith('hpa.yaml'), true);
    assert.equal(d.related?.[0].range.start.line, 15);
  });

  it('reports on spec when the VPA has no updatePolicy (Auto)', () => {
    const v = vpa('');
    const [d] = only({ 'vpa.yaml': v, 'hpa.yaml': hpaV2(cpuMetric) });
    assert.equal(textAt(v, d), 'spec');
    assert.match(d.message, /no updateMode, so Auto/);
  });

  it('counts Initial and InPlaceOrRecreate, memory metrics, container metrics, v1 and the CPU default', () => {
    const files = (v: string, h: string) => only({ 'vpa.yaml': v, 'hpa.yaml': h });
    assert.equal(files(vpa('  updatePolicy: {updateMode: Initial}\n'), hpaV2(cpuMetric)).length, 1);
    assert.equal(files(vpa('  updatePolicy: {updateMode: InPlaceOrRecreate}\n'), hpaV2(cpuMetric.replace('cpu', 'memory'))).length, 1);
    const container = `  metrics:
    - type: ContainerResource
      containerResource:
        name: cpu
        container: task-api
        target: {type: Utilization, averageUtilization: 60}
`;
    assert.equal(files(vpa('  updatePolicy: {updateMode: Auto}\n'), hpaV2(container)).length, 1);
    const v1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: task-api, namespace: production}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: task-api}
  maxReplicas: 5
`;
    const [d] = files(vpa('  updatePolicy: {updateMode: Auto}\n'), v1);
    assert.match(d.message, /has no metrics and so scales on 80% average CPU utilization/);
    assert.equal(files(vpa('  updatePolicy: {updateMode: Auto}\n'), hpaV2('')).length, 1);
  });

  it('is quiet when the VPA is Off, or its YAML-1.1 Off is another rule\'s business', () => {
    assert.deepEqual(only({ 'vpa.yaml': vpa('  updatePolicy:\n    updateMode: "Off"\n'), 'hpa.yaml': hpaV2(cpuMetric) }), []);
    assert.deepEqual(only({ 'vpa.yaml': vpa('  updatePolicy:\n    updateMode: Off\n'), 'hpa.yaml': hpaV2(cpuMetric) }), []);
  });

  it('is quiet when the VPA leaves the HPA\'s resource alone (controlledResources, container mode Off)', () => {
    const memoryOnly = vpa('  updatePolicy: {updateMode: Auto}\n  resourcePolicy:\n    containerPolicies:\n      - containerName: "*"\n        controlledResources: ["memory"]\n');
    assert.deepEqual(only({ 'd.yaml': deployment, 'vpa.yaml': memoryOnly, 'hpa.yaml': hpaV2(cpuMetric) }), []);
    const appOff = vpa('  updatePolicy: {updateMode: Auto}\n  resourcePolicy:\n    containerPolicies:\n      - containerName: task-api\n        mode: "Off"\n      - containerName: proxy\n        controlledResources: [memory]\n');
    assert.deepEqual(only({ 'd.yaml': deployment, 'vpa.yaml': appOff, 'hpa.yaml': hpaV2(cpuMetric) }), []);
    // …but a container the policies do not cover still gets the default (cpu and memory).
    const partly = vpa('  updatePolicy: {updateMode: Auto}\n  resourcePolicy:\n    containerPolicies:\n      - containerName: task-api\n        mode: "Off"\n');
    assert.equal(only({ 'd.yaml': deployment, 'vpa.yaml': partly, 'hpa.yaml': hpaV2(cpuMetric) }).length, 1);
    const containerMetric = `  metrics:
    - type: ContainerResource
      containerResource: {name: cpu, container: task-api, target: {type: Utilization, averageUtilization: 60}}
`;
    assert.deepEqual(only({ 'd.yaml': deployment, 'vpa.yaml': partly, 'hpa.yaml': hpaV2(containerMetric) }), []);
  });

  it('is quiet for HPAs on other metrics, other workloads or other namespaces', () => {
    const custom = `  metrics:
    - type: Pods
      pods:
        metric: {name: http_requests_per_second}
        target: {type: AverageValue, averageValue: "100"}
`;
    const v = vpa('  updatePolicy: {updateMode: Auto}\n');
    assert.deepEqual(only({ 'vpa.yaml': v, 'hpa.yaml': hpaV2(custom) }), []);
    assert.deepEqual(only({ 'vpa.yaml': v, 'hpa.yaml': hpaV2(cpuMetric, 'web') }), []);
    assert.deepEqual(only({ 'vpa.yaml': v, 'hpa.yaml': hpaV2(cpuMetric, 'task-api', 'staging') }), []);
    assert.deepEqual(only({ 'vpa.yaml': v, 'hpa.yaml': hpaV2(cpuMetric).replace('kind: Deployment', 'kind: StatefulSet') }), []);
  });
});
