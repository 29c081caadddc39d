/**
 * A broken copy of examples/task-api (test/e2e/lib/workspace.ts): once the extension is active, the editor shows
 * each mistake with its rule id, at its line and on the offending value, without the user opening a file.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BREAKAGES } from '../lib/workspace';
import { extension, fileUri, opexDiagnostics, readText, ruleOf, waitForDiagnostics } from './helpers';

suite('problems in a broken copy of examples/task-api', () => {
  let ext: vscode.Extension<unknown>;
  suiteSetup(async () => {
    ext = await extension();
  });

  test('the extension under test is active', () => {
    assert.equal(ext.isActive, true);
    const expected = process.env.OPEX_E2E_EXTENSION_PATH;
    if (expected) assert.equal(path.resolve(ext.extensionPath), path.resolve(expected), 'the extension is loaded from where the runner put it');
    console.log(`opex extension at ${ext.extensionPath} (${(ext.packageJSON as { version: string }).version})`);
  });

  test('each mistake is reported with its rule id at its line, on the offending value', async () => {
    const files = [...new Set(BREAKAGES.map((b) => b.file))];
    for (const file of files) {
      const text = await readText(file);
      const lines = text.split('\n');
      const expected = BREAKAGES.filter((b) => b.file === file).map((b) => `${b.ruleId}@${lines.findIndex((l) => l.includes(b.to)) + 1}`);
      await waitForDiagnostics(fileUri(file), expected);
      for (const d of opexDiagnostics(fileUri(file))) {
        const b = BREAKAGES.find((x) => x.file === file && x.ruleId === ruleOf(d))!;
        const line = lines[d.range.start.line];
        assert.equal(line.slice(d.range.start.character, d.range.end.character), b.covers, `${b.ruleId}: the range covers the value`);
        assert.equal(d.severity, b.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning, `${b.ruleId}: severity`);
        assert.ok(typeof d.code === 'object' && d.code.target.path.endsWith(`/docs/rules/${b.ruleId}.md`), `${b.ruleId}: links to its docs (${JSON.stringify(d.code)})`);
        assert.ok(d.message.length > 40, `${b.ruleId}: says what is wrong and why`);
      }
    }
  });

  test('a diagnostic names the spec line it enforces as related information', () => {
    const ttl = opexDiagnostics(fileUri('task-api-velero-schedule.yaml')).find((d) => ruleOf(d) === 'backup-ttl-mismatch');
    assert.ok(ttl, 'the ttl problem');
    const related = ttl.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri.path.endsWith('/task-api-opex-spec.md')), `related: ${related.map((r) => r.location.uri.path).join(', ')}`);
  });

  test('"opex: Lint workspace" reads the workspace again and reports the totals', async () => {
    const totals = await vscode.commands.executeCommand<{ files: number; errors: number; warnings: number; specs: string[] }>('opex.lintWorkspace');
    assert.ok(totals, 'the command resolves with the totals');
    assert.equal(totals.files, 6);
    assert.equal(totals.errors, BREAKAGES.filter((b) => b.severity === 'error').length);
    assert.equal(totals.warnings, BREAKAGES.filter((b) => b.severity === 'warning').length);
    assert.deepEqual(totals.specs.map((s) => path.basename(s)), ['task-api-opex-spec.md']);
  });
});
