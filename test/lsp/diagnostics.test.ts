/**
 * The language server as a real process over stdio: indexing, push and pull diagnostics, edits in one file
 * that change another, files changed on disk, settings, cancellation and bad input.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FileChangeType, LSPErrorCodes } from 'vscode-languageserver-protocol/node';
import type { LintWorkspaceResult } from '../../server/protocol';
import { ROOT, TestClient, codes, copyFixture, textIn } from './harness';

const DEPLOYMENT = 'task-api-deployment.yaml';
const has = (rule: string) => (list: readonly { code?: unknown }[]) => list.some((d) => d.code === rule);
const lacks = (rule: string) => (list: readonly { code?: unknown }[]) => !list.some((d) => d.code === rule);

function write(folder: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
  fs.writeFileSync(path.join(folder, rel), text);
}

describe('indexing and push diagnostics', () => {
  let c: TestClient;
  let folder: string;

  before(async () => {
    folder = copyFixture();
    write(folder, '.gitignore', 'ignored/\n');
    write(folder, 'ignored/broken.yaml', 'key: [unclosed\n');
    write(folder, 'node_modules/pkg/broken.yaml', 'key: [unclosed\n');
    write(folder, 'excluded/broken.yaml', 'key: [unclosed\n');
    c = await TestClient.start({ folder, settings: { exclude: ['excluded/'] } });
    await c.ready();
  });
  after(() => c.stop());

  test('indexes the workspace in the background and reports $/progress', () => {
    const begin = c.progress.find((p) => p.value.kind === 'begin');
    assert.equal(begin?.value.title, 'opex: indexing 7 files');
    assert.ok(c.progress.some((p) => p.value.kind === 'end' && p.token === begin?.token));
    const ready = c.statuses.find((s) => s.state === 'ready')!;
    assert.equal(ready.files, 7);
    assert.deepEqual(ready.specs.map((s) => path.basename(s.file)), ['opex.yaml']);
    assert.equal(c.statuses[0].state, 'indexing');
  });

  test('the example workspace is clean; gitignored, excluded and node_modules files are never read', () => {
    assert.deepEqual(c.published.filter((p) => p.diagnostics.length > 0), []);
    assert.equal(c.lastStatus?.errors, 0);
    assert.equal(c.lastStatus?.warnings, 0);
  });

  test('registers for file and settings changes', () => {
    const methods = c.registrations.map((r) => r.method).sort();
    assert.deepEqual(methods, ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
    const watch = c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
    const globs = (watch.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.{yaml,yml}'));
    assert.ok(globs.includes('**/.gitignore'));
  });

  test('a diagnostic appears after an edit and vanishes after the undo', async () => {
    await c.open(DEPLOYMENT);
    await c.replace(DEPLOYMENT, '        cost-center: engineering\n', '', '  template:');
    const list = await c.waitForDiagnostics(DEPLOYMENT, 'cost-labels-missing', has('cost-labels-missing'));
    const d = list.find((x) => x.code === 'cost-labels-missing')!;
    assert.equal(d.source, 'opex');
    assert.equal(d.severity, 1);
    assert.equal(d.codeDescription?.href, pathToFileURL(path.join(ROOT, 'docs', 'rules', 'cost-labels-missing.md')).href);
    assert.equal(textIn(c.text(DEPLOYMENT), d.range), 'labels');
    assert.equal(d.range.start.line, 18, 'the pod template labels, not the Deployment metadata labels');
    assert.match(d.message, /cost-center: engineering/);
    assert.equal(d.relatedInformation?.[0].location.uri, c.uri('opex.yaml'));
    assert.equal(textIn(fs.readFileSync(c.file('opex.yaml'), 'utf8'), d.relatedInformation![0].location.range), 'costLabels');

    await c.replace(DEPLOYMENT, '        environment: production\n', '        environment: production\n        cost-center: engineering\n', '  template:');
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', lacks('cost-labels-missing'));
    assert.deepEqual(c.diags(DEPLOYMENT), []);
  });

  test('an edit in one file updates the diagnostics of another file', async () => {
    await c.open('staging/task-api.yaml');
    await c.replace('staging/task-api.yaml', 'namespace: staging', 'namespace: production');
    // The Deployment in task-api-deployment.yaml is now the second definition of Deployment production/task-api.
    const list = await c.waitForDiagnostics(DEPLOYMENT, 'duplicate-resource', has('duplicate-resource'));
    const d = list.find((x) => x.code === 'duplicate-resource')!;
    assert.equal(textIn(c.text(DEPLOYMENT), d.range), 'task-api');
    assert.equal(d.relatedInformation?.[0].location.uri, c.uri('staging/task-api.yaml'));

    await c.replace('staging/task-api.yaml', 'namespace: production', 'namespace: staging');
    await c.waitForDiagnostics(DEPLOYMENT, 'no duplicate-resource', lacks('duplicate-resource'));
    await c.waitForDiagnostics('staging/task-api.yaml', 'a clean staging file', (l) => l.length === 0);
  });

  test('renaming a Deployment updates its VPA in another file', async () => {
    await c.replace(DEPLOYMENT, 'name: task-api\n', 'name: task-api-v2\n');
    await c.waitForDiagnostics('task-api-vpa.yaml', 'vpa-target-not-found', has('vpa-target-not-found'));
    await c.replace(DEPLOYMENT, 'name: task-api-v2\n', 'name: task-api\n');
    await c.waitForDiagnostics('task-api-vpa.yaml', 'a clean VPA', (l) => l.length === 0);
  });

  test('a label edit in a Deployment updates its Velero Schedule in another file', async () => {
    await c.open('postgres-statefulset.yaml');
    await c.replace('postgres-statefulset.yaml', '        app: postgres', '        app: postgresql', '  template:');
    await c.waitForDiagnostics('velero/task-api-velero-schedule.yaml', 'backup-hook-selector-unmatched', has('backup-hook-selector-unmatched'));
    await c.replace('postgres-statefulset.yaml', '        app: postgresql', '        app: postgres');
    await c.waitForDiagnostics('velero/task-api-velero-schedule.yaml', 'a clean Schedule', (l) => l.length === 0);
    await c.close('postgres-statefulset.yaml');
  });

  test('an edit of the spec re-checks every file', async () => {
    await c.open('opex.yaml');
    await c.replace('opex.yaml', 'cost-center: engineering}', 'cost-center: engineering, owner: platform}');
    const list = await c.waitForDiagnostics(DEPLOYMENT, 'cost-labels-missing for the new label', has('cost-labels-missing'));
    assert.match(list.find((d) => d.code === 'cost-labels-missing')!.message, /owner: platform/);
    await c.replace('opex.yaml', ', owner: platform}', '}');
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', lacks('cost-labels-missing'));
    await c.close('opex.yaml');
  });

  test('files created, changed and deleted outside the editor update the index', async () => {
    const deployment = fs.readFileSync(c.file(DEPLOYMENT), 'utf8').split('\n---\n')[0] + '\n';
    write(folder, 'zz-copy.yaml', deployment);
    await c.filesChanged([{ uri: c.uri('zz-copy.yaml'), type: FileChangeType.Created }]);
    await c.waitForDiagnostics('zz-copy.yaml', 'duplicate-resource', has('duplicate-resource'));

    write(folder, 'zz-copy.yaml', deployment.replace('name: task-api\n', 'name: task-api-copy\n'));
    await c.filesChanged([{ uri: c.uri('zz-copy.yaml'), type: FileChangeType.Changed }]);
    await c.waitForDiagnostics('zz-copy.yaml', 'no duplicate-resource', lacks('duplicate-resource'));

    write(folder, 'zz-copy.yaml', deployment);
    await c.filesChanged([{ uri: c.uri('zz-copy.yaml'), type: FileChangeType.Changed }]);
    await c.waitForDiagnostics('zz-copy.yaml', 'duplicate-resource again', has('duplicate-resource'));
    fs.rmSync(c.file('zz-copy.yaml'));
    await c.filesChanged([{ uri: c.uri('zz-copy.yaml'), type: FileChangeType.Deleted }]);
    await c.waitForDiagnostics('zz-copy.yaml', 'cleared diagnostics', (l) => l.length === 0);
  });

  test('a folder deleted outside the editor takes its files along', async () => {
    // (zz-: the copy sorts after the original, so the copy is the second definition and gets the diagnostic)
    write(folder, 'zz-more/dup.yaml', fs.readFileSync(c.file(DEPLOYMENT), 'utf8').split('\n---\n')[0] + '\n');
    await c.filesChanged([{ uri: c.uri('zz-more'), type: FileChangeType.Created }]);
    await c.waitForDiagnostics('zz-more/dup.yaml', 'duplicate-resource', has('duplicate-resource'));
    fs.rmSync(c.file('zz-more'), { recursive: true });
    await c.filesChanged([{ uri: c.uri('zz-more'), type: FileChangeType.Deleted }]);
    await c.waitForDiagnostics('zz-more/dup.yaml', 'cleared diagnostics', (l) => l.length === 0);
  });

  test('closing an edited document without saving goes back to the text on disk', async () => {
    await c.open('task-api-vpa.yaml');
    await c.replace('task-api-vpa.yaml', 'namespace: production', 'namespace: production\n  namespace: staging');
    await c.waitForDiagnostics('task-api-vpa.yaml', 'yaml-syntax', has('yaml-syntax'));
    await c.close('task-api-vpa.yaml');
    await c.waitForDiagnostics('task-api-vpa.yaml', 'cleared diagnostics', (l) => l.length === 0);
  });

  test('a document outside the workspace folders is checked while it is open', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-outside-'));
    const rel = path.relative(folder, path.join(outside, 'loose.yaml'));
    await c.open(rel, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: [1\n');
    await c.waitForDiagnostics(rel, 'yaml-syntax', has('yaml-syntax'));
    await c.close(rel);
    await c.waitForDiagnostics(rel, 'cleared diagnostics', (l) => l.length === 0);
  });

  test('bad input never stops the server', async () => {
    await c.open('junk.yaml', '\u0000\u0001\u0002 not yaml {{{ [[[\n\t- : :\n');
    await c.waitForDiagnostics('junk.yaml', 'a diagnostic for the junk', (l) => l.length > 0);
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: c.uri('junk.yaml') }, position: { line: 99, character: 99 } }), null);
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } }), null);
    assert.equal(await c.request('textDocument/hover', {}), null, 'malformed parameters are answered, not fatal');
    assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: { uri: '%%%' } }), []);
    assert.equal(await c.request('textDocument/completion', { textDocument: { uri: c.uri('junk.yaml') }, position: { line: 1, character: 3 } }), null);
    assert.deepEqual(await c.request('textDocument/definition', { textDocument: { uri: c.uri('nope.yaml') }, position: { line: 0, character: 0 } }), []);
    assert.deepEqual(await c.request('textDocument/codeAction', { textDocument: { uri: c.uri('junk.yaml') }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
    // A change for a document that was never opened is ignored, and the server still answers.
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: c.uri('never-opened.yaml'), version: 2 }, contentChanges: [{ text: 'x' }] });
    await c.edit('junk.yaml', [{ range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n' }]);
    await c.waitForDiagnostics('junk.yaml', 'a clean file', (l) => l.length === 0);
    const symbols = await c.request<Array<{ name: string }>>('textDocument/documentSymbol', { textDocument: { uri: c.uri('junk.yaml') } });
    assert.deepEqual(symbols.map((s) => s.name), ['ConfigMap default/ok']);
    await c.close('junk.yaml');
  });
});

