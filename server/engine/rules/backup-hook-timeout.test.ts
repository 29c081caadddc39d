import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, TEST_SPEC, textAt } from '../testing';

const schedule = (timeout: string) => `apiVersion: velero.io/v1
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
            matchLabels: {app: postgres}
          pre:
            - exec:
                container: postgres
                command: ["/bin/sh", "-c", "pg_dumpall > /backup.sql"]
                onError: Fail${timeout}
`;

describe('backup-hook-timeout', () => {
  it('reports a missing timeout (Velero waits 30s) on the exec key, fixed with the spec\'s', () => {
    const text = schedule('');
    const [d, ...rest] = lintRule('backup-hook-timeout', text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(text, d), 'exec');
    assert.match(d.message, /sets no timeout, so Velero gives it 30 seconds, less than the 2 minutes the spec allows/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('\n                timeout: 120s'));
    assert.deepEqual(lintRule('backup-hook-timeout', fixed), []);
  });

  it('reports a shorter timeout on its value', () => {
    const text = schedule('\n                timeout: 60s');
    const [d] = lintRule('backup-hook-timeout', text);
    assert.equal(textAt(text, d), '60s');
    assert.match(d.message, /times out after 1 minute/);
    assert.equal(applyFixes(text, [d]), schedule('\n                timeout: 120s'));
  });

  it('reports a timeout that is no Go duration', () => {
    const [d] = lintRule('backup-hook-timeout', schedule('\n                timeout: 2 minutes'));
    assert.match(d.message, /"2 minutes" .* is not a Go duration/);
  });

  it('accepts a timeout at least the spec\'s', () => {
    for (const t of ['120s', '2m', '5m', '1h', '"120s"']) assert.deepEqual(lintRule('backup-hook-timeout', schedule(`\n                timeout: ${t}`)), [], t);
  });

  it('checks the annotation form, adding the timeout annotation when it is missing', () => {
    const text = `apiVersion: apps/v1
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
        pre.hook.backup.velero.io/command: pg_dumpall
    spec:
      containers:
        - name: postgres
          image: postgres:16
`;
    const [d] = lintRule('backup-hook-timeout', text);
    assert.equal(textAt(text, d), 'pre.hook.backup.velero.io/command');
    const fixed = applyFixes(text, [d]);
    assert.match(fixed, /pre\.hook\.backup\.velero\.io\/command: pg_dumpall\n {8}pre\.hook\.backup\.velero\.io\/timeout: 120s\n/);
    assert.deepEqual(lintRule('backup-hook-timeout', fixed), []);
  });

  it('stays quiet when the spec gives no hookTimeout, or without a spec', () => {
    assert.deepEqual(lintRule('backup-hook-timeout', schedule(''), { spec: TEST_SPEC.replace(', hookTimeout: 120s', '') }), []);
    assert.deepEqual(lintRule('backup-hook-timeout', schedule(''), { spec: null }), []);
  });
});
