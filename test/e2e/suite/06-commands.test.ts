/**
 * Every command the extension contributes runs in the editor and does what its title says. A command added to
 * package.json without a case here fails the first test, so the table stays complete.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SPEC } from '../lib/workspace';
import { cleanWorkspace, closeAll, EXTENSION_ID, waitForCleanWorkspace, workspaceSummary } from './helpers';
import { runAccepting } from './quickInput';

interface Totals {
  files: number;
  errors: number;
  warnings: number;
  specs: string[];
}

/** The live-check commands, run against the loopback API server in 07-live-checks.test.ts. */
const LIVE_COMMANDS = ['opex.verify', 'opex.verifyOne', 'opex.verifyDisruptive', 'opex.verifyCancel', 'opex.exportReport', 'opex.verifyRefresh'];

const CASES: Record<string, () => Promise<void>> = {
  'opex.lintWorkspace': async () => {
    const totals = await vscode.commands.executeCommand<Totals>('opex.lintWorkspace');
    assert.ok(totals, 'resolves with the totals');
    assert.deepEqual([totals.errors, totals.warnings], [0, 0]);
    assert.deepEqual(totals.specs.map((s) => path.basename(s)), [SPEC]);
  },
  'opex.createSpec': async () => {
    // The folder has a spec already: the command opens it and never writes a second one.
    const uri = await vscode.commands.executeCommand<vscode.Uri>('opex.createSpec');
    assert.ok(uri, 'resolves with the spec it opened');
    assert.equal(path.basename(uri.fsPath), SPEC);
    assert.equal(path.basename(vscode.window.activeTextEditor?.document.uri.fsPath ?? ''), SPEC, 'the spec is the active editor');
    const yaml = await vscode.workspace.findFiles('opex.yaml');
    assert.deepEqual(yaml, [], 'no opex.yaml was written');
  },
  'opex.scaffold': async () => {
    const written = await runAccepting<vscode.Uri[]>('opex.scaffold');
    assert.ok(Array.isArray(written), 'resolves with the files it wrote');
    const names = written.map((u) => path.basename(u.fsPath));
    // The example lacks only the PodDisruptionBudget: the new file is preselected, the existing ones are not.
    assert.deepEqual(names, ['task-api-pdb.yaml']);
    await vscode.commands.executeCommand('opex.lintWorkspace');
    await waitForCleanWorkspace();
    await closeAll();
    const edit = new vscode.WorkspaceEdit();
    for (const u of written) edit.deleteFile(u);
    assert.ok(await vscode.workspace.applyEdit(edit));
  },
  'opex.showOutput': async () => {
    await vscode.commands.executeCommand('opex.showOutput');
  },
  'opex.restartServer': async () => {
    await vscode.commands.executeCommand('opex.restartServer');
    const totals = await vscode.commands.executeCommand<Totals>('opex.lintWorkspace');
    assert.ok(totals && totals.files >= 6, 'the new server answers');
    await waitForCleanWorkspace();
  },
};

suite('commands', () => {
  suiteSetup(cleanWorkspace);
  suiteTeardown(closeAll);

  const contributed = ((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: Array<{ command: string }> } })?.contributes.commands ?? []).map(
    (c) => c.command,
  );

  test('every contributed command is registered and has a case in this suite', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
    assert.deepEqual([...contributed].sort(), [...Object.keys(CASES), ...LIVE_COMMANDS].sort());
  });

  for (const [id, run] of Object.entries(CASES)) {
    test(`${id} runs`, run);
  }

  test('nothing the commands did left a problem behind', async () => {
    await vscode.commands.executeCommand('opex.lintWorkspace');
    await waitForCleanWorkspace();
    assert.deepEqual(workspaceSummary(), []);
    assert.deepEqual(await vscode.workspace.findFiles('task-api-pdb.yaml'), []);
  });
});
