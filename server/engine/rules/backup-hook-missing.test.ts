import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from './index';
import { applyFixes, lintFiles, lintRule, TEST_SPEC, textAt } from '../testing';

const BACKUP_RULES = RULES.map((r) => r.meta.id).filter((id) => id.startsWith('backup-'));

const postgres = (containers = ['postgres'], annotations = '') => `apiVersion: apps/v1
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
${containers.map((c) => `        - name: ${c}\n          image: ${c === 'postgres' ? 'postgres:16' : `${c}:1`}\n`).join('')}`;

const schedule = (rest = '') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-production-daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    ttl: 720h # SC-005
${rest}`;

const hook = (exec: string, selector = '{app: postgres}') => `    hooks:
      resources:
        - name: postgres-consistency
          labelSelector:
            matchLabels: ${selector}
          pre:
            - exec:
${exec}                command: ["/bin/bash", "-c", "pg_dump > /var/lib/postgresql/data/backup.sql"]
                onError: Fail
                timeout: 120s
`;

const INSERTED = `    hooks:
      resources:
        - name: postgres-consistency
          includedNamespaces:
            - production
          labelSelector:
            matchLabels:
              app: postgres
          pre:
            - exec:
                container: postgres
                command:
                  - /bin/bash
                  - "-c"
                  - pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" > /var/lib/postgresql/data/backup.sql
                onError: Fail
                timeout: 120s
`;

describe('backup-hook-missing', () => {
  it('reports a Schedule without hooks on its template key, fixed by inserting the pg_dump hook', () => {
    const text = schedule();
    const [d, ...rest] = lintRule('backup-hook-missing', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'template');
    assert.match(d.message, /No pre-backup hook dumps the database \(pods app=postgres in production, container postgres\) before task-api-production-daily's backups/);
    assert.equal(d.fix?.title, 'Add a pre hook running pg_dump in postgres');
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule(INSERTED));
    assert.deepEqual(lintFiles({ 'manifests.yaml': fixed }, { only: BACKUP_RULES }).map((x) => `${x.ruleId}: ${x.message}`), []);
  });

  it('appends to an existing hooks list, and backs up pods in the same fix when they are excluded', () => {
    const redis = `    hooks:
      resources:
        - name: redis-save
          labelSelector:
            matchLabels: {app: redis}
          pre:
            - exec: {container: redis, command: [redis-cli, save]}
