/**
 * The commands: lint the workspace, create a spec, scaffold a service, show the output, restart the server, and the
 * code lens's "show locations". The server computes; the client asks the user and writes what they accepted.
 */
import * as vscode from 'vscode';
import {
  LintWorkspaceRequest,
  ScaffoldRequest,
  SHOW_LOCATIONS_COMMAND,
  SpecTemplateRequest,
  type LintWorkspaceResult,
  type ScaffoldFileResult,
  type ScaffoldResult,
  type ShowLocationsArguments,
} from '../server/protocol';
import { COMMANDS } from './config';
import type { ServerHandle } from './extension';
import { lintSummary, overwriteQuestion, scaffoldDone, scaffoldItems, unchangedFiles, type Relative } from './text';

export interface CommandContext {
  handle: ServerHandle;
  output: vscode.OutputChannel;
  rel: Relative;
}

const pathOf = (uri: string): string => vscode.Uri.parse(uri).fsPath;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const run = (name: string, fn: (...args: any[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        ctx.output.appendLine(`[${name}] ${err instanceof Error && err.stack ? err.stack : message}`);
        void vscode.window.showErrorMessage(`opex: ${message}`, 'Show Output').then((choice) => {
          if (choice) ctx.output.show(true);
        });
        return undefined;
      }
    });
  return [
    run(COMMANDS.lintWorkspace, () => lintWorkspace(ctx)),
    run(COMMANDS.createSpec, () => createSpec(ctx)),
    run(COMMANDS.scaffold, () => scaffoldService(ctx)),
    run(COMMANDS.showOutput, async () => ctx.output.show(true)),
    run(COMMANDS.restartServer, () => restart(ctx)),
    run(SHOW_LOCATIONS_COMMAND, (...args) => showLocations(ctx, args as ShowLocationsArguments)),
  ];
}

/** The client, started (again) if it is not running. */
const running = (ctx: CommandContext) => ctx.handle.running();

/** Resolves with the totals (for scripts and tests); the message is not waited for. */
async function lintWorkspace(ctx: CommandContext): Promise<LintWorkspaceResult> {
  const client = await running(ctx);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'opex: linting the workspace', cancellable: true },
    (_progress, token) => client.sendRequest(LintWorkspaceRequest, { rescan: true }, token),
  );
  const problems = result.errors + result.warnings + result.infos > 0;
  void vscode.window.showInformationMessage(lintSummary(result, ctx.rel), ...(problems ? ['Show Problems'] : [])).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return result;
}

async function pickFolder(placeHolder: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showWarningMessage('opex: open a folder first; the spec and the manifests live in a workspace folder.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function open(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(uri, { preview: false });
}

/**
 * Writes opex.yaml with the chapter's targets into a workspace folder's root; never over an existing spec.
 * Resolves with the spec's URI (the new one, or the existing one it opened).
 */
async function createSpec(ctx: CommandContext): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder('Create the opex spec in which folder?');
  if (!folder) return;
  if (folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('opex: specs can only be created in folders on disk.');
    return;
  }
  const client = await running(ctx);
  const template = await client.sendRequest(SpecTemplateRequest, { folder: folder.uri.toString() });
  if (template.existing) {
    const uri = vscode.Uri.parse(template.existing);
    await open(uri);
    void vscode.window.showInformationMessage(`opex: ${ctx.rel(uri.fsPath)} already is this folder's spec; opened it instead of writing another.`);
    return uri;
  }
  const uri = vscode.Uri.parse(template.uri);
  if (await exists(uri)) {
    await open(uri);
    void vscode.window.showInformationMessage(`opex: ${ctx.rel(uri.fsPath)} exists; opened it.`);
    return uri;
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(template.text, 'utf8'));
  await open(uri);
  void vscode.window.showInformationMessage(`opex: created ${ctx.rel(uri.fsPath)} with the chapter's task-api targets; edit it for your service, then run "opex: Scaffold service from spec".`);
  return uri;
}

