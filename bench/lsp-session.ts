/**
 * A language-server session for the LSP benchmark: starts a server as a child process over stdio, answers what a
 * client must answer (configuration, progress, registrations), records every publishDiagnostics with the time it
 * arrived, and reads the server's memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type Range,
} from 'vscode-languageserver-protocol/node';

export interface Published {
  at: number;
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false } },
  },
};

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export class Session {
  readonly published: Published[] = [];
  readonly notifications: Array<{ at: number; method: string; params: unknown }> = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;
  stderr = '';

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    /** Settings by section, answered to workspace/configuration. */
    public settings: Record<string, unknown>,
  ) {}

  static async start(name: string, command: string[], folder: string, settings: Record<string, unknown>): Promise<Session> {
    const proc = spawn(process.execPath, command, { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const s = new Session(name, proc, conn, settings);
    proc.stderr!.on('data', (d) => (s.stderr += String(d)));
    proc.on('exit', () => {
      s.exited = true;
      s.changed();
    });
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      s.published.push({ at: performance.now(), uri: p.uri, version: p.version, diagnostics: p.diagnostics });
      s.changed();
    });
    for (const method of ['opex/status', 'window/logMessage', 'window/showMessage', '$/progress']) {
      conn.onNotification(method, (params: unknown) => {
        s.notifications.push({ at: performance.now(), method, params });
        s.changed();
      });
    }
    conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section ? s.settings[item.section] ?? null : null)));
    conn.onRequest(RegistrationRequest.type, () => null);
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    conn.onRequest('workspace/workspaceFolders', () => [{ uri: uriOf(folder), name: path.basename(folder) }]);
    conn.onRequest('workspace/diagnostic/refresh', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => null);
    conn.onRequest('window/showMessageRequest', () => null);
    conn.listen();
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities: CAPABILITIES,
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return s;
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `test` holds (checked on every message from the server); rejects after `limitMs`. */
  waitFor<T>(test: () => T | undefined | false, limitMs = 600_000, what = 'a condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.exited) {
          this.waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`${this.name} exited while waiting for ${what}: ${this.stderr.slice(-2000)}`));
          return;
        }
        const v = test();
        if (v === undefined || v === false) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(v as T);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.name}: no ${what} within ${limitMs} ms`));
      }, limitMs);
      this.waiters.add(check);
      check();
    });
  }

  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  async open(file: string, text: string): Promise<void> {
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: 'yaml', version: 1, text } });
  }

  async change(file: string, version: number, range: Range, text: string): Promise<void> {
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ range, text }],
    });
  }

  /** Sends a request and answers how long the answer took (ms). */
  async timed(method: string, params: unknown): Promise<number> {
    const t = performance.now();
    await this.conn.sendRequest(method, params);
    return performance.now() - t;
  }

  /** Resident memory of the server process now and at its peak (MB), from /proc. */
  memory(): { rssMb: number; peakMb: number } {
    const status = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 5000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    await this.waitFor(() => this.exited, 3000, 'the exit').catch(() => undefined);
    if (!this.exited) this.proc.kill();
    this.conn.dispose();
  }
}
