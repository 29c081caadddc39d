import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, textAt } from '../testing';
import rule from './cost-labels-inconsistent';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const POD = '        app: task-api\n        team: product-team\n        environment: production\n        cost-center: engineering';

const deployment = (meta: string | undefined, pod = POD, kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: task-api
  namespace: production${meta !== undefined ? `\n  labels:\n${meta}` : ''}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
${pod}
    spec:
      containers:
        - name: task-api
          image: task-api:1
`;

describe('cost-labels-inconsistent', () => {
  it('reports metadata labels that lack cost labels on the labels key, and adds them there (never to the template)', () => {
    const text = deployment('    app: task-api  # keep\n    tier: backend');
    const [d, ...rest] = lintRule('cost-labels-inconsistent', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'labels');
    assert.equal(d.range.start.line, 5);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /lack the cost labels team: product-team, environment: production, cost-center: engineering/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('    app: task-api  # keep\n    tier: backend\n    team: product-team\n    environment: production\n    cost-center: engineering\nspec:'), fixed);
    assert.ok(fixed.includes(`      labels:\n${POD}\n    spec:`), 'the pod template is untouched');
    assert.deepEqual(lintRule('cost-labels-inconsistent', fixed), []);
  });

  it('creates metadata.labels when the workload has none', () => {
    const text = deployment(undefined);
    const [d] = lintRule('cost-labels-inconsistent', text);
    assert.equal(textAt(text, d), 'metadata');
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.startsWith('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: task-api\n  namespace: production\n  labels:\n    team: product-team\n    app: task-api\n    environment: production\n    cost-center: engineering\nspec:\n'), fixed);
    assert.deepEqual(lintRule('cost-labels-inconsistent', fixed), []);
  });

  it('reports a metadata value that disagrees with the (right) pod value on that value, fixing the metadata side', () => {
    const text = deployment("    app: task-api\n    team: 'platform'\n    environment: production\n    cost-center: engineering");
    const [d, ...rest] = lintRule('cost-labels-inconsistent', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), "'platform'");
    assert.match(d.message, /labelled team: platform, but its pods \(and the spec\) say team: product-team/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes("    team: 'product-team'\n"), fixed);
    assert.deepEqual(lintRule('cost-labels-inconsistent', fixed), []);
  });

  it('leaves wrong or missing pod labels to the other cost rules (one cause, one diagnostic)', () => {
    const meta = '    app: task-api\n    team: product-team\n    environment: production\n    cost-center: engineering';
    assert.deepEqual(lintRule('cost-labels-inconsistent', deployment(meta, '        app: task-api\n        team: platform\n        environment: production\n        cost-center: engineering')), []);
    assert.deepEqual(lintRule('cost-labels-inconsistent', deployment(meta, '        app: task-api')), []);
  });

  it('stays quiet for Pods, consistent workloads, other workloads and without a spec', () => {
    const meta = '    app: task-api\n    team: product-team\n    environment: production\n    cost-center: engineering';
    assert.deepEqual(lintRule('cost-labels-inconsistent', deployment(meta)), []);
    assert.deepEqual(lintRule('cost-labels-inconsistent', deployment(undefined).replace(/name: task-api/, 'name: worker').replace(/app: task-api/g, 'app: worker')), []);
    assert.deepEqual(lintRule('cost-labels-inconsistent', deployment(undefined), { spec: null }), []);
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: task-api
  namespace: production
  labels: {app: task-api, team: product-team, environment: production, cost-center: engineering}
spec:
  containers: [{name: task-api, image: task-api:1}]
`;
    assert.deepEqual(lintRule('cost-labels-inconsistent', pod), []);
  });

  it('its documented examples behave and the fix clears the bad one', () => {
    const bad = lintRule(rule.meta.id, examples.bad);
    assert.ok(bad.length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
    assert.deepEqual(lintRule(rule.meta.id, applyFixes(examples.bad, bad)), []);
  });
});
