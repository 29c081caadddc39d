import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyFixes, lintFiles, lintRule, textAt } from '../testing';

const HOOKS = `    hooks:
      resources:
        - name: postgres-consistency
          includedNamespaces: [production]
          labelSelector:
            matchLabels: {app: postgres}
          pre:
            - exec:
                container: postgres
                command: ["/bin/bash", "-c", "pg_dump > /var/lib/postgresql/data/backup.sql"]
                onError: Fail
                timeout: 120s
`;

const schedule = (filters: string, hooks = HOOKS, kind = 'Schedule') => kind === 'Schedule'
  ? `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-production-daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
${filters}    ttl: 720h
${hooks}`
  : `apiVersion: velero.io/v1
kind: Backup
metadata:
  name: before-upgrade
  namespace: velero
spec:
    includedNamespaces: [production]
${filters}    ttl: 720h
${hooks}`;

const postgres = (annotations = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
  namespace: production
spec:
  serviceName: postgres
  selector:
    matchLabels: {app: postgres}
  template:
    metadata:
      labels: {app: postgres}${annotations}
    spec:
      containers:
        - name: postgres
          image: postgres:16
`;

describe('backup-hook-pods-excluded', () => {
  it('reports the chapter\'s bug on the `pods` entry, without a spec, and fixes it by removing the entry', () => {
    const text = schedule('    excludedResources:\n      - events\n      - pods # keep the backup small\n      - replicasets\n');
    const [d, ...rest] = lintRule('backup-hook-pods-excluded', text, { spec: null });
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'pods');
    assert.match(d.message, /excludes pods \(excludedResources\), but has backup hooks \("postgres-consistency"\): Velero runs hooks only on pods it backs up/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('    excludedResources:\n      - events\n      - replicasets\n'));
    assert.deepEqual(lintRule('backup-hook-pods-excluded', fixed, { spec: null }), []);
  });

  it('removes the key when pods is the only exclusion, and an entry of a flow list', () => {
    const only = schedule('    excludedResources:\n      - pods\n');
    assert.equal(applyFixes(only, lintRule('backup-hook-pods-excluded', only)), schedule(''));
    const flow = schedule('    excludedResources: [events, pods]\n');
    assert.equal(applyFixes(flow, lintRule('backup-hook-pods-excluded', flow)), schedule('    excludedResources: [events]\n'));
  });

  it('reads pod, po and the new namespace-scoped filters as Velero does', () => {
    for (const filters of ['    excludedResources: [po]\n', '    excludedResources: [Pod]\n', '    excludedNamespaceScopedResources: [pods]\n']) {
      assert.equal(lintRule('backup-hook-pods-excluded', schedule(filters)).length, 1, filters);
    }
  });

  it('reports includedResources without pods on its key, fixed by adding pods', () => {
    const text = schedule('    includedResources:\n      - deployments\n      - persistentvolumeclaims\n');
    const [d] = lintRule('backup-hook-pods-excluded', text);
    assert.equal(textAt(text, d), 'includedResources');
    assert.match(d.message, /backs up only the resources in includedResources, without pods/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('    includedResources:\n      - deployments\n      - persistentvolumeclaims\n      - pods\n'));
    assert.deepEqual(lintRule('backup-hook-pods-excluded', fixed), []);
  });

  it('applies to Backups as well', () => {
    assert.equal(lintRule('backup-hook-pods-excluded', schedule('    excludedResources: [pods]\n', HOOKS, 'Backup')).length, 1);
  });

  it('counts pod annotation hooks in the namespaces the backup covers', () => {
    const annotated = postgres('\n      annotations:\n        pre.hook.backup.velero.io/command: \'["/bin/sh", "-c", "pg_dumpall > /backup.sql"]\'');
    const text = `${annotated}---\n${schedule('    excludedResources: [pods]\n', '')}`;
    const [d] = lintRule('backup-hook-pods-excluded', text);
    assert.match(d.message, /the annotation hooks of StatefulSet postgres/);
    assert.deepEqual(lintRule('backup-hook-pods-excluded', `${postgres()}---\n${schedule('    excludedResources: [pods]\n', '')}`), []);
  });

  it('reports a backup labelSelector that leaves the hooked pods out (no fix)', () => {
    const text = `${postgres()}---\n${schedule('    labelSelector:\n      matchLabels: {app: task-api}\n')}`;
    const [d] = lintRule('backup-hook-pods-excluded', text);
    assert.equal(textAt(text, d), 'labelSelector');
    assert.match(d.message, /backs up only objects matching app=task-api, which leaves out the pods hook "postgres-consistency" runs in \(StatefulSet postgres: app=postgres\)/);
    assert.equal(d.fix, undefined);
    const ors = `${postgres()}---\n${schedule('    orLabelSelectors:\n      - matchLabels: {app: task-api}\n      - matchLabels: {app: postgres}\n')}`;
    assert.deepEqual(lintRule('backup-hook-pods-excluded', ors), []);
  });

  it('stays quiet when pods are backed up or there is no hook', () => {
    for (const filters of ['', '    includedResources: ["*"]\n', '    includedResources: [pods, persistentvolumeclaims]\n', '    excludedResources: [events, replicasets]\n']) {
      assert.deepEqual(lintRule('backup-hook-pods-excluded', schedule(filters)), [], filters);
    }
    assert.deepEqual(lintRule('backup-hook-pods-excluded', schedule('    excludedResources: [pods]\n', '')), []);
  });

  it('finds the bug in the chapter as written and not in the corrected example', () => {
    const root = path.resolve(__dirname, '../../../examples');
    const read = (dir: string) => Object.fromEntries(fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yaml')).map((f) => [f, fs.readFileSync(path.join(root, dir, f), 'utf8')]));
    const chapter = lintFiles(read('chapter-as-written'), { only: ['backup-hook-pods-excluded'] });
    assert.deepEqual(chapter.map((d) => `${d.file}:${d.range.start.line + 1}`), ['task-api-velero-schedule.yaml:23']);
    assert.deepEqual(lintFiles(read('task-api'), { only: ['backup-hook-pods-excluded'] }), []);
  });
});