/** Asks the server for the spec's manifests, lets the user choose, asks before overwriting, writes. Resolves with what it wrote. */
async function scaffoldService(ctx: CommandContext): Promise<vscode.Uri[]> {
  const client = await running(ctx);
  let result: ScaffoldResult = await client.sendRequest(ScaffoldRequest, {});
  if (result.specs.length > 1) {
    const pick = await vscode.window.showQuickPick(
      result.specs.map((s) => ({ label: s.service || ctx.rel(s.file), description: ctx.rel(s.file), spec: s })),
      { title: 'opex: Scaffold service from spec', placeHolder: 'Which spec?' },
    );
    if (!pick) return [];
    result = await client.sendRequest(ScaffoldRequest, { spec: vscode.Uri.file(pick.spec.file).toString() });
  }
  if (result.problem) {
    const actions = result.spec ? ['Open Spec'] : result.specs.length === 0 ? ['Create opex spec'] : [];
    const spec = result.spec;
    void vscode.window.showWarningMessage(`opex: ${result.problem}`, ...actions).then(async (choice) => {
      if (choice === 'Open Spec' && spec) await open(vscode.Uri.file(spec.file));
      if (choice === 'Create opex spec') await vscode.commands.executeCommand(COMMANDS.createSpec);
    });
    return [];
  }
  for (const note of result.notes) ctx.output.appendLine(`opex scaffold: ${note}`);
  const service = result.spec?.service ?? '';
  const items = scaffoldItems(result, ctx.rel, pathOf);
  const unchanged = unchangedFiles(result).length;
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`opex: the ${service} manifests are up to date; nothing to write.`);
    return [];
  }
  const folder = result.folder ? ctx.rel(pathOf(result.folder)) || '.' : '.';
  const notes = result.notes.length > 0 ? ` ${result.notes.join(' ')}` : '';
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    ignoreFocusOut: true,
    title: `opex: scaffold ${service} into ${folder}`,
    placeHolder: `Files to write. Existing files are not ticked: tick one to overwrite it.${notes}`,
  });
  if (!picked || picked.length === 0) return [];
  const chosen = picked.map((i) => i.file);
  const question = overwriteQuestion(chosen, ctx.rel, pathOf);
  if (question) {
    const answer = await vscode.window.showWarningMessage(question, { modal: true }, 'Overwrite');
    if (answer !== 'Overwrite') return [];
  }
  const written: vscode.Uri[] = [];
  const skipped: string[] = [];
  for (const file of chosen) {
    const uri = vscode.Uri.parse(file.uri);
    if (!file.exists && (await exists(uri))) {
      skipped.push(ctx.rel(uri.fsPath)); // it appeared since the list was computed: the user never agreed to replace it
      continue;
    }
    await writeFile(uri, file);
    written.push(uri);
  }
  if (written.length > 0) await open(written[0]);
  const message = scaffoldDone(service, written.length, unchanged) + (skipped.length > 0 ? ` Kept ${skipped.join(', ')}: created meanwhile.` : '');
  void vscode.window.showInformationMessage(message);
  return written;
}

/** An open document is replaced through an edit (undoable) and saved; a file on disk is written whole. */
async function writeFile(uri: vscode.Uri, file: ScaffoldFileResult): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), file.text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not write ${uri.fsPath}`);
    await doc.save();
    return;
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(file.text, 'utf8'));
}

async function restart(ctx: CommandContext): Promise<void> {
  await ctx.handle.restart();
  void vscode.window.setStatusBarMessage('opex: language server restarted', 3000);
}

/** Code lens → the references view on the locations the server listed. */
async function showLocations(ctx: CommandContext, args: ShowLocationsArguments): Promise<void> {
  const [uri, position, locations] = args;
  const p2c = ctx.handle.client.protocol2CodeConverter;
  await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), p2c.asPosition(position), locations.map((l) => p2c.asLocation(l)));
}
