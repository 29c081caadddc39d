/**
 * The workspace side of the server: scanning the folders (gitignore, `opex.exclude`, node_modules and .git
 * skipped) in chunks that yield to the message loop with `$/progress`, the editor's documents, files changed
 * outside the editor, workspace folders, and the `opex.*` settings through `workspace/configuration`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  WatchKind,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type WorkDoneProgressServerReporter,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { discoverFiles } from '../engine/discover';
import { isSpecFile } from '../engine/spec/specs';
import { DEFAULT_SETTINGS, type OpexInitializationOptions, type OpexSettings, type SeveritySetting, type TraceSetting } from '../protocol';
import type { ServerContext } from './context';
import { yieldToLoop, type DiagnosticsService } from './diagnostics';
import { MAX_FILE_BYTES, uriToPath } from './project';

/** A workspace with more files than this is cut (a home folder opened by mistake must not freeze the editor). */
export const MAX_WORKSPACE_FILES = 50_000;
/** Files read, parsed and checked together during a scan. */
const CHUNK = 16;
/** How long a scan works before it lets the message loop answer requests. */
const SCAN_SLICE_MS = 8;

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);
const TRACES = new Set(['off', 'messages', 'verbose']);

/** Settings as the client sent them, made safe: wrong types fall back to the defaults. */
export function normalizeSettings(raw: unknown): OpexSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const rules: Record<string, SeveritySetting> = {};
  if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [id, sev] of Object.entries(r.rules)) if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeveritySetting;
  }
  const trace = typeof r.trace?.server === 'string' && TRACES.has(r.trace.server) ? (r.trace.server as TraceSetting) : DEFAULT_SETTINGS.trace.server;
  const delay = Number(r.lintDelay);
  return {
    spec: typeof r.spec === 'string' && r.spec.trim() !== '' ? r.spec.trim() : null,
    rules,
    exclude: Array.isArray(r.exclude) ? r.exclude.filter((x: unknown): x is string => typeof x === 'string' && x.trim() !== '') : [],
    trace: { server: trace },
    lintDelay: Number.isFinite(delay) && r.lintDelay !== null && r.lintDelay !== undefined ? Math.min(Math.max(delay, 0), 5000) : DEFAULT_SETTINGS.lintDelay,
  };
}

