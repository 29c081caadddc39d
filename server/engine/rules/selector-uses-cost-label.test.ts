import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SPEC, lintFiles, lintRule, textAt } from '../testing';
import rule from './selector-uses-cost-label';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const POD = '        app: task-api\n        team: product-team\n        environment: production\n        cost-center: engineering';

const deployment = (selector: string, name = 'task-api', pod = POD) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: production
spec:
  replicas: 3
  selector:
${selector}
  template:
    metadata:
      labels:
${pod}
    spec:
      containers:
        - name: task-api
          image: task-api:1
`;

const service = (selector: string, name = 'task-api') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: production
spec:
  selector:
${selector}
  ports:
    - port: 8000
`;

describe('selector-uses-cost-label', () => {
  it('reports a cost label in a workload selector on its key, with the spec constraint as related information', () => {
    const text = deployment('    matchLabels:\n      app: task-api\n      team: product-team');
    const [d, ...rest] = lintRule('selector-uses-cost-label', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'team');
    assert.equal(d.range.start.line, 10);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /selector of Deployment task-api uses the cost label team, but the spec allows only app in selectors/);
    assert.match(d.message, /deleting and recreating the Deployment/);
    assert.ok(d.related?.some((r) => r.file.endsWith('opex.yaml')));
  });

  it('reports matchExpressions keys too', () => {
    const text = deployment('    matchLabels:\n      app: task-api\n    matchExpressions:\n      - key: environment\n        operator: In\n        values: [production]');
    const [d] = lintRule('selector-uses-cost-label', text);
    assert.equal(textAt(text, d), 'environment');
  });

  it('reports a Service (in its own file) that selects the service\'s pods by a cost label', () => {
    const dep = deployment('    matchLabels:\n      app: task-api');
    const svc = service('    app: task-api\n    cost-center: engineering');
    const diags = lintFiles({ 'deploy.yaml': dep, 'svc.yaml': svc }, { only: ['selector-uses-cost-label'] });
    assert.equal(diags.length, 1);
    assert.equal(diags[0].file, 'svc.yaml');
    assert.equal(textAt(svc, diags[0]), 'cost-center');
    assert.match(diags[0].message, /Service task-api selects the service's pods by the cost label cost-center/);
    assert.ok(diags[0].related?.some((r) => r.file.endsWith('deploy.yaml')));
  });

  it('stays quiet for stable labels, labels the spec lists as stable, other workloads and Services, and without a spec', () => {
    assert.deepEqual(lintRule('selector-uses-cost-label', deployment('    matchLabels:\n      app: task-api')), []);
    const spec = TEST_SPEC.replace('stableSelectorLabels: [app]', 'stableSelectorLabels: [app, team]');
    assert.deepEqual(lintRule('selector-uses-cost-label', deployment('    matchLabels:\n      app: task-api\n      team: product-team'), { spec }), []);
    const worker = deployment('    matchLabels:\n      app: worker\n      team: product-team', 'worker', '        app: worker\n        team: product-team');
    assert.deepEqual(lintRule('selector-uses-cost-label', worker), []);
    assert.deepEqual(lintRule('selector-uses-cost-label', service('    app: worker\n    team: product-team', 'worker')), []);
    assert.deepEqual(lintRule('selector-uses-cost-label', deployment('    matchLabels:\n      app: task-api\n      team: product-team'), { spec: null }), []);
  });

  it('its documented examples behave', () => {
    assert.ok(lintRule(rule.meta.id, examples.bad).length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
  });
});
