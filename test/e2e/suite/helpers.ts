/**
 * What the extension-host tests share: the workspace's files, waiting for what the editor shows (diagnostics come
 * from the language server asynchronously, so tests wait for a condition, never for a fixed time), and the opex
 * diagnostics of a file as (rule id, line) pairs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BREAKAGES } from '../lib/workspace';

export const EXTENSION_ID = 'opex-dev.opex';

/** How long a wait may take before the test fails: a hang guard, not a speed assertion. */
export const WAIT_MS = Number(process.env.OPEX_E2E_WAIT_MS ?? 20_000);

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

export const fileUri = (rel: string): vscode.Uri => vscode.Uri.joinPath(folder(), ...rel.split('/'));

export async function readText(rel: string): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(fileUri(rel))).toString('utf8');
}

export async function writeText(rel: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(fileUri(rel), Buffer.from(text, 'utf8'));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy; fails with `what` and the last value after WAIT_MS. */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, opts: { timeoutMs?: number; describe?: () => string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? WAIT_MS);
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}${opts.describe ? `: ${opts.describe()}` : ''}`);
    await sleep(100);
  }
}

export const ruleOf = (d: vscode.Diagnostic): string => (typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code ?? ''));

export function opexDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'opex');
}

/** "rule-id@line" (1-based, as the editor shows lines), sorted. */
export function summary(uri: vscode.Uri): string[] {
  return opexDiagnostics(uri)
    .map((d) => `${ruleOf(d)}@${d.range.start.line + 1}`)
    .sort();
}

/** Every opex diagnostic in the workspace, as "file: rule-id@line". */
export function workspaceSummary(): string[] {
  const out: string[] = [];
  for (const [uri, list] of vscode.languages.getDiagnostics()) {
    for (const d of list) if (d.source === 'opex') out.push(`${vscode.workspace.asRelativePath(uri)}: ${ruleOf(d)}@${d.range.start.line + 1}`);
  }
  return out.sort();
}

/** Waits until the file's opex diagnostics are exactly `expected` ("rule@line", any order). */
export async function waitForDiagnostics(uri: vscode.Uri, expected: string[]): Promise<void> {
  const want = [...expected].sort();
  await waitFor(`${vscode.workspace.asRelativePath(uri)} to show [${want.join(', ')}]`, () => JSON.stringify(summary(uri)) === JSON.stringify(want), {
    describe: () => `it shows [${summary(uri).join(', ')}]`,
  });
}

/** Waits until no file of the workspace has an opex diagnostic. */
export async function waitForCleanWorkspace(): Promise<void> {
  await waitFor('a workspace without opex problems', () => workspaceSummary().length === 0, { describe: () => workspaceSummary().join('; ') });
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The position of the `nth` occurrence of `needle` in a document, plus `offset` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0, nth = 0): vscode.Position {
  const text = doc.getText();
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" (occurrence ${nth + 1}) in ${vscode.workspace.asRelativePath(doc.uri)}`);
  }
  return doc.positionAt(i + offset);
}

/** Markdown text of hovers. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n---\n');
}

export async function extension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  await ext.activate();
  return ext;
}

/** Closes every editor, reverting unsaved changes, so the next test starts from the files on disk. */
export async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isUntitled)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The workspace without the deliberate mistakes, linted: undoes on disk whatever BREAKAGES the quick-fix suite has
 * not fixed (so each suite can run alone, e.g. with OPEX_E2E_GREP), re-reads the workspace and waits until the
 * editor shows no opex problem.
 */
export async function cleanWorkspace(): Promise<void> {
  await closeAll();
  for (const b of BREAKAGES) {
    const text = await readText(b.file);
    if (text.includes(b.to)) await writeText(b.file, text.replace(b.to, b.from));
  }
  const totals = await vscode.commands.executeCommand<{ errors: number; warnings: number; infos: number }>('opex.lintWorkspace');
  assert.deepEqual({ errors: totals?.errors, warnings: totals?.warnings }, { errors: 0, warnings: 0 }, `a clean workspace: ${workspaceSummary().join('; ')}`);
  await waitForCleanWorkspace();
}
