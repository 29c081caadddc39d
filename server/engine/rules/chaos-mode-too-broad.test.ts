import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintFiles, lintRule, textAt } from '../testing';

const rule = 'chaos-mode-too-broad';

const chaos = (mode: string, value?: string, kind = 'PodChaos', extra = '  action: pod-kill\n') => `apiVersion: chaos-mesh.org/v1alpha1
kind: ${kind}
metadata:
  name: task-api-chaos
  namespace: staging
spec:
${extra}  mode: ${mode}
${value === undefined ? '' : `  value: ${value}\n`}  selector:
    namespaces: [staging]
    labelSelectors:
      app: task-api
`;

const deployment = (replicas: string, kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: task-api
  namespace: staging
spec:
${replicas}  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels: {app: task-api}
    spec:
      containers:
        - name: task-api
          image: task-api:1
`;

const only = (files: Record<string, string>) => lintFiles(files, { only: [rule] }).filter((d) => d.ruleId === rule);

describe('chaos-mode-too-broad', () => {
  it('reports mode all on the mode value and fixes it to one', () => {
    const text = chaos('all  # everything');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(text, d), 'all');
    assert.equal(d.range.start.line, 7);
    assert.match(d.message, /PodChaos task-api-chaos uses mode all: it fails every pod the selector matches at once/);
    assert.match(d.message, /Use mode: one/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('  mode: one  # everything\n'), fixed);
    assert.deepEqual(lintRule(rule, fixed), []);
  });

  it('reports percentages of 50 or more, keeps quotes in the fix', () => {
    const text = chaos('"fixed-percent"', '"50"');
    const [d] = lintRule(rule, text);
    assert.equal(textAt(text, d), '"fixed-percent"');
    assert.match(d.message, /uses mode fixed-percent with value 50: it fails 50% of the matched pods at once/);
    assert.ok(applyFixes(text, [d]).includes('  mode: "one"\n'));
    assert.match(lintRule(rule, chaos('random-max-percent', '"80"'))[0].message, /fails up to 80%/);
    assert.deepEqual(lintRule(rule, chaos('fixed-percent', '"49"')), []);
    assert.deepEqual(lintRule(rule, chaos('random-max-percent', '"30"')), []);
  });

  it('compares a fixed count with the replicas of the matched workloads across files', () => {
    const text = chaos('fixed', '"2"');
    const [d, ...rest] = only({ 'chaos.yaml': text, 'deploy.yaml': deployment('  replicas: 4\n') });
    assert.equal(rest.length, 0);
    assert.match(d.message, /it fails 2 pods at once, at least half of the 4 replicas the selector matches/);
    assert.equal(d.related?.some((r) => r.file.endsWith('deploy.yaml')), true);
    assert.match(only({ 'chaos.yaml': chaos('fixed', '"3"'), 'deploy.yaml': deployment('  replicas: 3\n') })[0].message, /every one of the 3 replicas/);
    assert.deepEqual(only({ 'chaos.yaml': text, 'deploy.yaml': deployment('  replicas: 5\n') }), []);
  });

  it('never reports a fixed count of one, nor a count it cannot compare', () => {
    assert.deepEqual(only({ 'chaos.yaml': chaos('fixed', '"1"'), 'deploy.yaml': deployment('  replicas: 2\n') }), []);
    assert.deepEqual(only({ 'chaos.yaml': chaos('fixed', '"2"') }), []);
    assert.deepEqual(only({ 'chaos.yaml': chaos('fixed', '"2"'), 'ds.yaml': deployment('', 'DaemonSet') }), []);
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: task-api, namespace: staging}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: task-api}
  minReplicas: 3
  maxReplicas: 20
`;
    assert.deepEqual(only({ 'chaos.yaml': chaos('fixed', '"2"'), 'deploy.yaml': deployment('  replicas: 3\n'), 'hpa.yaml': hpa }), []);
  });

  it('is quiet for mode one, for the NetworkChaos target side, and without a spec', () => {
    assert.deepEqual(lintRule(rule, chaos('one')), []);
    const network = chaos('one', undefined, 'NetworkChaos', '  action: partition\n  duration: 30s\n  direction: to\n  target:\n    mode: all\n    selector: {namespaces: [staging], labelSelectors: {app: postgres}}\n');
    assert.deepEqual(lintRule(rule, network), []);
    assert.deepEqual(lintRule(rule, chaos('all'), { spec: null }), []);
  });

  it('checks experiments inside a Chaos Mesh Schedule', () => {
    const text = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: {name: hourly, namespace: staging}
spec:
  schedule: "@every 1h"
  type: StressChaos
  stressChaos:
    mode: all
    duration: 30s
    selector: {namespaces: [staging], labelSelectors: {app: task-api}}
    stressors: {cpu: {workers: 1, load: 50}}
`;
    const [d] = lintRule(rule, text);
    assert.equal(textAt(text, d), 'all');
    assert.match(d.message, /^Schedule hourly \(StressChaos\) uses mode all/);
    assert.deepEqual(lintRule(rule, applyFixes(text, [d])), []);
  });
});
