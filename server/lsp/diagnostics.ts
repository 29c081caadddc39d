/**
 * Diagnostics: engine results as LSP diagnostics, linted again after edits (debounced, superseded by newer
 * edits), pushed with `publishDiagnostics` for files whose problems changed, or served by pull
 * (`textDocument/diagnostic`, `workspace/diagnostic`) when the client supports it.
 */
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic as LspDiagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { INTERNAL_ERROR } from '../engine/lint';
import type { Diagnostic } from '../engine/types';
import { StatusNotification, type LintWorkspaceResult } from '../protocol';
import type { ServerContext } from './context';
import { afterLargePass, postponeCompaction } from './memory';
import { uriToPath, type LintSnapshot } from './project';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** An engine diagnostic as the client sees it: rule id as code, a link to its docs, source `opex`, related locations. */
export function toLspDiagnostic(ctx: ServerContext, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Warning,
    code: d.ruleId,
    source: 'opex',
    message: d.message,
  };
  if (d.ruleId !== INTERNAL_ERROR) out.codeDescription = { href: `${ctx.docsBaseUri}${d.ruleId}.md` };
  if (d.related && d.related.length > 0 && ctx.features.relatedInformation) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: ctx.project.uriOf(r.file), range: r.range }, message: r.message }));
  }
  return out;
}

function samePos(a: LspDiagnostic['range'], b: LspDiagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function sameDiagnostics(a: readonly LspDiagnostic[], b: readonly LspDiagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.code !== y.code || x.severity !== y.severity || x.message !== y.message || !samePos(x.range, y.range)) return false;
    const rx = x.relatedInformation ?? [];
    const ry = y.relatedInformation ?? [];
    if (rx.length !== ry.length) return false;
    for (let j = 0; j < rx.length; j++) {
      if (rx[j].message !== ry[j].message || rx[j].location.uri !== ry[j].location.uri || !samePos(rx[j].location.range, ry[j].location.range)) return false;
    }
  }
  return true;
}

interface Reported {
  resultId: string;
  items: LspDiagnostic[];
  /** The engine's list the items were made from (unchanged lists are the same array from one pass to the next). */
  source: readonly Diagnostic[];
}

/** How long a lint pass runs before it lets the message loop answer requests (hover, completion) in between. */
export const LINT_SLICE_MS = 8;

export class DiagnosticsService {
  /** What the client has been told, by absolute path: pushed lists, or pull results with their ids. */
  private readonly reported = new Map<string, Reported>();
  private timer: NodeJS.Timeout | undefined;
  /** Increments with every request for a pass: a scheduled pass runs only if no newer one was asked for. */
  private scheduled = 0;
  private refreshQueued = false;
  private nextResultId = 1;
  /** Completed lint passes. */
  lintPass = 0;
  private readonly listeners: Array<(changed: Set<string>) => void> = [];
  private disposed = false;
  private lastSnapshot: LintSnapshot | undefined;
  private lastState: 'indexing' | 'ready' | undefined;
  /** The pass being run in slices, if any (its promise settles when the results are published). */
  private running: Promise<LintSnapshot | undefined> | undefined;

  constructor(private readonly ctx: ServerContext) {}

  get pullMode(): boolean {
    return this.ctx.features.pullDiagnostics;
  }

