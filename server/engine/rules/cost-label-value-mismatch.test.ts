import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintFiles, lintRule, textAt } from '../testing';
import rule from './cost-label-value-mismatch';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (opts: { meta?: string; pod: string; selector?: string; name?: string; ns?: string }) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${opts.name ?? 'task-api'}
  namespace: ${opts.ns ?? 'production'}${opts.meta ? `\n  labels:\n${opts.meta}` : ''}
spec:
  replicas: 3
  selector:
    matchLabels:
${opts.selector ?? '      app: task-api'}
  template:
    metadata:
      labels:
${opts.pod}
    spec:
      containers:
        - name: task-api
          image: task-api:1
`;

const POD_OK = '        app: task-api\n        environment: production\n        cost-center: engineering';

describe('cost-label-value-mismatch', () => {
  it('reports the wrong pod-template value with the spec value and the spec location', () => {
    const text = deployment({ pod: `${POD_OK}\n        team: platform  # set by hand` });
    const [d, ...rest] = lintRule('cost-label-value-mismatch', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'platform');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /pod template of Deployment task-api has the cost label team: platform, but the spec requires team: product-team/);
    assert.ok(d.related?.some((r) => r.file.endsWith('opex.yaml')), 'points at the spec');
  });

  it('fixes the pod label and the same wrong metadata label, keeping comments and quoting', () => {
    const text = deployment({
      meta: '    app: task-api\n    team: "platform"',
      pod: `${POD_OK}\n        team: platform  # set by hand`,
    });
    const diags = lintRule('cost-label-value-mismatch', text);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].fix?.edits.length, 2);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('    team: "product-team"\n'), fixed);
    assert.ok(fixed.includes('        team: product-team  # set by hand\n'), fixed);
    assert.deepEqual(lintRule('cost-label-value-mismatch', fixed), []);
    assert.equal(applyFixes(fixed, lintRule('cost-label-value-mismatch', fixed)), fixed);
  });

  it('quotes a spec value that YAML would read as something else', () => {
    const spec = 'service: task-api\nnamespace: production\ncostLabels: {app: task-api, cost-center: "1234"}\n';
    const text = deployment({ pod: '        app: task-api\n        cost-center: eng' });
    const fixed = applyFixes(text, lintRule('cost-label-value-mismatch', text, { spec }));
    assert.ok(fixed.includes('        cost-center: "1234"\n'), fixed);
    assert.deepEqual(lintRule('cost-label-value-mismatch', fixed, { spec }), []);
  });

  it('offers no fix when the workload selector uses the label (selectors are immutable)', () => {
    const text = deployment({ pod: `${POD_OK}\n        team: platform`, selector: '      app: task-api\n      team: platform' });
    const [d] = lintRule('cost-label-value-mismatch', text);
    assert.equal(d.fix, undefined);
    assert.match(d.message, /selector uses team too/);
    assert.match(d.message, /recreating the Deployment/);
  });

  it('offers no fix when a Service in another file selects the pods by the old value', () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: task-api
  namespace: production
spec:
  selector: {app: task-api, team: platform}
  ports: [{port: 8000}]
`;
    const dep = deployment({ pod: `${POD_OK}\n        team: platform` });
    const diags = lintFiles({ 'deploy.yaml': dep, 'service.yaml': svc }, { only: ['cost-label-value-mismatch'] });
    assert.equal(diags.length, 1);
    assert.equal(diags[0].file, 'deploy.yaml');
    assert.equal(diags[0].fix, undefined);
    assert.match(diags[0].message, /Service task-api selects these pods by team=platform/);
    assert.ok(diags[0].related?.some((r) => r.file.endsWith('service.yaml')));
  });

  it('stays quiet for missing labels (cost-labels-missing), other workloads, other namespaces and without a spec', () => {
    assert.deepEqual(lintRule('cost-label-value-mismatch', deployment({ pod: '        app: task-api' })), []);
    assert.deepEqual(lintRule('cost-label-value-mismatch', deployment({ name: 'postgres', pod: '        app: postgres\n        team: dba', selector: '      app: postgres' })), []);
    assert.deepEqual(lintRule('cost-label-value-mismatch', deployment({ ns: 'staging', pod: `${POD_OK}\n        team: platform` })), []);
    assert.deepEqual(lintRule('cost-label-value-mismatch', deployment({ pod: `${POD_OK}\n        team: platform` }), { spec: null }), []);
  });

  it('its documented examples behave and the fix clears the bad one', () => {
    const bad = lintRule(rule.meta.id, examples.bad);
    assert.ok(bad.length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
    assert.deepEqual(lintRule(rule.meta.id, applyFixes(examples.bad, bad)), []);
  });
});
