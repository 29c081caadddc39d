/**
 * Every contributed snippet, inserted by VS Code's own snippet machinery (`editor.action.insertSnippet` by name)
 * with its defaults, lints clean in the task-api workspace as a drop-in for the example's objects of the same
 * kind/namespace/name (they are moved out for the check and put back after). The opex.yaml snippet replaces the
 * markdown spec.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as YAML from 'yaml';
import { SPEC } from '../lib/workspace';
import { cleanWorkspace, closeAll, EXTENSION_ID, fileUri, open, readText, waitForCleanWorkspace, workspaceSummary, writeText } from './helpers';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  isFileTemplate?: boolean;
}

function contributedSnippets(): Array<[string, Snippet]> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const files = (ext.packageJSON as { contributes: { snippets: Array<{ language: string; path: string }> } }).contributes.snippets;
  const out: Array<[string, Snippet]> = [];
  for (const f of files) {
    const text = require('node:fs').readFileSync(vscode.Uri.joinPath(ext.extensionUri, f.path).fsPath, 'utf8') as string;
    out.push(...(Object.entries(JSON.parse(text)) as Array<[string, Snippet]>));
  }
  return out;
}

const idOf = (doc: any): string | undefined =>
  doc && typeof doc === 'object' && doc.kind ? `${doc.kind}/${doc.metadata?.namespace ?? 'default'}/${doc.metadata?.name}` : undefined;

/** Removes the documents with these identities from the workspace's manifests; returns the originals to restore. */
async function moveOut(ids: Set<string>, keep: string): Promise<Map<string, string>> {
  const originals = new Map<string, string>();
  for (const uri of await vscode.workspace.findFiles('**/*.{yaml,yml}')) {
    const rel = vscode.workspace.asRelativePath(uri);
    if (rel === keep) continue;
    const text = await readText(rel);
    const docs = text.split(/^---[ \t]*$/m);
    const kept = docs.filter((d) => !ids.has(idOf(YAML.parse(d)) ?? ''));
    if (kept.length === docs.length) continue;
    originals.set(rel, text);
    await writeText(rel, kept.join('---'));
  }
  return originals;
}

async function insertSnippet(rel: string, name: string): Promise<vscode.TextEditor> {
  await writeText(rel, '');
  const editor = await open(rel);
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'yaml', name });
  await vscode.commands.executeCommand('leaveSnippet');
  assert.ok(editor.document.getText().length > 50, `the snippet "${name}" was inserted`);
  assert.ok(await editor.document.save());
  return editor;
}

/** Moves a file through a workspace edit: an open document of it is closed (the server keeps open documents' text). */
async function rename(from: vscode.Uri, to: vscode.Uri): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.renameFile(from, to, { overwrite: true });
  assert.ok(await vscode.workspace.applyEdit(edit), `renamed ${vscode.workspace.asRelativePath(from)}`);
}

/** Deletes a file the editor had open: renamed out of the server's sight first, then removed from disk. */
async function deleteFile(rel: string): Promise<void> {
  await closeAll();
  const gone = fileUri(`${rel}.deleted`);
  await rename(fileUri(rel), gone);
  await vscode.workspace.fs.delete(gone);
}

suite('snippets', () => {
  suiteSetup(cleanWorkspace);
  suiteTeardown(closeAll);

  const snippets = contributedSnippets();
  test('the extension contributes its nine snippets for YAML', () => {
    assert.equal(snippets.length, 9, snippets.map(([n]) => n).join(', '));
  });

  for (const [name, s] of snippets.filter(([, s]) => !s.isFileTemplate)) {
    const prefix = ([] as string[]).concat(s.prefix)[0];
    test(`${prefix}: inserts and lints clean in place of the example's objects`, async () => {
      const rel = `snippet-${prefix}.yaml`;
      const editor = await insertSnippet(rel, name);
      const ids = new Set(YAML.parseAllDocuments(editor.document.getText()).map((d) => idOf(d.toJS())).filter((x): x is string => !!x));
      assert.ok(ids.size > 0, 'the snippet defines objects');
      const originals = await moveOut(ids, rel);
      try {
        await vscode.commands.executeCommand('opex.lintWorkspace');
        await waitForCleanWorkspace();
      } finally {
        await deleteFile(rel);
        for (const [file, text] of originals) await writeText(file, text);
      }
    });
  }

  for (const [name, s] of snippets.filter(([, s]) => s.isFileTemplate)) {
    const prefix = ([] as string[]).concat(s.prefix)[0];
    test(`${prefix}: an opex.yaml from the snippet governs the workspace in place of the markdown spec, and it is met`, async () => {
      const aside = fileUri(`${SPEC}.off`);
      await closeAll();
      await rename(fileUri(SPEC), aside);
      try {
        await insertSnippet('opex.yaml', name);
        const totals = await vscode.commands.executeCommand<{ specs: string[]; errors: number; warnings: number }>('opex.lintWorkspace');
        assert.deepEqual(totals?.specs.map((f) => f.split('/').pop()), ['opex.yaml']);
        await waitForCleanWorkspace();
      } finally {
        await deleteFile('opex.yaml');
        await rename(aside, fileUri(SPEC));
      }
    });
  }

  test('the workspace is as it was', async () => {
    const totals = await vscode.commands.executeCommand<{ errors: number; warnings: number; specs: string[] }>('opex.lintWorkspace');
    assert.deepEqual(totals?.specs.map((f) => f.split('/').pop()), [SPEC]);
    assert.deepEqual([totals?.errors, totals?.warnings], [0, 0]);
    await waitForCleanWorkspace();
    assert.deepEqual(workspaceSummary(), []);
  });
});
