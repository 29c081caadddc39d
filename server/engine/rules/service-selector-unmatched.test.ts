import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, lintRule, textAt } from '../testing';
import rule, { looksMisspelt } from './service-selector-unmatched';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (name: string, podLabels: string, opts: { kind?: string; meta?: string; ns?: string } = {}) => `apiVersion: apps/v1
kind: ${opts.kind ?? 'Deployment'}
metadata:
  name: ${name}
  namespace: ${opts.ns ?? 'shop'}${opts.meta ? `\n  labels: ${opts.meta}` : ''}
spec:
  selector:
    matchLabels: ${podLabels}
  template:
    metadata:
      labels: ${podLabels}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
`;

const service = (name: string, selector: string, extra = '', ns = 'shop') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:${extra}
  selector:
${selector}
  ports:
    - port: 80
`;

const only = { only: ['service-selector-unmatched'], spec: null };
const lint = (text: string) => lintRule('service-selector-unmatched', text, { spec: null });

describe('looksMisspelt', () => {
  it('takes small edits for typos but not versions or longer names', () => {
    assert.ok(looksMisspelt('taskapi', 'task-api'));
    assert.ok(looksMisspelt('wbe', 'web'));
    assert.ok(looksMisspelt('frontned', 'frontend'));
    assert.ok(!looksMisspelt('app-v2', 'app-v1'));
    assert.ok(!looksMisspelt('postgresql', 'postgres'));
    assert.ok(!looksMisspelt('api', 'web'));
    assert.ok(!looksMisspelt('blue', 'green'));
  });
});

describe('service-selector-unmatched', () => {
  it('reports a misspelt selector value next to its Deployment (other file), on the value', () => {
    const dep = deployment('checkout', '{app: checkout, tier: backend}');
    const svc = service('checkout-svc', '    app: chekout\n    tier: backend');
    const diags = lintFiles({ 'deploy.yaml': dep, 'svc.yaml': svc }, only);
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.file, 'svc.yaml');
    assert.equal(textAt(svc, d), 'chekout');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /Service checkout-svc selects no pods in namespace shop: its selector requires app=chekout, but the pods of Deployment checkout carry app=checkout/);
    assert.ok(d.related?.[0].file.endsWith('deploy.yaml'));
  });

  it('reports a misspelt key on the key', () => {
    const text = `${deployment('cart', '{app: cart}')}---\n${service('cart-svc', '    ap: cart')}`;
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'ap');
    assert.match(d.message, /requires ap=cart, but the pods of Deployment cart carry app=cart/);
  });

  it('reports a label the workload carries only on itself, not on its pods', () => {
    const text = `${deployment('cart', '{app: cart}', { meta: '{app: cart, tier: backend}' })}---\n${service('cart-svc', '    app: cart\n    tier: backend')}`;
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'tier');
    assert.match(d.message, /which Deployment cart carries in its own metadata.labels but not in its pod template/);
  });

  it('reports a Service named like a workload whose pods it misses', () => {
    const text = `${deployment('web', '{app: web, role: frontend}')}---\n${service('web', '    component: ui')}`;
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'selector');
    assert.match(d.message, /requires component=ui, but the pods of Deployment web, named like this Service, carry app=web,role=frontend/);
  });

  it('stays quiet for Services whose pods are defined elsewhere', () => {
    // Only Services in the folder (a Helm subchart or another repository runs the pods).
    assert.deepEqual(lint(service('db', '    app: postgres')), []);
    // Workloads of the namespace exist but none is evidently meant (an operator creates these pods).
    const text = `${deployment('prometheus-operator', '{app.kubernetes.io/name: prometheus-operator}')}---\n${service('prometheus-k8s', '    app.kubernetes.io/name: prometheus\n    prometheus: k8s')}`;
    assert.deepEqual(lint(text), []);
    // A different version or a longer name is another application, not a typo.
    assert.deepEqual(lint(`${deployment('api-v1', '{app: api, version: v1}')}---\n${service('api-v2', '    app: api\n    version: v2')}`), []);
    assert.deepEqual(lint(`${deployment('postgres', '{app: postgres}')}---\n${service('postgresql', '    app: postgresql')}`), []);
    // Another namespace.
    assert.deepEqual(lint(`${deployment('cart', '{app: cart}')}---\n${service('cart', '    app: crat', '', 'other')}`), []);
  });

  it('stays quiet for matching Services, ExternalName, selector-less Services and controller-added labels', () => {
    assert.deepEqual(lint(`${deployment('cart', '{app: cart, tier: backend}')}---\n${service('cart', '    app: cart')}`), []);
    assert.deepEqual(lint(`${deployment('cart', '{app: cart}')}---\n${service('cart', '    app: crat', '\n  type: ExternalName\n  externalName: cart.example.com')}`), []);
    assert.deepEqual(lint(`${deployment('cart', '{app: cart}')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  clusterIP: None\n  ports: [{port: 80}]\n`), []);
    const perPod = `${deployment('kafka', '{app: kafka}', { kind: 'StatefulSet' })}---\n${service('kafka-0', '    app: kafka\n    statefulset.kubernetes.io/pod-name: kafka-0')}`;
    assert.deepEqual(lint(perPod), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
