import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, textAt } from '../testing';

const schedule = (onError: string, selector = '{app: postgres}', phase = 'pre') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: nightly
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    ttl: 720h
    hooks:
      resources:
        - name: postgres-consistency
          labelSelector:
            matchLabels: ${selector}
          ${phase}:
            - exec:
                container: postgres
                command: ["/bin/sh", "-c", "pg_dumpall > /backup.sql"]
${onError}                timeout: 120s
`;

const postgres = (annotations: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
  namespace: production
spec:
  selector:
    matchLabels: {app: postgres}
  template:
    metadata:
      labels: {app: postgres}
      annotations:
${annotations}
    spec:
      containers:
        - name: postgres
          image: postgres:16
`;

describe('backup-hook-on-error', () => {
  it('reports onError: Continue on a database pre hook, fixed to Fail', () => {
    const text = schedule('                onError: Continue # keep going\n');
    const [d, ...rest] = lintRule('backup-hook-on-error', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'Continue');
    assert.match(d.message, /runs on the database pods \(app=postgres\) with onError: Continue: when the dump fails, Velero still completes and keeps the backup/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('                onError: Fail # keep going\n'));
    assert.deepEqual(lintRule('backup-hook-on-error', fixed), []);
  });

  it('reports the pod annotation form', () => {
    const text = postgres('        pre.hook.backup.velero.io/command: pg_dumpall\n        pre.hook.backup.velero.io/on-error: Continue');
    const [d] = lintRule('backup-hook-on-error', text);
    assert.equal(textAt(text, d), 'Continue');
    const fixed = applyFixes(text, [d]);
    assert.match(fixed, /pre\.hook\.backup\.velero\.io\/on-error: Fail/);
    assert.deepEqual(lintRule('backup-hook-on-error', fixed), []);
  });

  it('leaves post hooks, other pods, Fail, the default and other specs alone', () => {
    assert.deepEqual(lintRule('backup-hook-on-error', schedule('                onError: Continue\n', '{app: postgres}', 'post')), []);
    assert.deepEqual(lintRule('backup-hook-on-error', schedule('                onError: Continue\n', '{app: redis}')), []);
    assert.deepEqual(lintRule('backup-hook-on-error', schedule('                onError: Fail\n')), []);
    assert.deepEqual(lintRule('backup-hook-on-error', schedule('')), []);
    assert.deepEqual(lintRule('backup-hook-on-error', schedule('                onError: Continue\n'), { spec: null }), []);
    const stateless = TEST_SPEC.replace('  database: {selector: {app: postgres}, container: postgres, hookTimeout: 120s}\n', '');
    assert.deepEqual(lintRule('backup-hook-on-error', schedule('                onError: Continue\n'), { spec: stateless }), []);
  });
});

describe('backup-hook-on-error without the database in the workspace', () => {
  it('blames only hooks whose selector the spec\'s database labels satisfy', () => {
    const other = schedule('                onError: Continue\n', '{backup-hook: "true"}');
    assert.deepEqual(lintRule('backup-hook-on-error', other), [], 'may or may not be the database: not reported');
    const withDb = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
  namespace: production
spec:
  selector:
    matchLabels: {app: postgres}
  template:
    metadata:
      labels: {app: postgres, backup-hook: "true"}
    spec:
      containers:
        - name: postgres
          image: postgres:16
---
${other}`;
    assert.equal(lintRule('backup-hook-on-error', withDb).length, 1, 'the database pods carry the label: reported');
  });
});
