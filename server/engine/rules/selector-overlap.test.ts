import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, lintRule, textAt } from '../testing';
import rule from './selector-overlap';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const workload = (name: string, selector: string, labels: string, kind = 'Deployment', ns = 'default') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: ${selector}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
`;

const only = { only: ['selector-overlap'], spec: null };

describe('selector-overlap', () => {
  it('reports both workloads, across files, each with the other as related information', () => {
    const a = workload('redis-leader', '{app: redis}', '{app: redis, role: leader}');
    const b = workload('redis-follower', '{app: redis}', '{app: redis, role: follower}');
    const diags = lintFiles({ 'leader.yaml': a, 'follower.yaml': b }, only);
    assert.equal(diags.length, 2);
    const byFile = Object.fromEntries(diags.map((d) => [d.file, d]));
    assert.equal(textAt(a, byFile['leader.yaml']), 'selector');
    assert.equal(textAt(b, byFile['follower.yaml']), 'selector');
    assert.match(byFile['leader.yaml'].message, /selector of Deployment redis-leader \(app=redis\) also selects the pods of Deployment redis-follower/);
    assert.ok(byFile['leader.yaml'].related?.[0].file.endsWith('follower.yaml'));
    assert.ok(byFile['follower.yaml'].related?.[0].file.endsWith('leader.yaml'));
    assert.equal(byFile['leader.yaml'].severity, 'warning');
  });

  it('reports different kinds and a folder above the other', () => {
    const a = workload('web', '{app: web}', '{app: web}');
    const b = workload('web-cache', '{app: web}', '{app: web}', 'StatefulSet');
    assert.equal(lintFiles({ 'k8s/web.yaml': a, 'k8s/cache/cache.yaml': b }, only).length, 2);
  });

  it('stays quiet when only one selects the other, or they tell each other apart', () => {
    const stable = workload('web', '{app: web}', '{app: web, track: stable}');
    const canary = workload('web-canary', '{app: web, track: canary}', '{app: web, track: canary}');
    // web's selector reaches the canary pods, but not the other way round: not the mutual overlap this rule reports.
    assert.deepEqual(lintRule('selector-overlap', `${stable}---\n${canary}`, { spec: null }), []);
    const api = workload('api', '{app: shop, component: api}', '{app: shop, component: api}');
    const worker = workload('worker', '{app: shop, component: worker}', '{app: shop, component: worker}');
    assert.deepEqual(lintRule('selector-overlap', `${api}---\n${worker}`, { spec: null }), []);
  });

  it('stays quiet across namespaces, for Jobs, CronJobs and Pods, and for one name defined twice', () => {
    const a = workload('web', '{app: web}', '{app: web}');
    assert.deepEqual(lintRule('selector-overlap', `${a}---\n${workload('web2', '{app: web}', '{app: web}', 'Deployment', 'staging')}`, { spec: null }), []);
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels: {app: web}
spec:
  containers: [{name: d, image: d}]
`;
    assert.deepEqual(lintRule('selector-overlap', `${a}---\n${job}`, { spec: null }), []);
    assert.deepEqual(lintRule('selector-overlap', `${a}---\n${workload('web', '{app: web}', '{app: web}', 'DaemonSet')}`, { spec: null }), []);
  });

  it('does not compare sibling folders or files that are variants of each other', () => {
    const a = workload('mysql-a', '{app: mysql}', '{app: mysql}');
    const b = workload('mysql-b', '{app: mysql}', '{app: mysql}');
    assert.deepEqual(lintFiles({ 'samples/one/db.yaml': a, 'samples/two/db.yaml': b }, only), []);
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: mysql\nspec:\n  selector: {app: mysql}\n  ports: [{port: 3306}]\n';
    assert.deepEqual(lintFiles({ 'ipv4.yaml': `${svc}---\n${a}`, 'ipv6.yaml': `${svc}---\n${b}` }, only), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
