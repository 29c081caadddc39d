import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';

const workload = (name: string, labels: string, containers: string[], annotations = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: production
spec:
  selector:
    matchLabels: ${labels}
  template:
    metadata:
      labels: ${labels}${annotations}
    spec:
      containers:
${containers.map((c) => `        - name: ${c}\n          image: ${c}:1\n`).join('')}`;

const schedule = (container: string, selector = '{app: postgres}') => `apiVersion: velero.io/v1
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
          pre:
            - exec:
${container}                command: ["/bin/sh", "-c", "pg_dumpall > /backup.sql"]
          post:
            - exec:
${container}                command: ["/bin/sh", "-c", "rm -f /backup.sql"]
`;

describe('backup-hook-container-unknown', () => {
  it('reports a container the selected pods lack on its value, suggesting the near name', () => {
    const text = `${workload('postgres', '{app: postgres}', ['postgresql', 'exporter'])}---\n${schedule('                container: postgres\n')}`;
    const diags = lintRule('backup-hook-container-unknown', text, { spec: null });
    assert.equal(diags.length, 2, 'the pre and the post hook');
    assert.equal(textAt(text, diags[0]), 'postgres');
    assert.match(diags[0].message, /The pre hook of "postgres-consistency" in Schedule nightly execs into container "postgres", which the pods of StatefulSet postgres do not have \(containers: postgresql, exporter\)/);
    assert.match(diags[0].message, /Did you mean "postgresql"\?/);
    assert.match(diags[1].message, /The post hook/);
  });

  it('names only the selected workloads that lack the container', () => {
    const text = `${workload('pg-a', '{app: postgres, shard: a}', ['postgres'])}---\n${workload('pg-b', '{app: postgres, shard: b}', ['db'])}---\n${schedule('                container: postgres\n')}`;
    const diags = lintRule('backup-hook-container-unknown', text);
    assert.equal(diags.length, 2);
    assert.match(diags[0].message, /the pods of StatefulSet pg-b do not have/);
  });

  it('reports a container annotation naming no container of the pod', () => {
    const ann = "\n      annotations:\n        pre.hook.backup.velero.io/command: '[\"pg_dumpall\"]'\n        pre.hook.backup.velero.io/container: postgress";
    const text = workload('postgres', '{app: postgres}', ['postgres'], ann);
    const [d] = lintRule('backup-hook-container-unknown', text);
    assert.equal(textAt(text, d), 'postgress');
    assert.match(d.message, /names container "postgress", which its pods do not have \(containers: postgres\).*Did you mean "postgres"\?/);
    const inert = workload('postgres', '{app: postgres}', ['postgres'], '\n      annotations:\n        pre.hook.backup.velero.io/container: postgress');
    assert.deepEqual(lintRule('backup-hook-container-unknown', inert), [], 'no command annotation: no hook');
  });

  it('stays quiet when the container exists, is not named, or no workload is selected', () => {
    const pg = workload('postgres', '{app: postgres}', ['postgres']);
    assert.deepEqual(lintRule('backup-hook-container-unknown', `${pg}---\n${schedule('                container: postgres\n')}`), []);
    assert.deepEqual(lintRule('backup-hook-container-unknown', `${pg}---\n${schedule('')}`), []);
    assert.deepEqual(lintRule('backup-hook-container-unknown', `${pg}---\n${schedule('                container: postgres\n', '{app: mysql}')}`), []);
    assert.deepEqual(lintRule('backup-hook-container-unknown', schedule('                container: whatever\n')), []);
  });
});
