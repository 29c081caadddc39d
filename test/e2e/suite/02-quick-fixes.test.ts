/**
 * Quick fixes through VS Code's own code-action machinery (`vscode.executeCodeActionProvider`): each mistake of the
 * broken copy offers a preferred fix; applying it gives the expected text and the diagnostic goes away, until the
 * workspace is clean.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BREAKAGES } from '../lib/workspace';
import { closeAll, fileUri, open, opexDiagnostics, ruleOf, waitFor, waitForCleanWorkspace, workspaceSummary } from './helpers';

suite('quick fixes', () => {
  suiteTeardown(closeAll);

  for (const b of BREAKAGES) {
    test(`${b.ruleId} in ${b.file}: the preferred fix gives "${b.fixed}"`, async () => {
      const editor = await open(b.file);
      const doc = editor.document;
      const diag = await waitFor(`${b.ruleId} in ${b.file}`, () => opexDiagnostics(doc.uri).find((d) => ruleOf(d) === b.ruleId));
      const line = diag.range.start.line;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      // The API command returns the actions without their diagnostics: the range holds one problem.
      const fixes = actions.filter((a) => !a.title.startsWith('Suppress ') && !a.title.startsWith('Fix all '));
      const preferred = fixes.find((a) => a.isPreferred);
      assert.ok(preferred?.edit, `a preferred quick fix among: ${actions.map((a) => `${a.title} (${a.kind?.value}${a.isPreferred ? ', preferred' : ''})`).join(' | ')}`);
      assert.ok(actions.some((a) => a.title.startsWith(`Suppress ${b.ruleId}`)), 'a suppression is offered too');
      assert.ok(await vscode.workspace.applyEdit(preferred.edit), 'the edit applies');
      assert.equal(doc.lineAt(line).text.trim(), b.fixed);
      assert.ok(await doc.save(), 'saved');
      await waitFor(`${b.ruleId} to go away`, () => !opexDiagnostics(doc.uri).some((d) => ruleOf(d) === b.ruleId), {
        describe: () => opexDiagnostics(doc.uri).map(ruleOf).join(', '),
      });
    });
  }

  test('the workspace is clean afterwards, and a second "fix all" changes nothing', async () => {
    await waitForCleanWorkspace();
    for (const file of new Set(BREAKAGES.map((b) => b.file))) {
      const doc = await vscode.workspace.openTextDocument(fileUri(file));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        new vscode.Range(0, 0, doc.lineCount, 0),
        'source.fixAll.opex',
      );
      const edits = actions.filter((a) => a.edit && a.edit.size > 0);
      assert.deepEqual(edits.map((a) => a.title), [], `${file}: nothing left to fix`);
    }
    assert.deepEqual(workspaceSummary(), []);
  });
});
