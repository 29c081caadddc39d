/** The status bar item: problem count and the spec in use (the active editor's, else the workspace's); click shows the output. */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { SpecForRequest, StatusNotification, type StatusParams, type StatusSpec } from '../server/protocol';
import { COMMANDS } from './config';
import { statusText, statusTooltip, type Relative } from './text';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private status: StatusParams | undefined;
  /** The spec of the active editor's file (null: none governs it; undefined: not asked). */
  private active: StatusSpec | null | undefined;
  private activeUri: string | undefined;
  private query = 0;
  private failed = false;

  private client: LanguageClient | undefined;
  private bindings: vscode.Disposable[] = [];

  constructor(private readonly rel: Relative) {
    this.item = vscode.window.createStatusBarItem('opex.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'opex';
    this.item.command = COMMANDS.showOutput;
    this.render();
    this.item.show();
    this.disposables.push(this.item, vscode.window.onDidChangeActiveTextEditor(() => void this.refreshActive(false)));
  }

  /** Follows a (new) language client: its status notifications and its state. */
  bind(client: LanguageClient): void {
    for (const d of this.bindings) d.dispose();
    this.client = client;
    this.status = undefined;
    this.failed = false;
    this.bindings = [
      client.onNotification(StatusNotification, (s) => {
        const specsChanged = JSON.stringify(s.specs) !== JSON.stringify(this.status?.specs);
        this.status = s;
        this.failed = false;
        if (specsChanged) void this.refreshActive(true);
        this.render();
      }),
      client.onDidChangeState((e) => {
        this.failed = e.newState === State.Stopped;
        if (e.newState === State.Starting) this.status = undefined;
        this.render();
      }),
    ];
    this.render();
  }

  /** Asks the server which spec governs the active editor's file (yaml and spec files only). */
  private async refreshActive(force: boolean): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const uri = doc && doc.uri.scheme === 'file' && vscode.languages.match([{ language: 'yaml' }, { language: 'markdown' }], doc) > 0 ? doc.uri.toString() : undefined;
    if (uri === this.activeUri && !force) return;
    this.activeUri = uri;
    const query = ++this.query;
    const client = this.client;
    if (!uri || !client || client.state !== State.Running) {
      this.active = undefined;
      this.render();
      return;
    }
    try {
      const result = await client.sendRequest(SpecForRequest, { uri });
      if (query === this.query) this.active = result.spec;
    } catch {
      if (query === this.query) this.active = undefined;
    }
    if (query === this.query) this.render();
  }

  private render(): void {
    if (this.failed) {
      this.item.text = '$(error) opex: stopped';
      this.item.tooltip = 'The opex language server is not running. Click to show its output; run "opex: Restart server" to start it again.';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    this.item.backgroundColor = undefined;
    this.item.text = statusText(this.status, this.active);
    const tip = new vscode.MarkdownString(statusTooltip(this.status, this.active, this.rel));
    tip.supportThemeIcons = true;
    this.item.tooltip = tip;
  }

  dispose(): void {
    for (const d of [...this.bindings, ...this.disposables]) d.dispose();
  }
}
