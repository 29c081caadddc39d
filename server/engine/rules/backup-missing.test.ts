import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from './index';
import { applyFixes, lintFiles, TEST_SPEC, testWorkspace } from '../testing';

const BACKUP_RULES = RULES.map((r) => r.meta.id).filter((id) => id.startsWith('backup-'));

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels: {app: task-api}
    spec:
      containers:
        - name: task-api
          image: task-api:1.0.0
`;

const schedule = (name: string, ns: string, labels = '') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: ${name}
  namespace: velero${labels}
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [${ns}]
    ttl: 720h
`;

function missing(files: Record<string, string>, spec: string | null = TEST_SPEC) {
  return lintFiles(files, { spec, only: ['backup-missing'] }).filter((d) => d.ruleId === 'backup-missing');
}

describe('backup-missing', () => {
  it('reports on the spec\'s RPO when no Schedule backs up the namespace', () => {
    const [d, ...rest] = missing({ 'app.yaml': deployment });
    assert.equal(rest.length, 0);
    assert.equal(d.file, 'opex.yaml');
    assert.equal(d.severity, 'warning');
    assert.equal(TEST_SPEC.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), '24h');
    assert.match(d.message, /No Velero Schedule in the workspace backs up namespace production.*RPO of 1 day/);
  });

  it('fixes by appending a Schedule built from the spec to the service\'s manifest; it lints clean', () => {
    const [d] = missing({ 'app.yaml': deployment });
    assert.ok(d.fix);
    assert.ok(d.fix.edits.every((e) => e.file.endsWith('app.yaml')));
    const fixed = applyFixes(deployment, [d]);
    assert.ok(fixed.startsWith(deployment + '---\n# Velero backup Schedule for task-api'), fixed);
    assert.match(fixed, /schedule: "0 2 \* \* \*"/);
    assert.match(fixed, /includedNamespaces:\n {6}- production/);
    assert.match(fixed, /ttl: 720h/);
    assert.match(fixed, /container: postgres/);
    assert.deepEqual(lintFiles({ 'app.yaml': fixed }, { only: BACKUP_RULES }).map((x) => `${x.ruleId}: ${x.message}`), []);
  });

  it('adds CRON_TZ to the appended Schedule when the spec names another zone', () => {
    const tokyo = TEST_SPEC.replace('timezone: UTC', 'timezone: Asia/Tokyo');
    const [d] = missing({ 'app.yaml': deployment }, tokyo);
    const fixed = applyFixes(deployment, [d]);
    assert.match(fixed, /schedule: "CRON_TZ=Asia\/Tokyo 0 2 \* \* \*"/);
    assert.deepEqual(lintFiles({ 'app.yaml': fixed }, { spec: tokyo, only: BACKUP_RULES }).map((x) => x.ruleId), []);
  });

  it('keeps CRLF line endings and adds a newline at the end of the file first', () => {
    const crlf = deployment.replace(/\n/g, '\r\n');
    const fixed = applyFixes(crlf, missing({ 'app.yaml': crlf }));
    assert.ok(!/[^\r]\n/.test(fixed));
    const noEol = deployment.trimEnd();
    const fixed2 = applyFixes(noEol, missing({ 'app.yaml': noEol }));
    assert.ok(fixed2.startsWith(`${noEol}\n---\n`));
  });

  it('names the Schedules that cover other namespaces', () => {
    const [d] = missing({ 'app.yaml': deployment, 'platform.yaml': schedule('platform-daily', 'kube-system') });
    assert.match(d.message, /The Schedule found covers other namespaces/);
    assert.equal(d.related?.[0].message, 'Schedule platform-daily backs up other namespaces');
  });

  it('stays quiet when a Schedule covers the namespace (also every namespace), without an RPO, or without a spec', () => {
    assert.deepEqual(missing({ 'app.yaml': deployment, 's.yaml': schedule('platform-daily', 'production') }), []);
    assert.deepEqual(missing({ 'app.yaml': deployment, 's.yaml': schedule('everything', '"*"') }), []);
    assert.deepEqual(missing({ 'app.yaml': deployment, 's.yaml': schedule('everything', '"prod*"') }), []);
    assert.deepEqual(missing({ 'app.yaml': deployment }, TEST_SPEC.replace('  rpo: 24h\n', '')), []);
    assert.deepEqual(missing({ 'app.yaml': deployment }, null), []);
  });

  it('one cause, one diagnostic: a Schedule meant for the service that misses the namespace is backup-namespace-not-covered', () => {
    const files = { 'app.yaml': deployment, 's.yaml': schedule('task-api-daily', 'prodution') };
    const diags = lintFiles(files, { only: ['backup-missing', 'backup-namespace-not-covered'] });
    assert.deepEqual(diags.map((d) => d.ruleId), ['backup-namespace-not-covered']);
    const unrelated = { 'app.yaml': deployment, 's.yaml': schedule('nightly', 'kube-system') };
    assert.deepEqual(lintFiles(unrelated, { only: ['backup-missing', 'backup-namespace-not-covered'] }).map((d) => d.ruleId), ['backup-missing']);
  });

  it('reports on the RPO line of the chapter\'s markdown spec', () => {
    const md = fs.readFileSync(path.resolve(__dirname, '../../../examples/task-api/task-api-opex-spec.md'), 'utf8');
    const ws = testWorkspace({ 'task-api-deployment.yaml': deployment }, { spec: null, only: ['backup-missing'] });
    ws.specs.setFile(ws.abs('task-api-opex-spec.md'), md);
    const diags = [...ws.linter.lintAll().values()].flat().filter((d) => d.ruleId === 'backup-missing');
    assert.equal(diags.length, 1);
    assert.ok(diags[0].file.endsWith('task-api-opex-spec.md'));
    assert.match(md.split('\n')[diags[0].range.start.line], /RPO/);
    assert.ok(diags[0].fix?.edits[0].file.endsWith('task-api-deployment.yaml'));
  });
});
