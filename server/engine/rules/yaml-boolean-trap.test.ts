import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintFiles, lintRule, textAt } from '../testing';

const vpa = (mode: string) => `apiVersion: autoscaling.k8s.io/v1
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
    updateMode: ${mode}
`;

describe('yaml-boolean-trap', () => {
  it('reports an unquoted updateMode: Off on the value and quotes it, keeping the comment', () => {
    const text = vpa('Off   # SC-003: recommendations only');
    const [d, ...rest] = lintRule('yaml-boolean-trap', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'Off');
    assert.deepEqual(d.range, { start: { line: 11, character: 16 }, end: { line: 11, character: 19 } });
    assert.equal(d.severity, 'error');
    assert.match(d.message, /^Unquoted `Off` is the boolean false to kubectl, which reads YAML 1\.1, but `updateMode` in VerticalPodAutoscaler task-api-vpa \(`spec\.updatePolicy\.updateMode`\) must be a string/);
    assert.match(d.message, /Quote it: "Off"\.$/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, vpa('"Off"   # SC-003: recommendations only'));
    assert.deepEqual(lintRule('yaml-boolean-trap', fixed), []);
    assert.equal(applyFixes(fixed, lintRule('yaml-boolean-trap', fixed)), fixed);
  });

  it('is the only rule to report it (not schema, not vpa-update-mode)', () => {
    const text = vpa('Off');
    const all = lintFiles({ 'vpa.yaml': text }).filter((d) => d.severity === 'error');
    assert.deepEqual(all.map((d) => d.ruleId), ['yaml-boolean-trap']);
  });

  it('covers every YAML 1.1 spelling where strings are expected: labels, annotations, env, args, ConfigMap data', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
  labels: {canary: yes, tier: "no"}
  annotations:
    example.com/enabled: on
data:
  FEATURE_X: Y
  FEATURE_Y: n
  FEATURE_Z: NO
  QUOTED: 'off'
  TRUE_IS_YAML12_BOOLEAN_AND_SCHEMAS_JOB: "true"
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: migrate:1
          args: [--dry-run, No]
          env:
            - name: VERBOSE
              value: ON
`;
    const diags = lintRule('yaml-boolean-trap', text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['yes', 'on', 'Y', 'n', 'NO', 'No', 'ON']);
    assert.match(diags[0].message, /`canary` in ConfigMap flags \(`metadata\.labels\.canary`\)/);
    assert.match(diags[5].message, /^Unquoted `No` is the boolean false .* item 2 of `args` in Job migrate/);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('labels: {canary: "yes", tier: "no"}'), fixed);
    assert.ok(fixed.includes('args: [--dry-run, "No"]'), fixed);
    assert.ok(fixed.includes('  FEATURE_X: "Y"\n  FEATURE_Y: "n"\n  FEATURE_Z: "NO"\n'), fixed);
    assert.ok(fixed.includes('              value: "ON"\n'), fixed);
    assert.deepEqual(lintRule('yaml-boolean-trap', fixed), []);
  });

  it('stays quiet where the schema expects a boolean', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: yes
  automountServiceAccountToken: no
  containers:
    - name: c
      image: busybox
      tty: on
      stdin: Off
`;
    assert.deepEqual(lintRule('yaml-boolean-trap', text), []);
    assert.deepEqual(lintFiles({ 'p.yaml': text }, { only: ['schema', 'yaml-boolean-trap'] }), []);
  });

  it('stays quiet for kinds without a schema, free-form fields, keys and non-Kubernetes files', () => {
    const text = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {mode: Off}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  yes: enabled
`;
    assert.deepEqual(lintRule('yaml-boolean-trap', text), []);
    const workflow = `name: ci
on:
  push: {}
jobs:
  build: {runs-on: ubuntu-latest, steps: [{run: echo yes}]}
`;
    assert.deepEqual(lintRule('yaml-boolean-trap', workflow), []);
  });

  it('reports inside CRDs where a string is expected (Velero, Chaos Mesh)', () => {
    const text = `apiVersion: velero.io/v1
kind: Schedule
metadata: {name: daily, namespace: velero}
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    labelSelector:
      matchLabels: {backup: yes}
    snapshotVolumes: yes
`;
    const diags = lintRule('yaml-boolean-trap', text);
    assert.deepEqual(diags.map((d) => [d.range.start.line, textAt(text, d)]), [[8, 'yes']]);
  });

  it('keeps CRLF and flow style intact', () => {
    const text = vpa('Off').replace(/\n/g, '\r\n');
    const fixed = applyFixes(text, lintRule('yaml-boolean-trap', text));
    assert.equal(fixed, vpa('"Off"').replace(/\n/g, '\r\n'));
  });
});
