import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelKeyProblem, labelValueProblem } from '../labels';
import { lintRule, textAt } from '../testing';
import rule from './label-syntax';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (podLabels: string, selector = '      app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
${selector}
  template:
    metadata:
      labels:
${podLabels}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe('label syntax (Kubernetes validation)', () => {
  it('accepts what the API server accepts', () => {
    for (const k of ['app', 'app.kubernetes.io/name', 'a', 'A_b.c-D', 'example.com/x', 'x'.repeat(63), `${'a'.repeat(253)}/n`]) {
      assert.equal(labelKeyProblem(k), undefined, k);
    }
    for (const v of ['', 'v1', '1.0.0', 'A_b.c-D', 'x'.repeat(63)]) assert.equal(labelValueProblem(v), undefined, v);
  });

  it('says which limit a key or value breaks', () => {
    assert.match(labelKeyProblem('x'.repeat(64))!, /64 characters long; Kubernetes allows at most 63/);
    assert.match(labelKeyProblem(`example.com/${'x'.repeat(64)}`)!, /the name after `\/` is 64 characters/);
    assert.match(labelKeyProblem(`${'a'.repeat(254)}/n`)!, /prefix is 254 characters long/);
    assert.match(labelKeyProblem('Example.com/app')!, /upper-case/);
    assert.match(labelKeyProblem('a/b/c')!, /more than one `\/`/);
    assert.match(labelKeyProblem('/app')!, /prefix before `\/` is empty/);
    assert.match(labelKeyProblem('example.com/')!, /name after `\/` is empty/);
    assert.match(labelKeyProblem('-app')!, /starts with `-`/);
    assert.match(labelKeyProblem('cost center')!, /contains a space/);
    assert.match(labelValueProblem('v1-')!, /ends with `-`/);
    assert.match(labelValueProblem('x'.repeat(64))!, /64 characters long; Kubernetes allows at most 63/);
    assert.match(labelValueProblem('a/b')!, /contains `\/`/);
  });
});

describe('label-syntax', () => {
  it('reports an invalid pod-template key on the key, naming the place and the limit', () => {
    const text = deployment('        app: web\n        cost center: engineering');
    const [d, ...rest] = lintRule('label-syntax', text, { spec: null });
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'cost center');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /Label key `cost center` in the pod-template labels of Deployment web/);
    assert.match(d.message, /contains a space/);
    assert.match(d.message, /API server rejects/);
  });

  it('reports a too-long value on the value, quotes included', () => {
    const long = 'x'.repeat(64);
    const text = deployment(`        app: web\n        version: "${long}"`);
    const [d] = lintRule('label-syntax', text, { spec: null });
    assert.equal(textAt(text, d), `"${long}"`);
    assert.match(d.message, /The value of `version` in the pod-template labels/);
    assert.match(d.message, /64 characters long; Kubernetes allows at most 63/);
  });

  it('checks metadata labels of any kind, flow maps included', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web, tier: "front end"}
data: {}
`;
    const [d] = lintRule('label-syntax', text, { spec: null });
    assert.equal(textAt(text, d), '"front end"');
    assert.match(d.message, /in the labels of ConfigMap settings/);
  });

  it('checks Service selectors and matchExpressions keys and values', () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web_
  ports:
    - port: 80
`;
    const [s] = lintRule('label-syntax', svc, { spec: null });
    assert.equal(textAt(svc, s), 'web_');
    assert.match(s.message, /in the selector of Service web/);

    const text = deployment('        app: web', `      app: web
    matchExpressions:
      - key: tier/
        operator: Exists
      - key: track
        operator: In
        values: [stable, "canary!"]`);
    const diags = lintRule('label-syntax', text, { spec: null });
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['tier/', '"canary!"']);
  });

  it('checks Velero hook label selectors and says Velero cannot parse them', () => {
    const text = `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    hooks:
      resources:
        - name: pg
          labelSelector:
            matchLabels:
              app: "postgres db"
`;
    const [d] = lintRule('label-syntax', text, { spec: null });
    assert.equal(textAt(text, d), '"postgres db"');
    assert.match(d.message, /hook label selector of Schedule daily/);
    assert.match(d.message, /Velero cannot parse/);
  });

  it('stays quiet on valid labels, empty values, non-string values (schema\'s) and template placeholders', () => {
    assert.deepEqual(lintRule('label-syntax', deployment('        app: web\n        app.kubernetes.io/part-of: shop\n        canary: ""'), { spec: null }), []);
    assert.deepEqual(lintRule('label-syntax', deployment('        app: web\n        version: 1.0\n        enabled: true'), { spec: null }), []);
    assert.deepEqual(lintRule('label-syntax', deployment('        app: web\n        shard: "{{shard}}"\n        model: ${MODEL:-llama}\n        x: $(VAR)'), { spec: null }), []);
  });

  it('reports a node reached twice through an alias once, where it is written', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
    bad key: x
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: *labels
    spec:
      containers: [{name: web, image: nginx}]
`;
    const [d, ...rest] = lintRule('label-syntax', text, { spec: null });
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'bad key');
    assert.equal(d.range.start.line, 6);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
