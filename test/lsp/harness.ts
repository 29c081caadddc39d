/**
 * A minimal LSP client for integration tests: starts the opex language server as a real child process over
 * stdio, answers the requests a client must answer (configuration, progress, registrations, refreshes), records
 * what the server sends, and lets tests wait for a condition without timing assumptions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type FileEvent,
  type InitializeResult,
  type ProtocolConnection,
  type Range,
  type Registration,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StatusNotification, type OpexSettings, type StatusParams } from '../../server/protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'lsp', 'task-api');

/** How long any single wait may take before the test fails (a hang guard, not a speed assertion). */
const WAIT_LIMIT_MS = Number(process.env.OPEX_LSP_WAIT_MS ?? 30_000);

/** The server to run: the bundle when it is newer than every server source, else the sources through tsx. */
export function serverCommand(): string[] {
  const bundle = path.join(ROOT, 'dist', 'server.js');
  const forced = process.env.OPEX_LSP_SERVER;
  const source = ['--import', 'tsx', path.join(ROOT, 'server', 'lsp', 'main.ts')];
  if (forced === 'source') return source;
  if (forced === 'bundle') return [bundle];
  if (!fs.existsSync(bundle)) return source;
  const built = fs.statSync(bundle).mtimeMs;
  const newest = newestSource(path.join(ROOT, 'server'));
  return built >= newest ? [bundle] : source;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** A fresh copy of a fixture folder in a temporary directory (tests may change files on disk). */
export function copyFixture(from = FIXTURE): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-lsp-'));
  fs.cpSync(from, dir, { recursive: true });
  return fs.realpathSync(dir);
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export function pathOf(uri: string): string {
  return fileURLToPath(uri);
}

export interface StartOptions {
  folder: string;
  settings?: Partial<OpexSettings>;
  /** Client capabilities merged over the defaults (a VS Code-like client that uses push diagnostics). */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
}

const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
    codeLens: { refreshSupport: true },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown'] } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

function merge<T>(a: T, b: unknown): T {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return (b === undefined ? a : b) as T;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
  return out as T;
}

export interface ProgressEvent {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };
}

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics, in order. */
  readonly published: Array<{ uri: string; diagnostics: Diagnostic[] }> = [];
  readonly progress: ProgressEvent[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  readonly registrations: Registration[] = [];
  readonly refreshes = { diagnostics: 0, codeLens: 0 };
  settings: Record<string, unknown>;
  stderr = '';
  initResult: InitializeResult | undefined;
  private readonly docs = new Map<string, TextDocument>();
  private readonly watchers = new Set<() => void>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    readonly folder: string,
    settings: Partial<OpexSettings>,
  ) {
    this.settings = { ...settings };
  }

  static async start(opts: StartOptions): Promise<TestClient> {
    const proc = spawn(process.execPath, [...serverCommand(), '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn, opts.folder, opts.settings ?? {});
    proc.stderr!.on('data', (d) => (client.stderr += String(d)));
    client.listen();
    conn.listen();
    client.initResult = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(opts.folder),
      workspaceFolders: [{ uri: uriOf(opts.folder), name: path.basename(opts.folder) }],
      capabilities: merge(DEFAULT_CAPABILITIES, opts.capabilities),
      initializationOptions: opts.initializationOptions,
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private listen(): void {
    const changed = () => {
      for (const w of [...this.watchers]) w();
    };
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.published.push({ uri: p.uri, diagnostics: p.diagnostics });
      changed();
    });
    this.conn.onNotification(StatusNotification, (p) => {
      this.statuses.push(p);
      changed();
    });
    this.conn.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
      changed();
    });
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.conn.onProgress(WorkDoneProgress.type, p.token, (value) => {
        this.progress.push({ token: p.token, value: value as ProgressEvent['value'] });
        changed();
      });
      return null;
    });
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === 'opex' ? this.settings : null)));
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
      changed();
      return null;
    });
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes.diagnostics++;
      changed();
      return null;
    });
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.refreshes.codeLens++;
      changed();
      return null;
    });
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onNotification('window/showMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      changed();
    });
  }

  /** Resolves with the first truthy value of `probe`, re-checked after every message from the server. */
  waitFor<T>(what: string, probe: () => T | undefined | null | false, limitMs = WAIT_LIMIT_MS): Promise<T> {
    const first = probe();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let v: T | undefined | null | false;
        try {
          v = probe();
        } catch (err) {
          cleanup();
          reject(err);
          return;
        }
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}\n--- server log ---\n${this.logs.join('\n')}\n${this.stderr}`));
      }, limitMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
    });
  }

  get lastStatus(): StatusParams | undefined {
    return this.statuses[this.statuses.length - 1];
  }

  /** Waits until the first scan has been indexed and linted (a large workspace is given a longer limit). */
  ready(limitMs = WAIT_LIMIT_MS): Promise<StatusParams> {
    return this.waitFor('the first lint pass', () => this.statuses.find((s) => s.state === 'ready' && s.lintPass >= 1), limitMs);
  }

  /** Waits for the next lint pass to complete after now. */
  nextLint(): Promise<StatusParams> {
    const after = this.lastStatus?.lintPass ?? 0;
    return this.waitFor(`a lint pass after ${after}`, () => this.statuses.find((s) => s.lintPass > after && s.state === 'ready'));
  }

  /** Diagnostics of a file (as last published), by path relative to the workspace folder. */
  diags(rel: string): Diagnostic[] {
    return this.diagnostics.get(this.uri(rel)) ?? [];
  }

  waitForDiagnostics(rel: string, what: string, probe: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return this.waitFor(`${what} in ${rel}`, () => {
      const d = this.diags(rel);
      return probe(d) ? d : undefined;
    });
  }

  uri(rel: string): string {
    return uriOf(path.join(this.folder, rel));
  }

  file(rel: string): string {
    return path.join(this.folder, rel);
  }

  text(rel: string): string {
    return this.docs.get(this.uri(rel))?.getText() ?? fs.readFileSync(this.file(rel), 'utf8');
  }

  async open(rel: string, text?: string): Promise<string> {
    const uri = this.uri(rel);
    const content = text ?? fs.readFileSync(this.file(rel), 'utf8');
    const languageId = rel.endsWith('.md') ? 'markdown' : 'yaml';
    const doc = TextDocument.create(uri, languageId, 1, content);
    this.docs.set(uri, doc);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text: content } });
    return uri;
  }

  /** Sends incremental changes, each given as a range of the current text and its replacement. */
  async edit(rel: string, changes: Array<{ range: Range; text: string }>): Promise<void> {
    const uri = this.uri(rel);
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${rel} is not open`);
    const next = TextDocument.update(doc, changes, doc.version + 1);
    this.docs.set(uri, next);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: next.version },
      contentChanges: changes.map((c) => ({ range: c.range, text: c.text })),
    });
  }

  /** Replaces the first occurrence of `search` (after `after`, if given) in an open document. */
  async replace(rel: string, search: string, replacement: string, after?: string): Promise<void> {
    const text = this.text(rel);
    const from = after ? text.indexOf(after) : 0;
    if (from < 0) throw new Error(`${after} not found in ${rel}`);
    const at = text.indexOf(search, from);
    if (at < 0) throw new Error(`${search} not found in ${rel}`);
    const doc = this.docs.get(this.uri(rel))!;
    await this.edit(rel, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + search.length) }, text: replacement }]);
  }

  /** Applies a workspace edit to the open documents (as an editor would) and sends the changes. */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of editsByUri(edit)) {
      const rel = path.relative(this.folder, pathOf(uri));
      await this.edit(rel, [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character).map((e) => ({ range: e.range, text: e.newText })));
    }
  }

  async close(rel: string): Promise<void> {
    const uri = this.uri(rel);
    this.docs.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async changeSettings(settings: Partial<OpexSettings>): Promise<void> {
    this.settings = { ...this.settings, ...settings };
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { opex: this.settings } });
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    return (token ? this.conn.sendRequest(method, params, token.token) : this.conn.sendRequest(method, params)) as Promise<R>;
  }

  /**
   * Sends a request and its cancellation while the server process is stopped, so that the server finds the
   * cancellation queued behind the request, as a busy server does; resolves to the request's outcome. (Sent to an idle
   * server, the answer can be complete before the cancellation arrives, and a test of it would depend on timing.)
   */
  async requestCancelled(method: string, params: unknown): Promise<unknown> {
    const pid = this.proc.pid!;
    process.kill(pid, 'SIGSTOP');
    let pending: Promise<unknown>;
    try {
      const source = new CancellationTokenSource();
      pending = this.request(method, params, source);
      source.cancel();
      await new Promise((r) => setTimeout(r, 200)); // the request and the cancellation are both in the pipe
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    return pending;
  }

  /** A request that must be answered within `limitMs`: a lost request fails the test instead of hanging it. */
  requestWithin<R>(limitMs: number, method: string, params: unknown): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} unanswered after ${limitMs} ms\n--- server log ---\n${this.logs.join('\n')}\n${this.stderr}`)), limitMs);
    });
    return Promise.race([this.request<R>(method, params), limit]).finally(() => clearTimeout(timer));
  }

  /** Position of the n-th occurrence (0-based) of a string in an open or on-disk file, plus an offset into it. */
  positionOf(rel: string, search: string, offset = 0, nth = 0): { line: number; character: number } {
    const text = this.text(rel);
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = text.indexOf(search, at + 1);
      if (at < 0) throw new Error(`${search} (#${nth}) not found in ${rel}`);
    }
    return TextDocument.create('x', 'yaml', 0, text).positionAt(at + offset);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 5000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.proc.kill();
          resolve();
        }, 5000);
        this.proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

export function editsByUri(edit: WorkspaceEdit): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) continue;
    out.set(change.textDocument.uri, [...(out.get(change.textDocument.uri) ?? []), ...(change.edits as TextEdit[])]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.set(uri, [...(out.get(uri) ?? []), ...edits]);
  return out;
}

/** The text of one document after a workspace edit. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit): string {
  const edits = editsByUri(edit).get(uri) ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

/** The text a range covers. */
export function textIn(text: string, range: Range): string {
  const doc = TextDocument.create('x', 'yaml', 0, text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}

export function codes(list: readonly Diagnostic[]): string[] {
  return list.map((d) => String(d.code));
}

export { CancellationTokenSource };
