import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';
import rule from './probe-port-unknown';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (container: string, sidecar = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web:1
          ports:
            - name: http
              containerPort: 8080
${container}${sidecar}
`;

const lint = (text: string) => lintRule('probe-port-unknown', text, { spec: null });

describe('probe-port-unknown', () => {
  it('reports a named port the container does not declare, on the port value', () => {
    const text = deployment('          readinessProbe:\n            httpGet:\n              path: /ready\n              port: htp');
    const [d, ...rest] = lint(text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'htp');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /readinessProbe of container web of Deployment web uses the port name htp, but the container declares no port of that name \(it declares 8080 \(http\)\)/);
    assert.match(d.message, /never becomes ready/);
    assert.equal(d.related?.[0].range.start.line, 14);
  });

  it('checks tcpSocket and grpc handlers and every probe kind', () => {
    const text = deployment('          livenessProbe:\n            tcpSocket: {port: admin}\n          startupProbe:\n            grpc: {port: 9090}');
    const [d, ...rest] = lint(text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'admin');
    assert.match(d.message, /restarts the container again and again/);
  });

  it('resolves a name in the probed container only, as the kubelet does', () => {
    const sidecar = '\n        - name: metrics\n          image: exporter\n          ports: [{name: metrics, containerPort: 9100}]';
    const text = deployment('          readinessProbe:\n            httpGet: {path: /, port: metrics}', sidecar);
    assert.equal(lint(text).length, 1);
  });

  it('never reports numbers (health ports are often undeclared), declared names or placeholders', () => {
    assert.deepEqual(lint(deployment('          livenessProbe:\n            httpGet: {path: /healthz, port: 10254}')), []);
    assert.deepEqual(lint(deployment('          livenessProbe:\n            httpGet: {path: /healthz, port: "10254"}')), []);
    assert.deepEqual(lint(deployment('          readinessProbe:\n            httpGet: {path: /, port: http}')), []);
    assert.deepEqual(lint(deployment('          readinessProbe:\n            httpGet: {path: /, port: HEALTH_PORT}')), []);
    assert.deepEqual(lint(deployment('          readinessProbe:\n            httpGet: {path: /, port: "${HEALTH_PORT:-9003}"}')), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