  /** Called after each pass with the files whose diagnostics changed. */
  onDidChange(listener: (changed: Set<string>) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Lints again after the configured delay. A newer call cancels a pass that has not started, so a burst of
   * keystrokes costs one pass.
   */
  schedule(): void {
    postponeCompaction();
    const generation = ++this.scheduled;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Superseded by a newer edit or an immediate pass; during a scan, the scan lints when it is done.
      if (generation !== this.scheduled || this.ctx.indexing || this.disposed) return;
      void this.lintSliced();
    }, Math.max(0, this.ctx.project.settings.lintDelay));
  }

  /**
   * Lints in slices of LINT_SLICE_MS, yielding to the message loop in between (requests are answered while a large
   * pass runs; edits that arrive meanwhile are included in it), then tells the client what changed. A call while a
   * pass runs joins it and, when the texts changed since it finished, runs another.
   */
  async lintSliced(reporting?: string): Promise<LintSnapshot | undefined> {
    while (this.running) {
      await this.running;
      if (this.ctx.project.isLinted || this.disposed) return this.ctx.project.currentSnapshot;
    }
    const run = (async () => {
      try {
        for (;;) {
          if (this.disposed) return undefined;
          const started = Date.now();
          const snapshot = this.ctx.project.lintSlice(LINT_SLICE_MS);
          if (snapshot) return this.publishPass(snapshot, started, reporting);
          await yieldToLoop();
        }
      } catch (err) {
        this.ctx.log.error('opex: linting failed', err);
        return undefined;
      }
    })();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  /** Lints now (pending edits included) and tells the client what changed; a scheduled pass is dropped. */
  lintNow(reporting?: string): LintSnapshot {
    this.scheduled++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.pass(reporting);
  }

  /** Lints now in slices (pending edits included; a scheduled pass is dropped) and tells the client what changed. */
  lintSoon(reporting?: string): Promise<LintSnapshot | undefined> {
    this.scheduled++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.lintSliced(reporting);
  }

  /** Stops linting and publishing (the client asked the server to shut down). */
  dispose(): void {
    this.disposed = true;
    this.scheduled++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Lints (the project caches the result until something changes) and tells the client what changed. A pass
   * over the same results as the previous one does nothing. `reporting`: a file whose diagnostics are being
   * answered by pull right now (no refresh is needed for it).
   */
  private pass(reporting?: string): LintSnapshot {
    const started = Date.now();
    return this.publishPass(this.ctx.project.lint(), started, reporting);
  }

  private publishPass(snapshot: LintSnapshot, started: number, reporting?: string): LintSnapshot {
    if (this.disposed) return snapshot;
    const work = this.ctx.project.linter.lastRun;
    // A pass over much of the workspace (the first one, a changed kustomization or setting) leaves a grown heap behind.
    if (work.full || work.unitsRun + work.fileRuns > 1000) afterLargePass(this.ctx.project.index);
    if (snapshot === this.lastSnapshot) {
      if (this.lastState !== (this.ctx.indexing ? 'indexing' : 'ready')) this.sendStatus(snapshot);
      return snapshot;
    }
    this.lastSnapshot = snapshot;
    const changed = this.pullMode ? this.updatePull(snapshot) : this.publish(snapshot);
    this.lintPass++;
    this.ctx.log.verbose(() => `opex: lint pass ${this.lintPass} in ${Date.now() - started} ms, ${changed.size} file(s) changed`);
    if (this.pullMode && [...changed].some((f) => f !== reporting)) this.requestRefresh();
    this.sendStatus(snapshot);
    for (const l of this.listeners) {
      try {
        l(changed);
      } catch (err) {
        this.ctx.log.error('opex: a diagnostics listener failed', err);
      }
    }
    return snapshot;
  }

  private lspList(list: readonly Diagnostic[]): LspDiagnostic[] {
    return list.map((d) => toLspDiagnostic(this.ctx, d));
  }

  /** Push: publish every file whose list differs from what the client has (new files only when not empty). */
  private publish(snapshot: LintSnapshot): Set<string> {
    const changed = new Set<string>();
    for (const [file, list] of snapshot.byFile) {
      const before = this.reported.get(file);
      if (before?.source === list || (!before && list.length === 0)) continue;
      const items = this.lspList(list);
      if (before && sameDiagnostics(before.items, items)) {
        before.source = list;
        continue;
      }
      if (!before && items.length === 0) continue;
      this.reported.set(file, { resultId: '', items, source: list });
      this.ctx.connection.sendDiagnostics({ uri: this.ctx.project.uriOf(file), diagnostics: items, version: this.ctx.documents.get(this.ctx.project.uriOf(file))?.version });
      changed.add(file);
    }
    for (const [file, before] of this.reported) {
      if (snapshot.byFile.has(file)) continue;
      this.reported.delete(file);
      if (before.items.length === 0) continue;
      this.ctx.connection.sendDiagnostics({ uri: this.ctx.project.uriOf(file), diagnostics: [] });
      changed.add(file);
    }
    return changed;
  }

  /** Pull: new result ids for the files whose diagnostics changed. */
  private updatePull(snapshot: LintSnapshot): Set<string> {
    const changed = new Set<string>();
    for (const [file, list] of snapshot.byFile) {
      const before = this.reported.get(file);
      if (before?.source === list) continue;
      const items = this.lspList(list);
      if (before && sameDiagnostics(before.items, items)) {
        before.source = list;
        continue;
      }
      this.reported.set(file, { resultId: String(this.nextResultId++), items, source: list });
      if (before || items.length > 0) changed.add(file);
    }
    for (const [file, before] of this.reported) {
      if (snapshot.byFile.has(file)) continue;
      this.reported.delete(file);
      if (before.items.length > 0) changed.add(file);
    }
    return changed;
  }

  private requestRefresh(): void {
    if (!this.ctx.features.diagnosticRefresh || this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      this.ctx.connection.languages.diagnostics.refresh();
    });
  }

  /** `textDocument/diagnostic`. */
  async pullDocument(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    await this.ctx.ready;
    await yieldToLoop();
    throwIfCancelled(token);
    const file = uriToPath(params.textDocument.uri);
    const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (!file) return empty;
    await this.lintSoon(file);
    throwIfCancelled(token);
    const rep = this.reported.get(file);
    if (!rep) return empty;
    if (params.previousResultId === rep.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: rep.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: rep.resultId, items: rep.items };
  }

  /** `workspace/diagnostic`: every file; those the client has at the same result id as unchanged. */
  async pullWorkspace(params: WorkspaceDiagnosticParams, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    await this.ctx.ready;
    await yieldToLoop();
    throwIfCancelled(token);
    await this.lintSoon();
    throwIfCancelled(token);
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [file, rep] of this.reported) {
      const uri = this.ctx.project.uriOf(file);
      const version = this.ctx.documents.get(uri)?.version ?? null;
      if (previous.get(uri) === rep.resultId) items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId: rep.resultId });
      else items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version, resultId: rep.resultId, items: rep.items });
    }
    return { items };
  }

  /** Totals of a snapshot, for the status bar and `opex/lintWorkspace`. */
  totals(snapshot: LintSnapshot): LintWorkspaceResult {
    const result: LintWorkspaceResult = { files: snapshot.byFile.size, filesWithProblems: 0, errors: 0, warnings: 0, infos: 0, specs: this.ctx.project.specs.all().map((s) => s.file) };
    for (const list of snapshot.byFile.values()) {
      if (list.length > 0) result.filesWithProblems++;
      for (const d of list) {
        if (d.severity === 'error') result.errors++;
        else if (d.severity === 'warning') result.warnings++;
        else result.infos++;
      }
    }
    return result;
  }

  sendStatus(snapshot?: LintSnapshot): void {
    const t = snapshot ? this.totals(snapshot) : undefined;
    this.lastState = this.ctx.indexing ? 'indexing' : 'ready';
    this.ctx.connection.sendNotification(StatusNotification, {
      state: this.lastState,
      files: t?.files ?? this.ctx.project.index.fileCount,
      errors: t?.errors ?? 0,
      warnings: t?.warnings ?? 0,
      infos: t?.infos ?? 0,
      specs: this.ctx.project.statusSpecs(),
      lintPass: this.lintPass,
    });
  }
}

export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}
