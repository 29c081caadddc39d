import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, lintRule, textAt } from '../testing';

const rule = 'vpa-target-not-found';

const workload = (kind: string, name: string, ns = 'production', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
`;

const vpa = (kind: string, name: string, ns = 'production', apiVersion = 'apps/v1') => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: ${name}-vpa
  namespace: ${ns}
spec:
  targetRef:
    apiVersion: ${apiVersion}
    kind: ${kind}
    name: ${name}
  updatePolicy:
    updateMode: "Off"
`;

const only = (files: Record<string, string>) => lintFiles(files, { only: [rule] }).filter((d) => d.ruleId === rule);

describe('vpa-target-not-found', () => {
  it('reports a targetRef name that matches no workload, on the name, with a did-you-mean', () => {
    const v = vpa('Deployment', 'taskapi');
    const diags = only({ 'deploy.yaml': workload('Deployment', 'task-api'), 'vpa.yaml': v });
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.file, 'vpa.yaml');
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(v, d), 'taskapi');
    assert.equal(d.range.start.line, 9);
    assert.match(d.message, /targets Deployment taskapi, which is not defined in namespace production/);
    assert.match(d.message, /Did you mean task-api\?/);
    assert.equal(d.related?.[0].file.endsWith('deploy.yaml'), true);
  });

  it('reports a wrong kind on the kind, naming the kind that exists', () => {
    const v = vpa('Deployment', 'postgres');
    const [d, ...rest] = only({ 'db.yaml': workload('StatefulSet', 'postgres'), 'vpa.yaml': v });
    assert.equal(rest.length, 0);
    assert.equal(textAt(v, d), 'Deployment');
    assert.match(d.message, /postgres in namespace production is a StatefulSet/);
    assert.match(d.message, /Set kind: StatefulSet/);
  });

  it('explains a VPA in another namespace than its workload', () => {
    const v = vpa('Deployment', 'task-api', 'production');
    const [d] = only({ 'deploy.yaml': workload('Deployment', 'task-api', 'staging'), 'other.yaml': workload('Deployment', 'web', 'production'), 'vpa.yaml': v });
    assert.match(d.message, /exists in namespace staging: a VPA only targets workloads of its own namespace/);
  });

  it('finds targets across files, kinds and API versions (extensions/v1beta1, apps/v1beta2)', () => {
    assert.deepEqual(only({ 'a.yaml': workload('Deployment', 'task-api'), 'b.yaml': vpa('Deployment', 'task-api') }), []);
    assert.deepEqual(only({ 'a.yaml': workload('Deployment', 'hamster', 'production', 'apps/v1beta2'), 'b.yaml': vpa('Deployment', 'hamster', 'production', 'extensions/v1beta1') }), []);
    assert.deepEqual(only({ 'a.yaml': workload('StatefulSet', 'pg'), 'b.yaml': vpa('StatefulSet', 'pg') }), []);
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: production}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: report, image: report:1}]
`;
    assert.deepEqual(only({ 'a.yaml': cron, 'b.yaml': vpa('CronJob', 'report', 'production', 'batch/v1') }), []);
  });

  it('stays quiet when the namespace has no workloads in the workspace (deployed from elsewhere)', () => {
    assert.deepEqual(lintRule(rule, vpa('Deployment', 'coredns', 'kube-system')), []);
    assert.deepEqual(only({ 'a.yaml': workload('Deployment', 'task-api', 'staging'), 'b.yaml': vpa('Deployment', 'ingress', 'ingress-nginx') }), []);
  });

  it('reports an unrelated name only when the VPA\'s own file defines workloads of that kind (a template collection is not a mistake)', () => {
    const files = { 'a.yaml': workload('Deployment', 'task-api') };
    assert.deepEqual(only({ ...files, 'b.yaml': vpa('Deployment', 'APP-deployment') }), []);
    const together = `${workload('Deployment', 'hamster')}---\n${vpa('Deployment', 'redis-master')}`;
    const [d] = only({ 'hamster.yaml': together });
    assert.equal(textAt(together, d), 'redis-master');
    assert.match(d.message, /This file defines Deployment hamster\./);
  });

  it('stays quiet for kinds opex does not index (Argo Rollouts, custom scale targets)', () => {
    const files = { 'a.yaml': workload('Deployment', 'task-api') };
    assert.deepEqual(only({ ...files, 'b.yaml': vpa('Rollout', 'task-api', 'production', 'argoproj.io/v1alpha1') }), []);
    assert.deepEqual(only({ ...files, 'b.yaml': vpa('Deployment', 'other', 'production', 'example.com/v1') }), []);
  });

  it('stays quiet on a VPA without a complete targetRef (the schema reports it)', () => {
    const text = `${workload('Deployment', 'task-api')}---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: x, namespace: production}
spec:
  targetRef: {kind: Deployment}
`;
    assert.deepEqual(lintRule(rule, text), []);
  });

  it('runs without a spec', () => {
    const diags = lintFiles({ 'a.yaml': workload('Deployment', 'task-api'), 'b.yaml': vpa('Deployment', 'task-apii') }, { spec: null, only: [rule] });
    assert.equal(diags.filter((d) => d.ruleId === rule).length, 1);
  });
});
