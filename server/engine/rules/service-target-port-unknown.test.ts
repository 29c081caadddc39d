import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, lintRule, textAt } from '../testing';
import rule from './service-target-port-unknown';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (name: string, ports: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, variant: ${name}}
    spec:${extra}
      containers:
        - name: web
          image: web:1
          ports:
${ports}
`;

const service = (ports: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
${ports}
`;

const HTTP_8080 = '            - name: http\n              containerPort: 8080';
const lint = (text: string) => lintRule('service-target-port-unknown', text, { spec: null });

describe('service-target-port-unknown', () => {
  it('reports a named targetPort that no selected pod declares, on the targetPort, across files', () => {
    const svc = service('    - name: web\n      port: 80\n      targetPort: htpp');
    const dep = deployment('web', HTTP_8080);
    const diags = lintFiles({ 'svc.yaml': svc, 'deploy.yaml': dep }, { only: ['service-target-port-unknown'], spec: null });
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.file, 'svc.yaml');
    assert.equal(textAt(svc, d), 'htpp');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /port web of Service web targets the named port htpp, but no pod it selects declares a container port of that name \(Deployment web declares 8080 \(http\)\)/);
    assert.ok(d.related?.[0].file.endsWith('deploy.yaml'));
  });

  it('reports a number when the pods declare the Service port\'s own name elsewhere (the forgotten targetPort)', () => {
    const text = `${service('    - name: http\n      port: 80')}---\n${deployment('web', HTTP_8080)}`;
    const [d] = lint(text);
    assert.equal(textAt(text, d), '80');
    assert.match(d.message, /has no targetPort, so it forwards to the same port 80, but the pods it selects declare their port http on 8080/);
    assert.match(d.message, /targetPort: http/);
    const explicit = `${service('    - name: http\n      port: 80\n      targetPort: 9000')}---\n${deployment('web', HTTP_8080)}`;
    assert.equal(textAt(explicit, lint(explicit)[0]), '9000');
  });

  it('stays quiet on numbers a container may serve undeclared', () => {
    // No port of that name is declared: a metrics or health endpoint on an undeclared port is legitimate.
    assert.deepEqual(lint(`${service('    - name: https\n      port: 8443')}---\n${deployment('web', '            - name: webhook\n              containerPort: 9443')}`), []);
    assert.deepEqual(lint(`${service('    - port: 80\n      targetPort: 8080')}---\n${deployment('web', '            - containerPort: 9090')}`), []);
    assert.deepEqual(lint(`${service('    - name: http\n      port: 80\n      targetPort: 8080')}---\n${deployment('web', HTTP_8080)}`), []);
  });

  it('stays quiet when one selected workload declares the name (resolved per pod)', () => {
    const text = `${service('    - port: 80\n      targetPort: metrics')}---\n${deployment('a', HTTP_8080)}---\n${deployment('b', '            - name: metrics\n              containerPort: 9090')}`;
    assert.deepEqual(lint(text), []);
  });

  it('counts native sidecars (init containers that keep running)', () => {
    const sidecar = '\n      initContainers:\n        - name: proxy\n          image: envoy\n          restartPolicy: Always\n          ports:\n            - {name: proxy, containerPort: 15001}';
    assert.deepEqual(lint(`${service('    - port: 80\n      targetPort: proxy')}---\n${deployment('web', HTTP_8080, sidecar)}`), []);
  });

  it('stays quiet on template placeholders, unselected Services and Services without selector', () => {
    assert.deepEqual(lint(`${service('    - port: PORT\n      targetPort: PORT')}---\n${deployment('web', '            - containerPort: PORT')}`), []);
    assert.deepEqual(lint(`${service('    - port: 80\n      targetPort: ${PORT}')}---\n${deployment('web', HTTP_8080)}`), []);
    assert.deepEqual(lint(service('    - port: 80\n      targetPort: http')), []);
    assert.deepEqual(lint(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  ports: [{port: 80, targetPort: http}]\n---\n${deployment('web', HTTP_8080)}`), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