export class WorkspaceService {
  private scanGeneration = 0;
  private resolveReady: (() => void) | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly diagnostics: DiagnosticsService,
    private readonly init: OpexInitializationOptions,
  ) {}

  // ---- settings ------------------------------------------------------------------------------------------

  async fetchSettings(pushed?: unknown): Promise<OpexSettings> {
    let raw: unknown = { ...(this.init.settings ?? {}) };
    if (this.ctx.features.configuration) {
      const scopeUri = this.ctx.project.folders[0] ? this.ctx.project.uriOf(this.ctx.project.folders[0]) : undefined;
      const got = await this.ctx.connection.workspace.getConfiguration({ section: 'opex', scopeUri });
      if (got && typeof got === 'object') raw = { ...(raw as object), ...got };
    } else if (pushed && typeof pushed === 'object' && (pushed as { opex?: unknown }).opex) {
      raw = { ...(raw as object), ...((pushed as { opex: object }).opex) };
    }
    return normalizeSettings(raw);
  }

  /** Applies settings; answers whether the folders must be scanned again (the exclusions changed). */
  applySettings(next: OpexSettings): boolean {
    const { project, log } = this.ctx;
    const prev = project.settings;
    project.settings = next;
    log.level = next.trace.server;
    let rescan = false;
    if (JSON.stringify(prev.exclude) !== JSON.stringify(next.exclude)) {
      project.ignores.setExclude(next.exclude);
      rescan = true;
    }
    if (prev.spec !== next.spec || next.spec) {
      const problem = project.setForcedSpec(next.spec);
      if (problem) {
        log.warn(problem);
        void this.ctx.connection.window.showWarningMessage(problem);
      }
    }
    if (JSON.stringify(prev.rules) !== JSON.stringify(next.rules)) project.setRuleOverrides(next.rules);
    return rescan;
  }

  async onDidChangeConfiguration(params: DidChangeConfigurationParams): Promise<void> {
    const next = await this.fetchSettings(params.settings);
    const rescan = this.applySettings(next);
    if (rescan) await this.scan();
    else if (!this.ctx.indexing) await this.diagnostics.lintSoon();
  }

  /** Asks the client for the notifications the server needs (when it lets servers register dynamically). */
  async register(): Promise<void> {
    const { connection, features } = this.ctx;
    if (features.configurationDynamic) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'opex' });
    }
    if (features.watchedFilesDynamic) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.{yaml,yml}' },
          { globPattern: '**/*opex-spec.md' },
          { globPattern: '**/.gitignore' },
          // Folders created or deleted as a whole (git checkout, rm -r): their files send no events of their own.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
  }

  // ---- scanning ------------------------------------------------------------------------------------------

  /** Marks the project as indexing until the next scan completes. */
  beginIndexing(): void {
    if (this.ctx.indexing) return;
    this.ctx.indexing = true;
    this.ctx.ready = new Promise((resolve) => (this.resolveReady = resolve));
  }

  private endIndexing(): void {
    this.ctx.indexing = false;
    const resolve = this.resolveReady;
    this.resolveReady = undefined;
    resolve?.();
  }

  /**
   * Reads every folder into the project in chunks, yielding to the message loop between them so that requests
   * are answered while a large workspace loads, then lints everything. A newer scan supersedes a running one.
   */
  async scan(): Promise<void> {
    const generation = ++this.scanGeneration;
    const { project, log, connection } = this.ctx;
    this.beginIndexing();
    this.diagnostics.sendStatus();
    const started = Date.now();
    let progress: WorkDoneProgressServerReporter | undefined;
    try {
      const found = new Set<string>();
      for (const folder of project.folders) {
        const d = discoverFiles(folder, { exclude: project.settings.exclude, maxFiles: MAX_WORKSPACE_FILES });
        for (const f of d.manifests) found.add(f);
        for (const f of d.specs) found.add(f);
        if (found.size >= MAX_WORKSPACE_FILES) {
          log.warn(`opex: the workspace has more than ${MAX_WORKSPACE_FILES.toLocaleString('en-US')} YAML files; only the first ones are checked. Use opex.exclude to leave folders out.`);
          break;
        }
      }
      // Files that were indexed before but are no longer part of the workspace (excluded, deleted, folder removed).
      for (const file of project.knownFiles()) {
        if (found.has(file) || file === project.forcedSpecFile) continue;
        if (!project.isOpen(file) || !project.isIncluded(file)) project.removeFile(file);
      }
      // Specs first: the file rules run on each chunk as it is read (while its syntax trees are at hand) and read them.
      const files = [...found].filter((f) => !project.isOpen(f)).sort((a, b) => Number(isSpecFile(b)) - Number(isSpecFile(a)));
      if (this.ctx.features.workDoneProgress) {
        progress = await connection.window.createWorkDoneProgress();
        progress.begin(`opex: indexing ${files.length.toLocaleString('en-US')} files`, 0, undefined, false);
      }
      let done = 0;
      let lastReport = 0;
      // Chunks of files read (synchronously: a local read costs less than its promise), parsed and checked by the file
      // rules, for about SCAN_SLICE_MS at a time; then the message loop answers what came meanwhile.
      while (done < files.length) {
        if (generation !== this.scanGeneration) return;
        const until = performance.now() + SCAN_SLICE_MS;
        do {
          const batch = files.slice(done, done + CHUNK);
          for (const file of batch) {
            if (project.isOpen(file)) continue;
            const text = readTextSync(file);
            if (text === undefined) {
              if (project.hasFile(file)) project.removeFile(file); // gone or unreadable since the walk
            } else if (project.textOf(file) !== text) {
              project.setText(file, text);
            }
          }
          project.prepare(batch);
          done += batch.length;
        } while (done < files.length && performance.now() < until);
        const pct = Math.floor((done / files.length) * 100);
        if (progress && pct !== lastReport) {
          lastReport = pct;
          progress.report(pct, `${done.toLocaleString('en-US')} / ${files.length.toLocaleString('en-US')}`);
        }
        await yieldToLoop();
      }
      log.verbose(() => `opex: indexed ${files.length} files in ${Date.now() - started} ms`);
    } finally {
      progress?.done();
      if (generation === this.scanGeneration) this.endIndexing();
    }
    // The first lint of a large workspace takes seconds: it runs in slices, so requests are answered meanwhile.
    if (generation === this.scanGeneration) await this.diagnostics.lintSoon();
  }

  // ---- documents -----------------------------------------------------------------------------------------

  onDidOpen(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    const { project } = this.ctx;
    if (!file || !project.isIncluded(file)) return;
    project.rememberUri(file, doc.uri);
    project.adoptSpecsAbove(file);
    const text = doc.getText();
    if (project.textOf(file) === text) return;
    project.setText(file, text);
    this.diagnostics.schedule();
  }

  onDidChangeContent(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    const { project } = this.ctx;
    if (!file || !project.isOpen(file) || !project.isIncluded(file)) return;
    const text = doc.getText();
    if (project.textOf(file) === text) return;
    project.setText(file, text);
    this.diagnostics.schedule();
  }

  /**
   * A closed document goes back to its text on disk; one outside the workspace folders leaves the project. The
   * file is read at once (one file), so no request sees the closed editor's text afterwards.
   */
  onDidClose(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    const { project } = this.ctx;
    if (!file || !project.isOpen(file)) return;
    project.forgetUri(file);
    const onDisk = project.folderOf(file) || file === project.forcedSpecFile ? readTextSync(file) : undefined;
    if (onDisk === undefined) project.removeFile(file);
    else if (project.textOf(file) !== onDisk) project.setText(file, onDisk);
    else return;
    this.diagnostics.schedule();
  }

  // ---- files changed outside the editor ------------------------------------------------------------------

  async onDidChangeWatchedFiles(params: DidChangeWatchedFilesParams): Promise<void> {
    const { project } = this.ctx;
    const seen = new Set<string>();
    let rescan = false;
    let touched = false;
    for (const change of params.changes) {
      const key = `${change.type}|${change.uri}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const file = uriToPath(change.uri);
      if (!file) continue;
      if (path.basename(file) === '.gitignore') {
        rescan = true;
        continue;
      }
      if (change.type === FileChangeType.Deleted) {
        if (project.isOpen(file)) continue;
        if (project.hasFile(file)) project.removeFile(file);
        else project.removeTree(file);
        touched = true;
        continue;
      }
      if (project.isOpen(file)) continue; // the editor's text wins until the document is closed
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(file);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        const folder = project.folderOf(file);
        // A folder that is skipped anyway (node_modules appearing after an install, a gitignored build output) is not walked.
        if (change.type === FileChangeType.Created && folder && !project.ignores.isIgnored(path.join(file, '.opex-probe.yaml'), folder)) {
          touched = (await this.addFolder(file)) || touched;
        }
        continue;
      }
      if (!project.isIncluded(file) || (!project.folderOf(file) && file !== project.forcedSpecFile)) continue;
      const text = await readText(file);
      if (text === undefined || project.isOpen(file) || project.textOf(file) === text) continue;
      project.setText(file, text);
      touched = true;
    }
    if (rescan) {
      project.ignores.reset();
      await this.scan();
    } else if (touched) {
      this.diagnostics.schedule();
    }
  }

  /** A folder that appeared (moved in, checked out): read its files. */
  private async addFolder(dir: string): Promise<boolean> {
    const { project } = this.ctx;
    const d = discoverFiles(dir, { maxFiles: MAX_WORKSPACE_FILES });
    let added = false;
    for (const file of [...d.manifests, ...d.specs]) {
      if (project.isOpen(file) || !project.isIncluded(file)) continue;
      const text = await readText(file);
      if (text === undefined) continue;
      project.setText(file, text);
      added = true;
    }
    return added;
  }

  async onDidChangeWorkspaceFolders(event: WorkspaceFoldersChangeEvent): Promise<void> {
    const { project } = this.ctx;
    const removed = new Set(event.removed.map((f) => uriToPath(f.uri)).filter((f): f is string => Boolean(f)));
    const added = event.added.map((f) => uriToPath(f.uri)).filter((f): f is string => Boolean(f));
    project.folders = [...project.folders.filter((f) => !removed.has(f)), ...added.filter((f) => !project.folders.includes(f))];
    await this.scan();
  }
}

/**
 * A file's text, or undefined when it cannot be read, is no regular file or is too large to be a manifest. Opened
 * non-blocking: a FIFO named *.yaml is not waited on (it is no regular file, so it is not read).
 */
export function readTextSync(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    return fs.readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A file's text, or undefined when it cannot be read or is too large to be a manifest. */
export async function readText(file: string): Promise<string | undefined> {
  try {
    // Non-blocking: opening a FIFO named *.yaml would otherwise wait for a writer forever, holding a libuv thread.
    const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const st = await handle.stat();
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return await handle.readFile({ encoding: 'utf8' });
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
