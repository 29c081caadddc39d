import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule } from './testing';

const bad = (before = '', labelsLine = '        app: task-api', annotations = '') => `${before}apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production${annotations}
spec:
  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels:
${labelsLine}
    spec:
      containers: [{name: task-api, image: x}]
`;

describe('suppression', () => {
  it('reports without suppression (control)', () => {
    assert.equal(lintRule('cost-labels-missing', bad()).length, 1);
  });
  it('honours a comment at the end of the line', () => {
    const text = bad().replace('      labels:\n', '      labels: # opex-ignore cost-labels-missing: labels come from a mutating webhook\n');
    assert.equal(lintRule('cost-labels-missing', text).length, 0);
  });
  it('honours a comment on the line above', () => {
    const text = bad().replace('      labels:\n', '      # opex-ignore cost-labels-missing: reason\n      labels:\n');
    assert.equal(lintRule('cost-labels-missing', text).length, 0);
  });
  it('honours a comment before the document for the whole document', () => {
    assert.equal(lintRule('cost-labels-missing', bad('# opex-ignore cost-labels-missing, probe-missing: legacy\n')).length, 0);
    assert.equal(lintRule('cost-labels-missing', `---\n# opex-ignore cost-labels-missing\n${bad()}`).length, 0);
  });
  it('honours the opex.dev/ignore annotation', () => {
    const text = bad('', '        app: task-api', '\n  annotations:\n    opex.dev/ignore: "probe-missing, cost-labels-missing"');
    assert.equal(lintRule('cost-labels-missing', text).length, 0);
  });
  it('does not suppress other rules or other lines', () => {
    const other = bad().replace('      labels:\n', '      labels: # opex-ignore probe-missing\n');
    assert.equal(lintRule('cost-labels-missing', other).length, 1);
    const elsewhere = bad().replace('  name: task-api\n', '  name: task-api # opex-ignore cost-labels-missing\n');
    assert.equal(lintRule('cost-labels-missing', elsewhere).length, 1);
  });
  it('turns a rule off or changes its severity from the spec', () => {
    const spec = 'service: task-api\nnamespace: production\ncostLabels: {team: t, app: task-api}\nrules: {cost-labels-missing: warning}\n';
    assert.equal(lintRule('cost-labels-missing', bad(), { spec })[0].severity, 'warning');
    const off = spec.replace('warning', 'off');
    assert.equal(lintRule('cost-labels-missing', bad(), { spec: off }).length, 0);
  });
});
