import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SPEC, lintFiles, lintRule, textAt } from '../testing';
import rule from './resources-requests-missing';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const workload = (resources: string, opts: { name?: string; kind?: string; ns?: string } = {}) => `apiVersion: apps/v1
kind: ${opts.kind ?? 'Deployment'}
metadata:
  name: ${opts.name ?? 'task-api'}
  namespace: ${opts.ns ?? 'production'}
spec:
  selector:
    matchLabels: {app: ${opts.name ?? 'task-api'}}
  template:
    metadata:
      labels: {app: ${opts.name ?? 'task-api'}}
    spec:
      containers:
        - name: main
          image: main:1${resources}
`;

const lint = (text: string, spec?: string | null) => lintRule('resources-requests-missing', text, { spec });

describe('resources-requests-missing', () => {
  it('reports a container without resources on the container, naming cpu and memory', () => {
    const text = workload('');
    const [d, ...rest] = lint(text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'name');
    assert.equal(d.range.start.line, 13);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /Container main of Deployment task-api has no cpu and memory request/);
    assert.match(d.message, /SC-003/);
  });

  it('reports a missing cpu request on the requests key', () => {
    const text = workload('\n          resources:\n            requests:\n              memory: 256Mi');
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'requests');
    assert.match(d.message, /no cpu request/);
    assert.doesNotMatch(d.message, /memory request/);
  });

  it('accepts limits alone (Kubernetes copies them into requests) and LimitRange defaults in another file', () => {
    assert.deepEqual(lint(workload('\n          resources:\n            limits: {cpu: 500m, memory: 1Gi}')), []);
    const limitRange = `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: production
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: 100m}
      default: {memory: 512Mi}
`;
    assert.deepEqual(lintFiles({ 'deploy.yaml': workload(''), 'limits.yaml': limitRange }, { only: ['resources-requests-missing'] }), []);
  });

  it('checks every workload of the spec\'s namespace (the database too), none elsewhere or without a spec', () => {
    assert.equal(lint(workload('', { name: 'postgres', kind: 'StatefulSet' })).length, 1);
    assert.deepEqual(lint(workload('', { ns: 'monitoring' })), []);
    assert.deepEqual(lint(workload(''), null), []);
  });

  it('honours the spec turning it off', () => {
    const spec = `${TEST_SPEC}rules: {resources-requests-missing: off}\n`;
    assert.deepEqual(lint(workload(''), spec), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
