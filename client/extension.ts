/**
 * The opex VS Code extension: glue only. It starts the bundled language server (dist/server.js over IPC), which
 * does all the work (diagnostics, fixes, hover, completion, code lens, scaffolding), and adds the commands and the
 * status bar item. Settings (`opex.*`) are read by the server itself through `workspace/configuration`, and the
 * server registers its own file watchers (`**\/*.{yaml,yml}`, specs, .gitignore, folders), so the client sends no
 * file events of its own: the same change would otherwise arrive twice.
 *
 * Activation is cheap: the server starts in the background, and a command waits for it.
 */
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { CLIENT_ID, CLIENT_NAME, DOCUMENT_SELECTOR, SERVER_MODULE, serverOptions } from './config';
import { crashHandler, RestartPolicy, type CrashReporter } from './restart';
import { StatusBar } from './status';
import { registerVerify, verifyInitializationOptions } from './verify';

/**
 * The language client, replaced by a new one when it cannot be restarted (a LanguageClient whose start failed
 * cannot start again).
 */
export class ServerHandle implements vscode.Disposable {
  private current: LanguageClient;
  private readonly listeners: Array<(client: LanguageClient) => void> = [];

  constructor(
    private readonly create: () => LanguageClient,
    private readonly output: vscode.OutputChannel,
  ) {
    this.current = create();
  }

  get client(): LanguageClient {
    return this.current;
  }

  /** Calls `fn` with the client now and with every client that replaces it. */
  onClient(fn: (client: LanguageClient) => void): void {
    this.listeners.push(fn);
    fn(this.current);
  }

  /** Starts the client in the background; a failure is shown once, with the way to the output. */
  startInBackground(): void {
    this.current.start().catch((err: unknown) => this.reportStartFailure(err));
  }

  /** The client, running: waits while it starts, and starts a new one if it stopped or failed. */
  async running(): Promise<LanguageClient> {
    if (this.current.state === State.Stopped) return this.restart();
    await this.current.start(); // while starting: resolves when it is up
    return this.current;
  }

  async restart(): Promise<LanguageClient> {
    if (this.current.state === State.Running) {
      await this.current.restart();
      return this.current;
    }
    const old = this.current;
    await old.dispose().catch(() => undefined); // a client whose start failed cannot be stopped: nothing to wait for
    this.current = this.create();
    for (const fn of this.listeners) fn(this.current);
    await this.current.start();
    return this.current;
  }

  private reportStartFailure(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.output.appendLine(`opex: the language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`opex: the language server did not start (${message}).`, 'Show Output').then((choice) => {
      if (choice) this.output.show(true);
    });
  }

  async dispose(): Promise<void> {
    if (this.current.needsStop()) await this.current.stop();
  }
}

let handle: ServerHandle | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('opex');
  const rel = (file: string) => vscode.workspace.asRelativePath(vscode.Uri.file(file), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  const server = context.asAbsolutePath(SERVER_MODULE);
  // A server process that dies is started again after 1, 2, 4, 8, 16 s, and the user is told (client/restart.ts).
  const restarts = new RestartPolicy();
  const reporter: CrashReporter = {
    log: (message) => output.appendLine(message),
    notify: (message, severity) => {
      const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(message, 'Show Output').then((choice) => {
        if (choice) output.show(true);
      });
    },
  };
  handle = new ServerHandle(
    () =>
      new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(server), {
        documentSelector: DOCUMENT_SELECTOR,
        diagnosticCollectionName: 'opex',
        outputChannel: output,
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        markdown: { isTrusted: false, supportHtml: false },
        initializationOptions: verifyInitializationOptions, // read at every (re)start: live checks follow Workspace Trust
        errorHandler: crashHandler(restarts, async () => handle?.restart(), reporter),
      }),
    output,
  );
  const status = new StatusBar(rel);
  handle.onClient((client) => status.bind(client));
  context.subscriptions.push(output, status, ...registerCommands({ handle, output, rel }));
  context.subscriptions.push(...registerVerify(context, handle, output, rel)); // the side panel and the verify commands
  handle.startInBackground();
}

export async function deactivate(): Promise<void> {
  const h = handle;
  handle = undefined;
  await h?.dispose();
}
