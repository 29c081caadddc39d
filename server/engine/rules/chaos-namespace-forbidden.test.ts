import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, textAt } from '../testing';

const rule = 'chaos-namespace-forbidden';

const podChaos = (selector: string, ns = 'chaos-mesh') => `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: task-api-pod-kill
  namespace: ${ns}
spec:
  action: pod-kill
  mode: one
  selector:
${selector}`;

describe('chaos-namespace-forbidden', () => {
  it('reports a forbidden namespace on the list item and fixes the list to the spec\'s', () => {
    const text = podChaos('    namespaces:\n      - production  # oops\n    labelSelectors:\n      app: task-api\n');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'error');
    assert.equal(textAt(text, d), 'production');
    assert.equal(d.range.start.line, 10);
    assert.match(d.message, /PodChaos task-api-pod-kill reaches namespace production through selector.namespaces, outside the namespaces the spec allows chaos in \(staging\)/);
    assert.equal(d.related?.[0].file.endsWith('opex.yaml'), true);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('    namespaces:\n      - staging  # oops\n    labelSelectors:\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('drops forbidden namespaces when an allowed one remains', () => {
    const text = podChaos('    namespaces:\n      - staging\n      - production\n      - default\n    labelSelectors: {app: task-api}\n');
    const diags = lintRule(rule, text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['production', 'default']);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('    namespaces:\n      - staging\n    labelSelectors: {app: task-api}\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('rewrites a flow list once, even with several forbidden namespaces', () => {
    const text = podChaos('    namespaces: [production, qa]\n    labelSelectors: {app: task-api}\n');
    const diags = lintRule(rule, text);
    assert.equal(diags.length, 2);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('    namespaces: [staging]\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('with several allowed namespaces, puts all of them in place of a list that had none', () => {
    const spec = TEST_SPEC.replace('chaosNamespaces: [staging]', 'chaosNamespaces: [staging, qa]');
    const text = podChaos('    namespaces:\n      - production\n      - prod-eu\n    labelSelectors: {app: task-api}\n');
    const diags = lintRule(rule, text, { spec });
    assert.equal(diags.length, 2);
    assert.match(diags[0].message, /Set selector.namespaces to \[staging, qa\]/);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('    namespaces:\n      - staging\n      - qa\n    labelSelectors:'), fixed);
    assert.deepEqual(lintRule(rule, fixed, { spec }), []);
  });

  it('reports an absent namespaces list on selector when the experiment\'s own namespace is forbidden, and adds the list', () => {
    const text = podChaos('    labelSelectors:\n      app: task-api\n', 'production');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'selector');
    assert.match(d.message, /has no selector.namespaces, so Chaos Mesh targets the experiment's own namespace, production/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.endsWith('    labelSelectors:\n      app: task-api\n    namespaces:\n      - staging\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('treats an experiment without metadata.namespace as in default, and an empty list as absent', () => {
    const noNs = podChaos('    labelSelectors: {app: task-api}\n').replace('  namespace: chaos-mesh\n', '');
    const [d] = lintRule(rule, noNs);
    assert.match(d.message, /the experiment's own namespace, default \(it sets no metadata.namespace either\)/);
    const empty = podChaos('    namespaces: []\n    labelSelectors: {app: task-api}\n', 'production');
    const [e] = lintRule(rule, empty);
    assert.equal(textAt(empty, e), 'namespaces');
    const fixed = applyFixes(empty, [e]);
    assert.ok(fixed.includes('    namespaces: [staging]\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('is quiet for the chapter\'s experiment: created in chaos-mesh, selecting staging', () => {
    assert.deepEqual(lintRule(rule, podChaos('    namespaces:\n      - staging\n    labelSelectors:\n      app: task-api\n')), []);
    assert.deepEqual(lintRule(rule, podChaos('    labelSelectors: {app: task-api}\n', 'staging')), []);
  });

  it('reports pods listed by name in a forbidden namespace (namespaces are then ignored), without a fix', () => {
    const text = podChaos('    namespaces: [staging]\n    pods:\n      production: [task-api-7d9f-abcde]\n');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'production');
    assert.match(d.message, /lists pods of namespace production in selector.pods/);
    assert.equal(d.fix, undefined);
  });

  it('checks the target side of a NetworkChaos', () => {
    const text = `apiVersion: chaos-mesh.org/v1alpha1
kind: NetworkChaos
metadata: {name: partition, namespace: staging}
spec:
  action: partition
  mode: one
  duration: 30s
  selector:
    namespaces: [staging]
    labelSelectors: {app: task-api}
  direction: to
  target:
    mode: all
    selector:
      namespaces: [production]
      labelSelectors: {app: postgres}
`;
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'production');
    assert.match(d.message, /through target.selector.namespaces/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('    selector:\n      namespaces: [staging]\n      labelSelectors: {app: postgres}'), fixed);
  });

  it('checks the experiment a Chaos Mesh Schedule creates', () => {
    const text = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: {name: nightly-kill, namespace: production}
spec:
  schedule: "@every 1h"
  type: PodChaos
  historyLimit: 2
  concurrencyPolicy: Forbid
  podChaos:
    action: pod-kill
    mode: one
    selector:
      labelSelectors: {app: task-api}
`;
    const [d] = lintRule(rule, text);
    assert.equal(textAt(text, d), 'selector');
    assert.equal(d.range.start.line, 11);
    assert.match(d.message, /^Schedule nightly-kill \(PodChaos\) has no selector.namespaces/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.endsWith('      labelSelectors: {app: task-api}\n      namespaces:\n        - staging\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('is quiet without a spec and for kinds that select no pods', () => {
    assert.deepEqual(lintRule(rule, podChaos('    namespaces: [production]\n'), { spec: null }), []);
    const aws = `apiVersion: chaos-mesh.org/v1alpha1
kind: AWSChaos
metadata: {name: ec2-stop, namespace: production}
spec:
  action: ec2-stop
  secretName: cloud-key
  awsRegion: us-east-1
  ec2Instance: i-0123
  duration: 5m
`;
    assert.deepEqual(lintRule(rule, aws), []);
  });
});