`;
    const text = schedule(redis);
    const [d] = lintRule('backup-hook-missing', text);
    assert.equal(textAt(text, d), 'hooks');
    assert.equal(applyFixes(text, [d]), schedule(redis + INSERTED.split('\n').slice(2).join('\n')));
    const excluded = schedule().replace('    ttl: 720h', '    excludedResources: [events, pods]\n    ttl: 720h');
    const [e] = lintRule('backup-hook-missing', excluded);
    assert.match(e.fix?.title ?? '', /and back up pods/);
    const fixed = applyFixes(excluded, [e]);
    assert.match(fixed, /excludedResources: \[events\]/);
    assert.deepEqual(lintFiles({ 'manifests.yaml': fixed }, { only: BACKUP_RULES }).map((x) => x.ruleId), []);
  });

  it('writes a dump for the database the spec names', () => {
    const mysql = TEST_SPEC.replace('database: {selector: {app: postgres}, container: postgres, hookTimeout: 120s}', 'database: {selector: {app: mysql}, container: mysql, hookTimeout: 5m}');
    const fixed = applyFixes(schedule(), lintRule('backup-hook-missing', schedule(), { spec: mysql }));
    assert.match(fixed, /mysqldump --single-transaction/);
    assert.match(fixed, /timeout: 5m/);
    assert.match(fixed, /matchLabels:\n {14}app: mysql/);
  });

  it('is satisfied by a hook on the database pods in the spec\'s container, or by pod annotations', () => {
    assert.deepEqual(lintRule('backup-hook-missing', `${postgres()}---\n${schedule(hook('                container: postgres\n'))}`), []);
    assert.deepEqual(lintRule('backup-hook-missing', schedule(hook('                container: postgres\n'))), [], 'database pods not in the workspace');
    assert.deepEqual(lintRule('backup-hook-missing', `${postgres()}---\n${schedule(hook(''))}`), [], 'no container: the first one, postgres');
    const ann = "\n      annotations:\n        pre.hook.backup.velero.io/command: '[\"/bin/bash\", \"-c\", \"pg_dump > /backup.sql\"]'";
    assert.deepEqual(lintRule('backup-hook-missing', `${postgres(['postgres'], ann)}---\n${schedule()}`), []);
    const legacy = "\n      annotations:\n        hook.backup.velero.io/command: pg_dump";
    assert.deepEqual(lintRule('backup-hook-missing', `${postgres(['postgres'], legacy)}---\n${schedule()}`), []);
  });

  it('reports a hook on the database pods that runs in another container, fixed by naming the spec\'s', () => {
    const text = `${postgres(['postgres', 'pgbouncer'])}---\n${schedule(hook('                container: pgbouncer\n'))}`;
    const [d] = lintRule('backup-hook-missing', text);
    assert.equal(textAt(text, d), 'pgbouncer');
    assert.match(d.message, /runs on the database pods but in container pgbouncer, not in the spec's database container postgres/);
    assert.deepEqual(lintRule('backup-hook-missing', applyFixes(text, [d])), []);
    const first = `${postgres(['exporter', 'postgres'])}---\n${schedule(hook(''))}`;
    const [e] = lintRule('backup-hook-missing', first);
    assert.equal(textAt(first, e), 'exec');
    assert.match(e.message, /in container exporter \(the pod's first container/);
    const fixed = applyFixes(first, [e]);
    assert.match(fixed, /- exec:\n {16}command: .*\n {16}onError: Fail\n {16}timeout: 120s\n {16}container: postgres\n/);
    assert.deepEqual(lintRule('backup-hook-missing', fixed), []);
  });

  it('does not take a hook for other pods in another container for a misplaced database hook', () => {
    // backup-hook=true might or might not be on the database pods; container app is not the database's either way.
    const text = schedule(hook('                container: app\n', '{backup-hook: "true"}'));
    const [d] = lintRule('backup-hook-missing', text);
    assert.equal(textAt(text, d), 'hooks');
    assert.match(d.message, /No pre-backup hook dumps the database/);
  });

  it('reports a hook aimed elsewhere when the database is not in the workspace', () => {
    assert.equal(lintRule('backup-hook-missing', schedule(hook('                container: postgres\n', '{app: mysql}'))).length, 1);
    assert.equal(lintRule('backup-hook-missing', schedule(hook('                container: postgres\n').replace('          pre:', '          includedNamespaces: [staging]\n          pre:'))).length, 1);
  });

  it('one cause, one diagnostic: leaves a wrong selector, an unknown container and excluded pods to their rules', () => {
    const typo = `${postgres()}---\n${schedule(hook('                container: postgres\n', '{app: postgresql}'))}`;
    assert.deepEqual(lintRule('backup-hook-missing', typo), []);
    assert.equal(lintRule('backup-hook-selector-unmatched', typo).length, 1);
    const unknown = `${postgres()}---\n${schedule(hook('                container: postgress\n'))}`;
    assert.deepEqual(lintRule('backup-hook-missing', unknown), []);
    assert.equal(lintRule('backup-hook-container-unknown', unknown).length, 1);
    const excluded = schedule(hook('                container: postgres\n')).replace('    ttl: 720h', '    excludedResources: [pods]\n    ttl: 720h');
    assert.deepEqual(lintRule('backup-hook-missing', excluded), []);
    assert.equal(lintRule('backup-hook-pods-excluded', excluded).length, 1);
  });

  it('stays quiet without a database in the spec, without a Schedule for the namespace, or without a spec', () => {
    const stateless = TEST_SPEC.replace('  database: {selector: {app: postgres}, container: postgres, hookTimeout: 120s}\n', '');
    assert.deepEqual(lintRule('backup-hook-missing', schedule(), { spec: stateless }), []);
    assert.deepEqual(lintRule('backup-hook-missing', schedule().replace('[production]', '[staging]')), []);
    assert.deepEqual(lintRule('backup-hook-missing', schedule(), { spec: null }), []);
  });
});