describe('opex/lintWorkspace and cancellation', () => {
  let c: TestClient;
  before(async () => {
    c = await TestClient.start({ folder: copyFixture() });
    await c.ready();
  });
  after(() => c.stop());

  test('answers with the totals of a fresh scan', async () => {
    fs.writeFileSync(c.file('broken.yaml'), 'a: [1\n');
    const result = await c.request<LintWorkspaceResult>('opex/lintWorkspace', { rescan: true });
    assert.equal(result.files, 8);
    assert.equal(result.errors, 1);
    assert.equal(result.filesWithProblems, 1);
    assert.deepEqual(result.specs, [c.file('opex.yaml')]);
    assert.deepEqual(codes(c.diags('broken.yaml')), ['yaml-syntax']);
  });

  test('a cancelled request is answered as cancelled', async () => {
    const pending = c.requestCancelled('opex/lintWorkspace', { rescan: true });
    await assert.rejects(pending, (err: { code?: number }) => err.code === LSPErrorCodes.RequestCancelled);
    // The server goes on answering.
    const result = await c.request<LintWorkspaceResult>('opex/lintWorkspace', { rescan: false });
    assert.equal(result.files, 8);
  });

  test('a rescan that changes nothing still ends in the ready state', async () => {
    const before = c.statuses.length;
    await c.request<LintWorkspaceResult>('opex/lintWorkspace', { rescan: true });
    const after = c.statuses.slice(before).map((s) => s.state);
    assert.deepEqual(after, ['indexing', 'ready']);
  });
});

