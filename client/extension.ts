/**
 * The opex VS Code extension: glue only. It starts the bundled language server (dist/server.js over IPC), which
 * does all the work (diagnostics, fixes, hover, completion, code lens, scaffolding), and adds the commands and the
 * status bar item. Settings (`opex.*`) are read by the server itself through `workspace/configuration`, and the
 * server registers its own file watchers; the client passes nothing but the documents.
 *
 * Activation is cheap: the server starts in the background, and a command waits for it.
 */
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { CLIENT_ID, CLIENT_NAME, DOCUMENT_SELECTOR, SERVER_MODULE, serverOptions } from './config';
import { StatusBar } from './status';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('opex');
  const rel = (file: string) => vscode.workspace.asRelativePath(vscode.Uri.file(file), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(context.asAbsolutePath(SERVER_MODULE)), {
    documentSelector: DOCUMENT_SELECTOR,
    diagnosticCollectionName: 'opex',
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    markdown: { isTrusted: false, supportHtml: false },
  });
  const status = new StatusBar(client, rel);
  context.subscriptions.push(output, status, ...registerCommands({ client, output, rel }));
  client.start().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    output.appendLine(`opex: the language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`opex: the language server did not start (${message}).`, 'Show Output').then((choice) => {
      if (choice) output.show(true);
    });
  });
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.needsStop()) await c.stop();
}
