import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';

const workload = (name: string, labels: string, image = `${name}:1`, kind = 'StatefulSet') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: production
spec:
  selector:
    matchLabels: ${labels}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

const schedule = (selector: string, namespaces = '    includedNamespaces: [production]\n', hookNs = '') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: nightly
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
${namespaces}    ttl: 720h
    hooks:
      resources:
        - name: db-dump
${hookNs}          labelSelector:
${selector}
          pre:
            - exec:
                command: ["/bin/sh", "-c", "pg_dumpall > /backup.sql"]
`;

const TYPO = '            matchLabels: {app: postgresql}';
const RIGHT = '            matchLabels: {app: postgres}';

describe('backup-hook-selector-unmatched', () => {
  it('reports a selector one typo away from the database\'s labels on the labelSelector key', () => {
    const text = `${workload('postgres', '{app: postgres}', 'postgres:16')}---\n${schedule(TYPO)}`;
    const [d, ...rest] = lintRule('backup-hook-selector-unmatched', text, { spec: null });
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'labelSelector');
    assert.match(d.message, /Hook "db-dump" of Schedule nightly selects app=postgresql, which matches no pod template in production, not even StatefulSet postgres \(app=postgres\)/);
    assert.match(d.message, /Did you mean app=postgres\?/);
    assert.equal(d.related?.[0].message, "StatefulSet postgres's pod labels");
  });

  it('recognises the target by its name or image, and by the spec\'s database', () => {
    const byImage = `${workload('db', '{app.kubernetes.io/name: db}', 'docker.io/library/postgres:16')}---\n${schedule(RIGHT)}`;
    assert.equal(lintRule('backup-hook-selector-unmatched', byImage, { spec: null }).length, 1);
    const bySpec = `${workload('main-db', '{app: postgres}')}---\n${schedule('            matchLabels: {tier: database}')}`;
    const [d] = lintRule('backup-hook-selector-unmatched', bySpec);
    assert.match(d.message, /not even StatefulSet main-db/);
    assert.match(d.related?.at(-1)?.message ?? '', /The spec's database pods carry app=postgres/);
  });

  it('stays quiet when no workload there looks like the target: the pods may come from a chart or an operator', () => {
    const text = `${workload('task-api', '{app: task-api}', 'ghcr.io/acme/task-api:1', 'Deployment')}---\n${schedule(RIGHT)}`;
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', text, { spec: null }), []);
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', schedule(TYPO), { spec: null }), [], 'no workload in the namespace');
  });

  it('stays quiet when the selector matches, is absent, or the hook reaches every namespace', () => {
    const pg = workload('postgres', '{app: postgres}', 'postgres:16');
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', `${pg}---\n${schedule(RIGHT)}`), []);
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', `${pg}---\n${schedule('            matchExpressions: [{key: app, operator: In, values: [postgres, mysql]}]')}`), []);
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', `${pg}---\n${schedule(TYPO, '')}`), [], 'backs up every namespace');
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', `${pg}---\n${schedule(TYPO, '    includedNamespaces: ["prod*"]\n')}`), [], 'a pattern');
  });

  it('judges the namespaces the hook itself names', () => {
    const pg = workload('postgres', '{app: postgres}', 'postgres:16');
    assert.equal(lintRule('backup-hook-selector-unmatched', `${pg}---\n${schedule(TYPO, '', '          includedNamespaces: [production]\n')}`).length, 1);
    assert.deepEqual(lintRule('backup-hook-selector-unmatched', `${pg}---\n${schedule(TYPO, '', '          includedNamespaces: [staging]\n')}`), []);
  });
});