describe('settings through workspace/configuration', () => {
  let c: TestClient;
  let folder: string;
  before(async () => {
    folder = copyFixture();
    write(folder, 'broken/bad.yaml', 'a: [1\n');
    write(folder, 'specs/strict.yaml', fs.readFileSync(path.join(folder, 'opex.yaml'), 'utf8').replace('cost-center: engineering}', 'cost-center: engineering, owner: platform}'));
    c = await TestClient.start({ folder });
    await c.ready();
    await c.waitForDiagnostics('broken/bad.yaml', 'yaml-syntax', has('yaml-syntax'));
  });
  after(() => c.stop());

  test('opex.rules turns a rule off and changes its severity, live', async () => {
    await c.open(DEPLOYMENT);
    await c.replace(DEPLOYMENT, '        team: product-team\n', '', '  template:');
    await c.waitForDiagnostics(DEPLOYMENT, 'cost-labels-missing', has('cost-labels-missing'));
    await c.changeSettings({ rules: { 'cost-labels-missing': 'off' } });
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', lacks('cost-labels-missing'));
    await c.changeSettings({ rules: { 'cost-labels-missing': 'warning' } });
    const list = await c.waitForDiagnostics(DEPLOYMENT, 'cost-labels-missing as a warning', has('cost-labels-missing'));
    assert.equal(list.find((d) => d.code === 'cost-labels-missing')?.severity, 2);
    await c.changeSettings({ rules: {} });
    await c.waitForDiagnostics(DEPLOYMENT, 'cost-labels-missing as an error', (l) => l.some((d) => d.code === 'cost-labels-missing' && d.severity === 1));
    await c.replace(DEPLOYMENT, '        app: task-api\n', '        team: product-team\n        app: task-api\n', '  template:');
    await c.waitForDiagnostics(DEPLOYMENT, 'a clean file', (l) => l.length === 0);
  });

  test('opex.exclude leaves files out, live', async () => {
    await c.changeSettings({ exclude: ['broken/'] });
    await c.waitForDiagnostics('broken/bad.yaml', 'cleared diagnostics', (l) => l.length === 0);
    await c.changeSettings({ exclude: [] });
    await c.waitForDiagnostics('broken/bad.yaml', 'yaml-syntax again', has('yaml-syntax'));
  });

  test('opex.spec makes one spec govern every file, live', async () => {
    await c.changeSettings({ spec: 'specs/strict.yaml' });
    const list = await c.waitForDiagnostics(DEPLOYMENT, 'the strict spec\'s label', has('cost-labels-missing'));
    assert.match(list.find((d) => d.code === 'cost-labels-missing')!.message, /owner: platform/);
    await c.waitFor('the strict spec in the status', () => c.lastStatus?.specs.length === 1 && c.lastStatus.specs[0].file === c.file('specs/strict.yaml'));
    await c.changeSettings({ spec: null });
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', lacks('cost-labels-missing'));
    await c.waitFor('opex.yaml in the status', () => c.lastStatus?.specs.length === 1 && c.lastStatus.specs[0].file === c.file('opex.yaml'));
  });

  test('opex.spec naming a missing file is reported, not fatal', async () => {
    await c.changeSettings({ spec: 'specs/missing.yaml' });
    await c.waitFor('a warning about opex.spec', () => c.logs.find((l) => l.includes('opex.spec: cannot read specs/missing.yaml')));
    await c.changeSettings({ spec: null });
  });

  test('opex.trace.server verbose logs the lint passes', async () => {
    await c.changeSettings({ trace: { server: 'verbose' } });
    await c.replace(DEPLOYMENT, 'replicas: 3', 'replicas: 4');
    await c.waitFor('a verbose log line', () => c.logs.find((l) => /lint pass \d+ in \d+ ms/.test(l)));
    await c.changeSettings({ trace: { server: 'off' } });
  });
});

