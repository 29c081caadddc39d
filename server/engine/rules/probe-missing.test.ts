import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, lintRule, textAt } from '../testing';
import rule from './probe-missing';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (containers: string, opts: { name?: string; kind?: string } = {}) => `apiVersion: apps/v1
kind: ${opts.kind ?? 'Deployment'}
metadata:
  name: ${opts.name ?? 'task-api'}
  namespace: production
spec:
  replicas: 3
  selector:
    matchLabels: {app: ${opts.name ?? 'task-api'}}
  template:
    metadata:
      labels: {app: ${opts.name ?? 'task-api'}}
    spec:
      containers:
${containers}
`;

const API = `        - name: task-api
          image: task-api:1
          ports:
            - {name: http, containerPort: 8000}`;
const EXPORTER = `        - name: exporter
          image: exporter:1
          ports:
            - {name: metrics, containerPort: 9100}`;
const READY = `
          readinessProbe:
            httpGet: {path: /health, port: http}`;

const service = (targetPort: string) => `apiVersion: v1
kind: Service
metadata:
  name: task-api
  namespace: production
spec:
  selector: {app: task-api}
  ports:
    - port: 80
      targetPort: ${targetPort}
`;

describe('probe-missing', () => {
  it('reports a container a Service (other file) sends traffic to, on the container, with the spec and the Service', () => {
    const dep = deployment(API);
    const diags = lintFiles({ 'deploy.yaml': dep, 'svc.yaml': service('http') }, { only: ['probe-missing'] });
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.file, 'deploy.yaml');
    assert.equal(textAt(dep, d), 'name');
    assert.equal(d.range.start.line, 14);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /Container task-api of Deployment task-api serves traffic \(Service task-api sends it traffic\) but has no readinessProbe/);
    assert.match(d.message, /5xx \(spec SC-009\)/);
    assert.ok(d.related?.some((r) => r.file.endsWith('opex.yaml')));
    assert.ok(d.related?.some((r) => r.file.endsWith('svc.yaml')));
  });

  it('checks only the containers the Service targets, not a metrics sidecar', () => {
    const text = `${deployment(`${API}${READY}\n${EXPORTER}`)}---\n${service('http')}`;
    assert.deepEqual(lintRule('probe-missing', text), []);
    const numeric = `${deployment(`${API}\n${EXPORTER}${READY.replace('http}', '9100}')}`)}---\n${service('8000')}`;
    const [d] = lintRule('probe-missing', numeric);
    assert.match(d.message, /Container task-api/);
  });

  it('without a Service, takes containers that declare ports as served, and mentions a liveness probe', () => {
    const text = deployment(`${API}\n          livenessProbe:\n            httpGet: {path: /health, port: http}`);
    const [d] = lintRule('probe-missing', text);
    assert.match(d.message, /it declares port http/);
    assert.match(d.message, /livenessProbe restarts a stuck container but does not keep traffic away/);
    assert.deepEqual(lintRule('probe-missing', deployment('        - name: task-api\n          image: task-api:1')), []);
  });

  it('stays quiet with a readiness probe, for other workloads, Jobs, and without a spec', () => {
    assert.deepEqual(lintRule('probe-missing', deployment(`${API}${READY}`)), []);
    assert.deepEqual(lintRule('probe-missing', deployment(API.replace(/task-api/g, 'worker'), { name: 'worker' })), []);
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: task-api-migrate
  namespace: production
spec:
  template:
    metadata:
      labels: {app: task-api}
    spec:
      restartPolicy: Never
      containers:
${API}
`;
    assert.deepEqual(lintRule('probe-missing', job), []);
    assert.deepEqual(lintRule('probe-missing', deployment(API), { spec: null }), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
