/**
 * Diagnostics follow the text as the user types, before saving: removing a cost label from the pod template adds
 * cost-labels-missing on the template's `labels` key (and turns the SC-001 lens red); typing it back clears it.
 * The same problem's quick fix restores exactly the line that was removed.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEPLOYMENT, SPEC } from '../lib/workspace';
import { closeAll, fileUri, open, opexDiagnostics, positionOf, ruleOf, summary, waitFor, cleanWorkspace, waitForDiagnostics } from './helpers';

async function lensTitle(id: string): Promise<string | undefined> {
  const spec = await vscode.workspace.openTextDocument(fileUri(SPEC)); // the lens command needs the document loaded
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', spec.uri, 100);
  return lenses.find((l) => l.command?.title.startsWith(id))?.command?.title;
}

suite('typing in a manifest', () => {
  let editor: vscode.TextEditor;
  let original: string;
  let labelsLine: number;
  let removed: vscode.Range;

  suiteSetup(async () => {
    await cleanWorkspace();
    editor = await open(DEPLOYMENT);
    original = editor.document.getText();
    const doc = editor.document;
    const template = positionOf(doc, 'template:');
    labelsLine = doc.getText().slice(0, doc.offsetAt(template)).split('\n').length - 1 + 2; // template: / metadata: / labels:
    assert.equal(doc.lineAt(labelsLine).text.trim(), 'labels:');
    const label = positionOf(doc, 'cost-center: engineering', 0, 1); // the pod template's, after the Deployment's own
    removed = doc.lineAt(label.line).rangeIncludingLineBreak;
  });
  suiteTeardown(closeAll);

  test('removing the pod template\'s cost-center label reports cost-labels-missing on its labels key', async () => {
    assert.ok(await editor.edit((b) => b.delete(removed)));
    assert.equal(editor.document.isDirty, true, 'not saved: the server lints what the editor holds');
    await waitForDiagnostics(editor.document.uri, [`cost-labels-missing@${labelsLine + 1}`]);
    const d = opexDiagnostics(editor.document.uri)[0];
    assert.equal(editor.document.getText(d.range), 'labels');
    assert.match(d.message, /lacks the cost label cost-center: engineering/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    await waitFor('the SC-001 lens to count the problem', async () => (await lensTitle('SC-001'))?.startsWith('SC-001 ✗ 1 problem'), {
      describe: () => 'see the lens titles',
    });
  });

  test('typing the label back clears it', async () => {
    assert.ok(await editor.edit((b) => b.insert(removed.start, '        cost-center: engineering\n')));
    assert.equal(editor.document.getText(), original);
    await waitForDiagnostics(editor.document.uri, []);
    await waitFor('the SC-001 lens to be satisfied again', async () => (await lensTitle('SC-001'))?.startsWith('SC-001 ✓'));
  });

  test('the quick fix of the same problem adds the label back where it was', async () => {
    assert.ok(await editor.edit((b) => b.delete(removed)));
    const d = await waitFor('cost-labels-missing', () => opexDiagnostics(editor.document.uri).find((x) => ruleOf(x) === 'cost-labels-missing'));
    // As a user pressing Ctrl+. on the squiggle. Once in six CI runs the first request right after the diagnostic
    // appeared offered no fix (not explained yet): ask again for a while, and say in the log when it took more than one.
    let requests = 0;
    let titles: string[] = [];
    const fix = await waitFor(
      'the preferred quick fix',
      async () => {
        requests++;
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, d.range, vscode.CodeActionKind.QuickFix.value);
        titles = actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`);
        return actions.find((a) => a.isPreferred);
      },
      { timeoutMs: 5000, describe: () => `${requests} requests; the last offered [${titles.join('; ')}]; diagnostics [${summary(editor.document.uri).join(', ')}]` },
    );
    if (requests > 1) console.log(`# the quick fix was offered at the ${requests}th request (offered before: [${titles.join('; ')}])`);
    assert.equal(fix.title, 'Add cost label cost-center: engineering to the pod template');
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.equal(editor.document.getText(), original, 'the fix restores the removed line exactly');
    await waitForDiagnostics(editor.document.uri, []);
    assert.ok(await editor.document.save());
    assert.deepEqual(summary(editor.document.uri), []);
  });
});
