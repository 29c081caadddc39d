import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, textAt } from '../testing';

const deployment = (podLabels: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production${extra}
spec:
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
${podLabels}
    spec:
      containers:
        - name: task-api
          image: task-api:1
`;

describe('cost-labels-missing', () => {
  it('reports the pod-template labels key when cost labels are missing, naming each one', () => {
    const text = deployment('        app: task-api  # keep me\n        team: product-team');
    const [d, ...rest] = lintRule('cost-labels-missing', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'labels');
    assert.equal(d.range.start.line, 11);
    assert.match(d.message, /environment: production, cost-center: engineering/);
    assert.doesNotMatch(d.message, /team:/);
  });

  it('fixes by appending the labels with the same indentation, keeping comments', () => {
    const text = deployment('        app: task-api  # keep me\n        team: product-team');
    const fixed = applyFixes(text, lintRule('cost-labels-missing', text));
    assert.ok(fixed.includes('        app: task-api  # keep me\n        team: product-team\n        environment: production\n        cost-center: engineering\n    spec:'), fixed);
    assert.deepEqual(lintRule('cost-labels-missing', fixed), []);
  });

  it('creates the labels map when the pod template has no metadata', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  template:
    spec:
      containers:
        - name: task-api
          image: task-api:1
`;
    const diags = lintRule('cost-labels-missing', text);
    assert.equal(diags.length, 1);
    assert.equal(textAt(text, diags[0]), 'template');
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('  template:\n    spec:\n'), fixed);
    assert.ok(fixed.includes('    metadata:\n      labels:\n        team: product-team\n        app: task-api\n'), fixed);
  });

  it('keeps CRLF line endings in the fix', () => {
    const text = deployment('        app: task-api').replace(/\n/g, '\r\n');
    const fixed = applyFixes(text, lintRule('cost-labels-missing', text));
    assert.ok(!/[^\r]\n/.test(fixed), 'every newline stays CRLF');
    assert.deepEqual(lintRule('cost-labels-missing', fixed), []);
  });

  it('stays quiet for workloads that are not the service, in other namespaces, or without a spec', () => {
    const other = deployment('        app: postgres').replace('name: task-api', 'name: postgres');
    assert.deepEqual(lintRule('cost-labels-missing', other), []);
    const staging = deployment('        app: task-api').replace('namespace: production', 'namespace: staging');
    assert.deepEqual(lintRule('cost-labels-missing', staging), []);
    assert.deepEqual(lintRule('cost-labels-missing', deployment('        app: task-api'), { spec: null }), []);
  });

  it('does not count labels on the Deployment metadata: OpenCost reads pods', () => {
    const text = deployment('        app: task-api', '\n  labels: {team: product-team, environment: production, cost-center: engineering}');
    assert.equal(lintRule('cost-labels-missing', text).length, 1);
  });
});
