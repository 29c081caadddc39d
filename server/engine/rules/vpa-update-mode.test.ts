import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, textAt } from '../testing';

const vpa = (spec: string, ns = 'production') => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: task-api-vpa
  namespace: ${ns}
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: task-api
${spec}`;

const rule = 'vpa-update-mode';

describe('vpa-update-mode', () => {
  it('reports a mode other than the spec\'s on the value, saying what it does', () => {
    const text = vpa('  updatePolicy:\n    updateMode: Auto  # evicts\n');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'Auto');
    assert.equal(d.range.start.line, 11);
    assert.equal(d.severity, 'error');
    assert.match(d.message, /VerticalPodAutoscaler task-api-vpa has updateMode Auto/);
    assert.match(d.message, /evicts running pods/);
    assert.match(d.message, /allows only Off/);
    assert.equal(d.related?.[0].file.endsWith('opex.yaml'), true);
  });

  it('fixes the value to "Off" in quotes, keeping the comment, and a second lint is clean', () => {
    const text = vpa('  updatePolicy:\n    updateMode: Auto  # evicts\n');
    const fixed = applyFixes(text, lintRule(rule, text));
    assert.ok(fixed.endsWith('  updatePolicy:\n    updateMode: "Off"  # evicts\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('keeps single quotes and flow style', () => {
    const single = vpa("  updatePolicy:\n    updateMode: 'Recreate'\n");
    assert.ok(applyFixes(single, lintRule(rule, single)).endsWith("    updateMode: 'Off'\n"));
    const flow = vpa('  updatePolicy: {updateMode: InPlaceOrRecreate, minReplicas: 2}\n');
    const [d] = lintRule(rule, flow);
    assert.equal(textAt(flow, d), 'InPlaceOrRecreate');
    const fixed = applyFixes(flow, [d]);
    assert.ok(fixed.endsWith('  updatePolicy: {updateMode: "Off", minReplicas: 2}\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('reports a missing updatePolicy on spec (it means Auto) and inserts the block', () => {
    const text = vpa('  resourcePolicy:\n    containerPolicies:\n      - containerName: "*"\n');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'spec');
    assert.equal(d.range.start.line, 5);
    assert.match(d.message, /has no updatePolicy, so it runs in the default mode Auto/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.endsWith('      - containerName: "*"\n  updatePolicy:\n    updateMode: "Off"\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('reports an updatePolicy without updateMode on updatePolicy and adds the key', () => {
    const text = vpa('  updatePolicy:\n    minReplicas: 2\n');
    const [d] = lintRule(rule, text);
    assert.equal(textAt(text, d), 'updatePolicy');
    assert.match(d.message, /sets no updatePolicy.updateMode/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.endsWith('  updatePolicy:\n    minReplicas: 2\n    updateMode: "Off"\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('fills an empty updatePolicy', () => {
    const text = vpa('  updatePolicy:\n  resourcePolicy: {}\n');
    const [d] = lintRule(rule, text);
    assert.equal(textAt(text, d), 'updatePolicy');
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.endsWith('  updatePolicy:\n    updateMode: "Off"\n  resourcePolicy: {}\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('leaves an unquoted Off to yaml-boolean-trap, and unknown values to the schema', () => {
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: Off\n')), []);
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: off\n')), []);
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: "off"\n')), []);
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: true\n')), []);
  });

  it('is quiet for "Off", for other namespaces than the spec\'s, and without a spec', () => {
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: "Off"\n')), []);
    assert.deepEqual(lintRule(rule, vpa("  updatePolicy:\n    updateMode: 'Off'\n")), []);
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: Auto\n', 'staging')), []);
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: Auto\n'), { spec: null }), []);
  });

  it('follows the spec\'s mode: Initial required, Auto equals Recreate', () => {
    const initial = TEST_SPEC.replace('vpaUpdateMode: "Off"', 'vpaUpdateMode: Initial');
    const text = vpa('  updatePolicy:\n    updateMode: "Off"\n');
    const [d] = lintRule(rule, text, { spec: initial });
    assert.match(d.message, /allows only Initial/);
    assert.ok(applyFixes(text, [d]).endsWith('    updateMode: "Initial"\n'));
    const recreate = TEST_SPEC.replace('vpaUpdateMode: "Off"', 'vpaUpdateMode: Recreate');
    assert.deepEqual(lintRule(rule, vpa('  updatePolicy:\n    updateMode: Auto\n'), { spec: recreate }), []);
    assert.deepEqual(lintRule(rule, vpa('  other: 1\n'), { spec: recreate }), []);
  });

  it('keeps CRLF line endings when inserting the block', () => {
    const text = vpa('').replace(/\n/g, '\r\n');
    const fixed = applyFixes(text, lintRule(rule, text));
    assert.ok(fixed.includes('\r\n  updatePolicy:\r\n    updateMode: "Off"'), JSON.stringify(fixed));
    assert.ok(!/[^\r]\n/.test(fixed));
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('reads the older v1beta2 API and ignores other kinds', () => {
    const beta = vpa('  updatePolicy:\n    updateMode: Recreate\n').replace('autoscaling.k8s.io/v1', 'autoscaling.k8s.io/v1beta2');
    assert.equal(lintRule(rule, beta).length, 1);
    const other = vpa('  updatePolicy:\n    updateMode: Recreate\n').replace('autoscaling.k8s.io/v1', 'example.com/v1');
    assert.deepEqual(lintRule(rule, other), []);
  });
});
