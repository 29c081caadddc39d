import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';

const rule = 'vpa-bounds-invalid';

const vpa = (policy: string) => `apiVersion: autoscaling.k8s.io/v1
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
      - containerName: task-api
${policy}`;

describe('vpa-bounds-invalid', () => {
  it('reports minAllowed above maxAllowed on the minimum, with the maximum as related', () => {
    const text = vpa('        minAllowed:\n          cpu: "2"\n          memory: 128Mi\n        maxAllowed:\n          cpu: 1500m\n          memory: 2Gi\n');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'error');
    assert.equal(textAt(text, d), '"2"');
    assert.equal(d.range.start.line, 16);
    assert.match(d.message, /minAllowed.cpu \(2\) of container task-api in VerticalPodAutoscaler task-api-vpa is above its maxAllowed.cpu \(1500m\)/);
    assert.equal(d.related?.[0].range.start.line, 19);
  });

  it('compares exactly across notations: equal bounds are fine', () => {
    assert.deepEqual(lintRule(rule, vpa('        minAllowed: {cpu: 100m, memory: 1Gi}\n        maxAllowed: {cpu: 0.1, memory: 1073741824}\n')), []);
    assert.deepEqual(lintRule(rule, vpa('        minAllowed: {cpu: 1, memory: 1G}\n        maxAllowed: {cpu: 1e3, memory: 1Gi}\n')), []);
    const bigger = vpa('        minAllowed: {memory: 1Gi}\n        maxAllowed: {memory: 1G}\n');
    const [d] = lintRule(rule, bigger);
    assert.equal(textAt(bigger, d), '1Gi');
  });

  it('reports a bound that is no quantity on the value, with the likely intent', () => {
    const text = vpa('        minAllowed:\n          memory: 128mb\n        maxAllowed:\n          cpu: 2 cores\n          memory: 2GB\n');
    const diags = lintRule(rule, text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['128mb', '2 cores', '2GB']);
    assert.match(diags[0].message, /minAllowed.memory of container task-api in VerticalPodAutoscaler task-api-vpa is "128mb", which is no Kubernetes quantity \(did you mean 128M\?\)/);
    assert.match(diags[1].message, /did you mean 2\?/);
    assert.match(diags[2].message, /did you mean 2G\?/);
    const spaced = vpa('        maxAllowed: {memory: "1 Gi"}\n');
    assert.match(lintRule(rule, spaced)[0].message, /did you mean 1Gi\?/);
  });

  it('does not compare a bound it cannot read, and names the default policy', () => {
    const text = vpa('        minAllowed: {cpu: lots}\n        maxAllowed: {cpu: 1}\n').replace('containerName: task-api', 'containerName: "*"');
    const diags = lintRule(rule, text);
    assert.equal(diags.length, 1);
    assert.match(diags[0].message, /of the default container policy/);
  });

  it('leaves type errors (booleans, maps, nulls) to the schema rule and is quiet on good bounds', () => {
    assert.deepEqual(lintRule(rule, vpa('        minAllowed: {cpu: true, memory: null}\n        maxAllowed: {cpu: {a: 1}}\n')), []);
    assert.deepEqual(lintRule(rule, vpa('        minAllowed: {cpu: 100m, memory: 128Mi}\n        maxAllowed: {cpu: 2000m, memory: 2Gi}\n        controlledResources: ["cpu", "memory"]\n')), []);
    assert.deepEqual(lintRule(rule, vpa('        mode: "Off"\n')), []);
  });

  it('runs without a spec', () => {
    assert.equal(lintRule(rule, vpa('        minAllowed: {cpu: 2}\n        maxAllowed: {cpu: 1}\n'), { spec: null }).length, 1);
  });
});
