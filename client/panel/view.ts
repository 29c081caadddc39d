/**
 * The side panel: a WebviewView in opex's own activity-bar container. It serves the page bundled in dist/panel/
 * under a strict Content-Security-Policy, posts the state whenever it changes, and passes the page's messages —
 * each one validated first — to the live-checks controller. Nothing the page sends is trusted: links are opened
 * by index into what the extension itself holds, contexts and specs must be ones it listed.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { nonceFrom, panelHtml } from './html';
import { parsePageMessage, type CriterionId, type HostMessage, type PageMessage, type PanelState } from './messages';

export { VIEW_CONTAINER_ID, VIEW_ID } from './text';

/** What the panel needs from the controller (client/verify.ts). */
export interface PanelController {
  readonly state: PanelState;
  readonly onDidChange: vscode.Event<PanelState>;
  readonly onDidReveal: vscode.Event<CriterionId>;
  handle(message: PageMessage): Promise<void>;
  /** The panel became visible: refresh what may be stale (contexts, plan). */
  visible(): void;
}

export class VerifyViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: PanelController,
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      controller.onDidChange((state) => this.post({ type: 'state', state })),
      controller.onDidReveal((id) => this.post({ type: 'reveal', id })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables) d.dispose();
    this.view = view;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'panel');
    view.webview.options = { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: [root] };
    const asset = (name: string) => view.webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    view.webview.html = panelHtml(
      { cspSource: view.webview.cspSource, script: asset('panel.js'), style: asset('panel.css'), codicons: asset('codicon.css') },
      nonceFrom(randomBytes(18)),
      this.controller.state,
    );
    this.viewDisposables = [
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parsePageMessage(raw);
        if (!message) {
          this.output.appendLine(`[opex panel] ignored a malformed message from the page: ${safeJson(raw)}`);
          return;
        }
        if (message.type === 'ready') {
          this.post({ type: 'state', state: this.controller.state });
          this.controller.visible();
          return;
        }
        this.controller.handle(message).catch((err: unknown) => {
          const text = err instanceof Error ? err.message : String(err);
          this.output.appendLine(`[opex panel] ${message.type} failed: ${err instanceof Error && err.stack ? err.stack : text}`);
          void vscode.window.showErrorMessage(`opex: ${text}`);
        });
      }),
      view.onDidChangeVisibility(() => {
        if (view.visible) this.controller.visible();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    ];
  }

  get visible(): boolean {
    return !!this.view?.visible;
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    for (const d of [...this.viewDisposables, ...this.disposables]) d.dispose();
  }
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
