import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SPEC, applyFixes, lintFiles, lintRule, textAt } from '../testing';
import rule from './replicas-too-low';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (replicas: string, kind = 'Deployment', name = 'task-api') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: production
spec:${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
`;

const hpa = (spec: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: task-api
  namespace: production
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: task-api
${spec}
`;

const lint = (text: string, spec?: string | null) => lintRule('replicas-too-low', text, { spec });

describe('replicas-too-low', () => {
  it('reports a missing replicas on spec and inserts replicas: 2 as its first key', () => {
    const text = deployment('');
    const [d, ...rest] = lint(text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'spec');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /Deployment task-api runs a single pod \(replicas is not set, so Kubernetes runs 1\)/);
    assert.match(d.message, /recovery from a pod kill within 30 seconds \(SC-008\)/);
    assert.ok(d.related?.some((r) => r.file.endsWith('opex.yaml')));
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('spec:\n  replicas: 2\n  selector:\n'), fixed);
    assert.deepEqual(lint(fixed), []);
  });

  it('keeps CRLF line endings when it inserts replicas', () => {
    const text = deployment('').replace(/\n/g, '\r\n');
    const fixed = applyFixes(text, lint(text));
    assert.ok(fixed.includes('spec:\r\n  replicas: 2\r\n  selector:'), JSON.stringify(fixed));
    assert.ok(!/[^\r]\n/.test(fixed), 'every newline stays CRLF');
    assert.deepEqual(lint(fixed), []);
  });

  it('reports replicas: 1 (and 0) on the value and sets 2, keeping a comment', () => {
    const text = deployment('\n  replicas: 1  # cheap');
    const [d] = lint(text);
    assert.equal(textAt(text, d), '1');
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('  replicas: 2  # cheap\n'), fixed);
    assert.deepEqual(lint(fixed), []);
    assert.match(lint(deployment('\n  replicas: 0'))[0].message, /runs no pod/);
  });

  it('checks StatefulSets of the service, not DaemonSets or other workloads', () => {
    assert.equal(lint(deployment('', 'StatefulSet')).length, 1);
    assert.deepEqual(lint(deployment('', 'DaemonSet')), []);
    assert.deepEqual(lint(deployment('', 'Deployment', 'worker')), []);
  });

  it('reports an HPA (other file) whose minimum is below 2 instead of the Deployment, and fixes the HPA', () => {
    const h = hpa('  minReplicas: 1\n  maxReplicas: 5');
    const diags = lintFiles({ 'deploy.yaml': deployment('\n  replicas: 1'), 'hpa.yaml': h }, { only: ['replicas-too-low'] });
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.file, 'hpa.yaml');
    assert.equal(textAt(h, d), '1');
    assert.match(d.message, /HorizontalPodAutoscaler task-api may scale Deployment task-api down to 1 pod \(minReplicas is 1\)/);
    assert.ok(d.related?.some((r) => r.file.endsWith('deploy.yaml')));
    const fixed = applyFixes(h, [d]);
    assert.ok(fixed.includes('  minReplicas: 2\n  maxReplicas: 5\n'), fixed);

    const noMin = hpa('  maxReplicas: 5');
    const [m] = lintFiles({ 'deploy.yaml': deployment(''), 'hpa.yaml': noMin }, { only: ['replicas-too-low'] });
    assert.equal(textAt(noMin, m), 'spec');
    assert.match(m.message, /minReplicas is not set, so it is 1/);
    assert.ok(applyFixes(noMin, [m]).includes('    name: task-api\n  minReplicas: 2\n  maxReplicas: 5\n'));
  });

  it('is satisfied by an HPA or KEDA ScaledObject with a minimum of at least 2', () => {
    assert.deepEqual(lint(`${deployment('\n  replicas: 1')}---\n${hpa('  minReplicas: 2\n  maxReplicas: 5')}`), []);
    const keda = (min: string) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: task-api
  namespace: production
spec:
  scaleTargetRef:
    name: task-api
${min}  maxReplicaCount: 10
`;
    assert.deepEqual(lint(`${deployment('')}---\n${keda('  minReplicaCount: 3\n')}`), []);
    const text = `${deployment('')}---\n${keda('')}`;
    const [d] = lint(text);
    assert.match(d.message, /ScaledObject task-api may scale Deployment task-api down to 0 pods \(minReplicaCount is not set, so it is 0\)/);
  });

  it('stays quiet when the spec has no resilience section, or there is no spec', () => {
    const spec = TEST_SPEC.replace(/resilience:\n(  .*\n)+/, '');
    assert.ok(!spec.includes('resilience'));
    assert.deepEqual(lint(deployment(''), spec), []);
    assert.deepEqual(lint(deployment(''), null), []);
  });

  it('its documented examples behave and the fix clears the bad one', () => {
    const bad = lintRule(rule.meta.id, examples.bad);
    assert.ok(bad.length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
    assert.deepEqual(lintRule(rule.meta.id, applyFixes(examples.bad, bad)), []);
  });
});
