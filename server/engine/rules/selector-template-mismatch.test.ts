import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, textAt } from '../testing';
import rule from './selector-template-mismatch';
import { ruleExamples } from './rule-examples';

const examples = ruleExamples(rule.meta.id);

const deployment = (selector: string, labels: string, name = 'web', ns = 'default') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
${selector}
  template:
    metadata:
      labels:
${labels}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const lint = (text: string, spec: string | null = null) => lintRule('selector-template-mismatch', text, { spec });

describe('selector-template-mismatch', () => {
  it('reports a selector label the template lacks on the selector key, and adds it to the template', () => {
    const text = deployment('    matchLabels:\n      app: web\n      tier: frontend', '        app: web  # main');
    const [d, ...rest] = lint(text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'tier');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /selector of Deployment web does not select its own pod template: it requires tier=frontend \(the template has no tier\)/);
    assert.match(d.message, /selector does not match template labels/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('      labels:\n        app: web  # main\n        tier: frontend\n    spec:'), fixed);
    assert.deepEqual(lint(fixed), []);
  });

  it('reports a differing value on the selector value and changes the template, since the selector is immutable', () => {
    const text = deployment('    matchLabels:\n      app: web', '        app: "webapp"');
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'web');
    assert.match(d.message, /requires app=web \(the template has app=webapp\)/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('        app: "web"\n'), fixed);
    assert.ok(fixed.includes('    matchLabels:\n      app: web\n'), 'selector untouched');
    assert.deepEqual(lint(fixed), []);
  });

  it('changes the selector instead when the template carries the spec\'s cost label value', () => {
    const text = deployment('    matchLabels:\n      app: taskapi', '        app: task-api', 'task-api', 'production');
    const diags = lintRule('selector-template-mismatch', text);
    assert.equal(diags.length, 1);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('    matchLabels:\n      app: task-api\n'), fixed);
    assert.ok(fixed.includes('      labels:\n        app: task-api\n'), fixed);
    assert.deepEqual(lintRule('selector-template-mismatch', fixed), []);
  });

  it('reports all failing requirements in one diagnostic with one combined fix', () => {
    const text = deployment('    matchLabels:\n      app: web\n      tier: frontend\n      track: stable', '        app: api');
    const diags = lint(text);
    assert.equal(diags.length, 1);
    assert.match(diags[0].message, /app=web \(the template has app=api\); tier=frontend \(the template has no tier\); track=stable/);
    const fixed = applyFixes(text, diags);
    assert.ok(fixed.includes('      labels:\n        app: web\n        tier: frontend\n        track: stable\n'), fixed);
    assert.deepEqual(lint(fixed), []);
  });

  it('counts matchExpressions: a single-value In is fixable, a failing NotIn is reported without a fix', () => {
    const inText = deployment('    matchLabels:\n      app: web\n    matchExpressions:\n      - key: track\n        operator: In\n        values: [stable]', '        app: web');
    const [d] = lint(inText);
    assert.equal(textAt(inText, d), 'track');
    assert.match(d.message, /requires track in \(stable\)/);
    const fixed = applyFixes(inText, [d]);
    assert.ok(fixed.includes('        app: web\n        track: stable\n'), fixed);
    assert.deepEqual(lint(fixed), []);

    const notIn = deployment('    matchLabels:\n      app: web\n    matchExpressions:\n      - {key: track, operator: NotIn, values: [canary]}', '        app: web\n        track: canary');
    const [n] = lint(notIn);
    assert.equal(textAt(notIn, n), 'track');
    assert.equal(n.fix, undefined);
  });

  it('reports an empty apps/v1 selector and selects the template by its identifying labels', () => {
    const text = deployment('    matchLabels: {}', '        app: web\n        version: v2');
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'selector');
    assert.match(d.message, /selector of Deployment web is empty/);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('    matchLabels: {app: web}\n'), fixed);
    assert.deepEqual(lint(fixed), []);
  });

  it('checks a ReplicationController\'s plain-map selector', () => {
    const text = `apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  selector:
    app: web
  template:
    metadata:
      labels:
        app: wbe
    spec:
      containers: [{name: web, image: nginx}]
`;
    const [d] = lint(text);
    assert.equal(textAt(text, d), 'web');
    assert.equal(d.range.start.line, 6);
    const fixed = applyFixes(text, [d]);
    assert.ok(fixed.includes('      labels:\n        app: web\n'), fixed);
  });

  it('stays quiet when the selector selects the template, when there is none, and for Pods', () => {
    assert.deepEqual(lint(deployment('    matchLabels:\n      app: web', '        app: web\n        version: v2')), []);
    assert.deepEqual(lint(deployment('    matchExpressions:\n      - {key: app, operator: In, values: [web, api]}\n      - {key: track, operator: DoesNotExist}\n      - {key: tier, operator: Exists}', '        app: web\n        tier: x')), []);
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    metadata:
      labels: {app: migrate}
    spec:
      restartPolicy: Never
      containers: [{name: m, image: busybox}]
`;
    assert.deepEqual(lint(job), []);
    const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
`;
    assert.deepEqual(lint(rc), []);
  });

  it('its documented examples behave and the fix clears the bad one', () => {
    const bad = lintRule(rule.meta.id, examples.bad);
    assert.ok(bad.length > 0);
    assert.deepEqual(lintRule(rule.meta.id, examples.good), []);
    assert.deepEqual(lintRule(rule.meta.id, applyFixes(examples.bad, bad)), []);
  });
});