describe('pull diagnostics', () => {
  let c: TestClient;
  type Report = { kind: 'full' | 'unchanged'; resultId?: string; items?: Array<{ code?: string }> };
  before(async () => {
    c = await TestClient.start({
      folder: copyFixture(),
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }, workspace: { diagnostics: { refreshSupport: true } } },
    });
    await c.ready();
  });
  after(() => c.stop());

  test('the server offers pull diagnostics and pushes nothing', () => {
    assert.deepEqual(c.initResult?.capabilities.diagnosticProvider, { identifier: 'opex', interFileDependencies: true, workspaceDiagnostics: true });
    assert.deepEqual(c.published, []);
  });

  test('document reports carry result ids; an unchanged file is reported unchanged', async () => {
    const first = await c.request<Report>('textDocument/diagnostic', { textDocument: { uri: c.uri(DEPLOYMENT) } });
    assert.equal(first.kind, 'full');
    assert.deepEqual(first.items, []);
    const again = await c.request<Report>('textDocument/diagnostic', { textDocument: { uri: c.uri(DEPLOYMENT) }, previousResultId: first.resultId });
    assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });

    await c.open(DEPLOYMENT);
    await c.replace(DEPLOYMENT, '        team: product-team\n', '', '  template:');
    const changed = await c.request<Report>('textDocument/diagnostic', { textDocument: { uri: c.uri(DEPLOYMENT) }, previousResultId: first.resultId });
    assert.equal(changed.kind, 'full');
    assert.deepEqual(changed.items?.map((d) => d.code), ['cost-labels-missing']);
    await c.replace(DEPLOYMENT, '        app: task-api\n', '        team: product-team\n        app: task-api\n', '  template:');
  });

  test('a change that affects another file asks the client to pull again', async () => {
    const before = c.refreshes.diagnostics;
    const base = await c.request<{ items: Array<Report & { uri: string }> }>('workspace/diagnostic', { previousResultIds: [] });
    const ids = base.items.map((r) => ({ uri: r.uri, value: r.resultId! }));
    assert.equal(base.items.length, 7);
    await c.open('staging/task-api.yaml');
    await c.replace('staging/task-api.yaml', 'namespace: staging', 'namespace: production');
    await c.waitFor('a diagnostic refresh request', () => c.refreshes.diagnostics > before);
    const next = await c.request<{ items: Array<Report & { uri: string }> }>('workspace/diagnostic', { previousResultIds: ids });
    const dep = next.items.find((r) => r.uri === c.uri(DEPLOYMENT))!;
    assert.equal(dep.kind, 'full');
    assert.ok(dep.items?.some((d) => d.code === 'duplicate-resource'));
    assert.equal(next.items.find((r) => r.uri === c.uri('task-api-vpa.yaml'))?.kind, 'unchanged');
    await c.replace('staging/task-api.yaml', 'namespace: production', 'namespace: staging');
  });

  test('a cancelled pull is answered as cancelled', async () => {
    const pending = c.requestCancelled('workspace/diagnostic', { previousResultIds: [] });
    await assert.rejects(pending, (err: { code?: number }) => err.code === LSPErrorCodes.RequestCancelled);
    // The server goes on answering.
    const after = await c.request<{ items: unknown[] }>('workspace/diagnostic', { previousResultIds: [] });
    assert.ok(after.items.length > 0);
  });
});
