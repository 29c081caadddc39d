/**
 * Live checks in VS Code: the side panel's controller and the commands "opex: Verify against cluster",
 * "opex: Verify one criterion…", "opex: Verify against cluster, including disruptive checks…", cancel and export.
 * The language server runs the checks (`opex/verify`); this side picks the spec and context, asks before anything
 * disruptive (a modal naming the namespaces), shows progress, keeps the panel's state and writes exported reports.
 * Off in untrusted workspaces: the server is told (and refuses on its own too), the panel explains.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import {
  ContextsRequest,
  FormatReportRequest,
  SpecForRequest,
  VerifyEventProgress,
  VerifyPlanRequest,
  VerifyRequest,
  WorkspaceTrustNotification,
  type VerifyLink,
  type VerifyParams,
  type VerifyPlanCriterion,
  type VerifyPlanResult,
  type VerifyReport,
  type VerifyReportFormat,
  type VerifyResult,
} from '../server/protocol';
import type { ServerHandle } from './extension';
import type { CriterionId, PageMessage, PanelNotice, PanelSpec, PanelState } from './panel/messages';
import { applyEvent, applyReport, disruptiveQuestion, emptyState, mergePlan, progressOf, summaryOf } from './panel/model';
import { VERIFY_COMMANDS, reportFileName, verifySummaryMessage } from './panel/text';
import { VIEW_ID, VerifyViewProvider } from './panel/view';
import type { Relative } from './text';

export { VERIFY_COMMANDS } from './panel/text';

interface RunRequest {
  disruptive: boolean;
  only: CriterionId[] | null;
  /** Started from the command palette: progress as a notification, a summary message at the end. */
  fromCommand: boolean;
}

const UNTRUSTED = 'opex: live checks are off in Restricted Mode; they use your kubeconfig and act on the cluster the workspace\'s spec names. Trust the workspace to run them.';

export class LiveChecks implements vscode.Disposable {
  private current: PanelState = emptyState(vscode.workspace.isTrusted);
  private plan: VerifyPlanResult | undefined;
  /** The links behind each row's links, in the same order (the page refers to them by index). */
  private readonly links = new Map<string, VerifyLink[]>();
  private report: VerifyReport | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private chosenSpec: string | undefined;
  private refreshing: Promise<void> | undefined;
  private stale = true;
  private readonly changed = new vscode.EventEmitter<PanelState>();
  private readonly revealed = new vscode.EventEmitter<CriterionId>();
  readonly onDidChange = this.changed.event;
  readonly onDidReveal = this.revealed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly server: ServerHandle,
    private readonly output: vscode.OutputChannel,
    private readonly rel: Relative,
    private readonly memento: vscode.Memento,
  ) {
    this.disposables.push(
      this.changed,
      this.revealed,
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.trustGranted()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (/(^|[\\/])(opex\.ya?ml|[^\\/]*opex-spec\.md)$/i.test(doc.uri.fsPath)) this.markStale();
      }),
    );
  }

  get state(): PanelState {
    return this.current;
  }

  private set(patch: Partial<PanelState>): void {
    this.current = { ...this.current, ...patch };
    this.changed.fire(this.current);
  }

  private markStale(): void {
    this.stale = true;
    void this.refresh();
  }

  /** The panel became visible: load contexts and the plan the first time, or again when something changed. */
  visible(): void {
    if (this.stale) void this.refresh();
  }

  private async trustGranted(): Promise<void> {
    try {
      const client = await this.server.running();
      await client.sendNotification(WorkspaceTrustNotification, { trusted: true });
    } catch (err) {
      this.log('telling the server the workspace is trusted', err);
    }
    this.set({ trusted: true, notice: null });
    this.stale = true;
    await this.refresh();
  }

  private log(what: string, err: unknown): void {
    this.output.appendLine(`[opex live checks] ${what}: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
  }

  private specParam(): { spec?: string } {
    return this.chosenSpec ? { spec: vscode.Uri.file(this.chosenSpec).toString() } : {};
  }

  /** Contexts and the plan (criteria, targets, spec lines, what the disruptive checks touch). */
  refresh(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.set({ ...emptyState(false) });
      return Promise.resolve();
    }
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.load()
      .catch((err: unknown) => {
        // A server that failed or restarted mid-request: say so in the panel; the next refresh tries again.
        this.stale = true;
        this.log('loading contexts and the plan', err);
        this.set({ notice: { kind: 'error', text: `opex could not load the contexts and the spec: ${err instanceof Error ? err.message : String(err)}`, action: 'refresh' } });
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    this.stale = false;
    let client: LanguageClient;
    try {
      client = await this.server.running();
    } catch (err) {
      this.set({ notice: { kind: 'error', text: `The opex language server is not running: ${(err as Error).message ?? err}`, action: 'output' } });
      return;
    }
    const [contexts, plan] = await Promise.all([client.sendRequest(ContextsRequest), this.loadPlan(client)]);
    let notice: PanelNotice | null = null;
    if (contexts.refused === 'untrusted' || plan.refused === 'untrusted') {
      this.set({ ...emptyState(false) });
      return;
    }
    const names = contexts.contexts.map((c) => c.name);
    const remembered = this.memento.get<string>('opex.verify.context');
    const context = this.current.context && names.includes(this.current.context) ? this.current.context : remembered && names.includes(remembered) ? remembered : contexts.current ?? names[0] ?? null;
    if (contexts.problem) notice = { kind: 'error', text: contexts.problem, action: 'refresh' };
    if (plan.problem && plan.refused !== 'several-specs') notice = { kind: plan.refused === 'no-spec' ? 'info' : 'error', text: plan.problem, action: plan.refused === 'no-spec' ? 'createSpec' : 'output' };
    this.plan = plan;
    const rows = mergePlan(this.current.rows, plan.criteria);
    for (const c of plan.criteria) {
      const row = rows.find((r) => r.id === c.id);
      const kept = this.current.rows.find((r) => r.id === c.id);
      if (row && kept && row.links === kept.links && this.links.has(c.id)) continue; // a result's links stay
      this.links.set(c.id, c.links);
    }
    this.set({
      trusted: true,
      spec: plan.spec ? this.panelSpec(plan.spec.file, plan.spec.service) : null,
      specs: plan.specs.length ? plan.specs.map((s) => this.panelSpec(s.file, s.service)) : plan.spec ? [this.panelSpec(plan.spec.file, plan.spec.service)] : [],
      contexts: contexts.contexts.map((c) => ({ name: c.name, server: c.server ?? '', current: c.current })),
      context,
      notice,
      warnings: plan.warnings,
      rows,
      disruptiveNamespaces: plan.disruptive.namespaces,
    });
  }

  private panelSpec(file: string, service: string): PanelSpec {
    return { file, label: this.rel(file) || file, service };
  }

  /** The plan of the chosen spec; with several specs and none chosen, the active editor's spec or the first. */
  private async loadPlan(client: LanguageClient): Promise<VerifyPlanResult> {
    let plan = await client.sendRequest(VerifyPlanRequest, this.specParam());
    if (plan.refused === 'several-specs' && plan.specs.length) {
      const all = plan.specs;
      this.chosenSpec = (await this.activeSpec(client, all.map((s) => s.file))) ?? all[0].file;
      plan = await client.sendRequest(VerifyPlanRequest, this.specParam());
      plan = { ...plan, specs: all };
    } else if (plan.refused === 'no-spec' && this.chosenSpec) {
      this.chosenSpec = undefined; // the chosen spec is gone
      plan = await client.sendRequest(VerifyPlanRequest, {});
    }
    return plan;
  }

  private async activeSpec(client: LanguageClient, among: string[]): Promise<string | undefined> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') return undefined;
    try {
      const { spec } = await client.sendRequest(SpecForRequest, { uri: doc.uri.toString() });
      return spec && among.includes(spec.file) ? spec.file : undefined;
    } catch {
      return undefined;
    }
  }

  // ---- messages from the page ---------------------------------------------------------------------------

  async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'run':
        await this.run({ disruptive: message.disruptive, only: message.only, fromCommand: false });
        return;
      case 'cancel':
        this.cancel();
        return;
      case 'context':
        if (!this.current.contexts.some((c) => c.name === message.name)) throw new Error(`no context ${message.name} in the kubeconfig`);
        if (this.current.busy) return;
        await this.memento.update('opex.verify.context', message.name);
        this.set({ context: message.name });
        return;
      case 'spec':
        if (!this.current.specs.some((s) => s.file === message.file)) throw new Error('not a spec of this workspace');
        if (this.current.busy || message.file === this.current.spec?.file) return;
        this.chosenSpec = message.file;
        this.links.clear();
        this.report = undefined;
        this.current = { ...this.current, rows: [], summary: null, canExport: false };
        this.stale = true;
        await this.refresh();
        return;
      case 'refresh':
        this.stale = true;
        await this.refresh();
        return;
      case 'open':
        await this.openLink(message.id, message.link);
        return;
      case 'export':
        await this.exportReport();
        return;
      case 'action':
        if (message.action === 'trust') await vscode.commands.executeCommand('workbench.trust.manage');
        else if (message.action === 'createSpec') await vscode.commands.executeCommand('opex.createSpec');
        else if (message.action === 'output') this.output.show(true);
        else {
          this.stale = true;
          await this.refresh();
        }
        return;
    }
  }

  private async openLink(id: CriterionId, index: number): Promise<void> {
    const link = this.links.get(id)?.[index];
    const shown = this.current.rows.find((r) => r.id === id)?.links[index];
    // The page names a link by row and index; it must be one this side listed, with the label the page showed.
    if (!link || !shown || shown.label !== link.label) throw new Error(`no link ${index} for ${id}`);
    const uri = vscode.Uri.parse(link.uri);
    if (uri.scheme !== 'file') throw new Error(`not a file: ${link.uri}`);
    const r = link.range;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    await vscode.window.showTextDocument(uri, { selection: range, preview: true });
  }

  // ---- runs -----------------------------------------------------------------------------------------------

  private criteriaOf(only: CriterionId[] | null): VerifyPlanCriterion[] {
    const all = this.plan?.criteria ?? [];
    return only ? all.filter((c) => only.includes(c.id as CriterionId)) : all;
  }

  /** Runs the checks; resolves with the report (undefined when nothing ran). */
  async run(request: RunRequest): Promise<VerifyReport | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED, 'Manage Workspace Trust').then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    if (this.running) {
      void vscode.window.showInformationMessage('opex: a verification is already running.', 'Cancel It').then((c) => c && this.cancel());
      return undefined;
    }
    if (this.stale || !this.plan) await this.refresh();
    const state = this.current;
    if (!state.spec) {
      const problem = state.notice?.text ?? 'This workspace has no opex spec.';
      void vscode.window.showWarningMessage(`opex: ${problem}`, 'Create opex spec').then((c) => c && vscode.commands.executeCommand('opex.createSpec'));
      return undefined;
    }
    if (!state.context) {
      void vscode.window.showWarningMessage(`opex: no Kubernetes context to verify against. ${state.notice?.text ?? 'Check your kubeconfig (KUBECONFIG or ~/.kube/config).'}`);
      return undefined;
    }
    const criteria = this.criteriaOf(request.only);
    const disruptive = request.disruptive && criteria.some((c) => c.disruptive && !c.skip);
    if (disruptive) {
      const touches = criteria.filter((c) => c.disruptive && c.touches).map((c) => c.touches!);
      const q = disruptiveQuestion(state.spec.service, state.context, { namespaces: [...new Set(touches.flatMap((t) => t.namespaces))], actions: touches.map((t) => t.action) });
      const answer = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, 'Run disruptive checks');
      if (answer !== 'Run disruptive checks') return undefined;
    }
    const client = await this.server.running();
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    void vscode.commands.executeCommand('setContext', 'opex.verifying', true);
    const workDoneToken = `opex-verify-${randomUUID()}`;
    const eventToken = `opex-verify-events-${randomUUID()}`;
    this.set({ busy: true, runningDisruptive: disruptive, progress: null, notice: null });
    const subscriptions: vscode.Disposable[] = [
      client.onProgress(VerifyEventProgress, eventToken, (event) => {
        if (event.kind === 'check-end') this.links.set(event.id, event.links);
        this.set({ rows: applyEvent(this.current.rows, event), progress: progressOf(event, this.current.progress) });
      }),
    ];
    const location = request.fromCommand ? vscode.ProgressLocation.Notification : { viewId: VIEW_ID };
    try {
      const result = await vscode.window.withProgress(
        { location, title: `opex: verifying ${state.spec.service} against ${state.context}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => cts.cancel());
          let reported = 0;
          subscriptions.push(
            client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
              if (value.kind === 'end') return;
              const pct = typeof value.percentage === 'number' ? value.percentage : reported;
              progress.report({ message: value.message, increment: Math.max(0, pct - reported) });
              reported = Math.max(reported, pct);
            }),
          );
          return client.sendRequest(
            VerifyRequest,
            { spec: vscode.Uri.file(state.spec!.file).toString(), context: state.context!, only: (request.only ?? undefined) as VerifyParams['only'], allowDisruptive: disruptive, workDoneToken, eventToken },
            cts.token,
          );
        },
      );
      this.finish(result, request);
      return result.report ?? undefined;
    } catch (err) {
      this.log('opex/verify', err);
      this.set({ busy: false, runningDisruptive: false, progress: null, rows: this.current.rows.map((r) => (r.status === 'RUNNING' ? { ...r, status: 'PENDING', step: '' } : r)), notice: { kind: 'error', text: `The checks did not finish: ${(err as Error).message ?? err}`, action: 'output' } });
      throw err;
    } finally {
      for (const s of subscriptions) s.dispose();
      cts.dispose();
      this.running = undefined;
      void vscode.commands.executeCommand('setContext', 'opex.verifying', false);
    }
  }

  private finish(result: VerifyResult, request: RunRequest): void {
    const done = { busy: false, runningDisruptive: false, progress: null };
    if (!result.report) {
      const notice: PanelNotice = { kind: result.refused === 'no-spec' ? 'info' : 'error', text: result.problem ?? 'The checks did not run.', action: result.refused === 'untrusted' ? 'trust' : result.refused === 'config' ? 'refresh' : result.refused === 'no-spec' ? 'createSpec' : null };
      this.set({ ...done, notice, rows: this.current.rows.map((r) => (r.status === 'RUNNING' ? { ...r, status: 'PENDING', step: '' } : r)) });
      if (request.fromCommand) void vscode.window.showWarningMessage(`opex: ${notice.text}`);
      return;
    }
    const report = result.report;
    this.report = report;
    for (const r of report.results) this.links.set(r.id, result.links[r.id] ?? []);
    this.set({ ...done, rows: applyReport(this.current.rows, report, result.links), summary: summaryOf(report), warnings: result.warnings, canExport: true });
    void vscode.commands.executeCommand('setContext', 'opex.hasVerifyReport', true);
    if (request.fromCommand) {
      const failed = report.summary.fail + report.summary.error > 0;
      const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(verifySummaryMessage(report), 'Show Results', 'Export Report…').then((choice) => {
        if (choice === 'Show Results') void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
        if (choice === 'Export Report…') void this.exportReport();
      });
    }
    if (request.only?.length === 1) this.revealed.fire(request.only[0]);
  }

  cancel(): void {
    this.running?.cancel();
  }

  // ---- export ---------------------------------------------------------------------------------------------

  async exportReport(): Promise<vscode.Uri | undefined> {
    const report = this.report;
    if (!report) {
      void vscode.window.showInformationMessage('opex: run the checks first; there is no report to export yet.');
      return undefined;
    }
    const formats: Array<vscode.QuickPickItem & { format: VerifyReportFormat; ext: string; filter: string }> = [
      { label: 'Markdown', description: '.md', detail: 'The verification table, for a pull request or a wiki', format: 'markdown', ext: 'md', filter: 'Markdown' },
      { label: 'JSON', description: '.json', detail: 'Every result with its data, as opex verify --format json prints it', format: 'json', ext: 'json', filter: 'JSON' },
      { label: 'JUnit XML', description: '.xml', detail: 'One test case per criterion, for CI test reports', format: 'junit', ext: 'xml', filter: 'JUnit XML' },
    ];
    const pick = await vscode.window.showQuickPick(formats, { title: 'opex: Export verification report', placeHolder: 'Format' });
    if (!pick) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = reportFileName(report, pick.ext);
    const target = await vscode.window.showSaveDialog({
      title: 'Export verification report',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [pick.filter]: [pick.ext] },
      saveLabel: 'Export',
    });
    if (!target) return undefined;
    const client = await this.server.running();
    const { text } = await client.sendRequest(FormatReportRequest, { report, format: pick.format });
    if (!text) throw new Error('the server could not format the report (see the opex output)');
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    void vscode.window.showInformationMessage(`opex: report written to ${this.rel(target.fsPath) || target.fsPath}.`, 'Open').then((c) => c && vscode.window.showTextDocument(target));
    return target;
  }

  // ---- commands -------------------------------------------------------------------------------------------

  async pickCriterion(): Promise<CriterionId | undefined> {
    if (this.stale || !this.plan) await this.refresh();
    const criteria = this.plan?.criteria ?? [];
    if (!criteria.length) {
      void vscode.window.showWarningMessage(`opex: ${this.current.notice?.text ?? 'no criteria to verify: the workspace has no opex spec.'}`);
      return undefined;
    }
    const rows = this.current.rows;
    const items = criteria.map((c) => {
      const row = rows.find((r) => r.id === c.id);
      const status = row && row.status !== 'PENDING' && row.status !== 'RUNNING' ? ` — last: ${row.status}` : '';
      return {
        label: `${c.id} ${c.title}`,
        description: `${c.target ? `target ${c.target}` : c.skip ?? ''}${c.disruptive ? ' $(warning) changes the cluster' : ''}${status}`,
        detail: c.criterion,
        id: c.id as CriterionId,
      };
    });
    const pick = await vscode.window.showQuickPick(items, { title: 'opex: Verify one criterion', placeHolder: 'Which success criterion?', matchOnDescription: true, matchOnDetail: true });
    return pick?.id;
  }

  dispose(): void {
    this.running?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

/** Registers the panel and the live-check commands; extension.ts calls this once. */
export function registerVerify(context: vscode.ExtensionContext, handle: ServerHandle, output: vscode.OutputChannel, rel: Relative): vscode.Disposable[] {
  const checks = new LiveChecks(handle, output, rel, context.workspaceState);
  const provider = new VerifyViewProvider(context.extensionUri, checks, output);
  const focusPanel = () => vscode.commands.executeCommand(`${VIEW_ID}.focus`).then(undefined, () => undefined);
  const command = (name: string, fn: () => Promise<unknown>) =>
    vscode.commands.registerCommand(name, async () => {
      try {
        return await fn();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        output.appendLine(`[${name}] ${err instanceof Error && err.stack ? err.stack : message}`);
        void vscode.window.showErrorMessage(`opex: ${message}`, 'Show Output').then((c) => c && output.show(true));
        return undefined;
      }
    });
  void vscode.commands.executeCommand('setContext', 'opex.verifying', false);
  return [
    checks,
    provider,
    vscode.window.registerWebviewViewProvider(VIEW_ID, provider),
    command(VERIFY_COMMANDS.verify, async () => {
      await focusPanel();
      return checks.run({ disruptive: false, only: null, fromCommand: true });
    }),
    command(VERIFY_COMMANDS.verifyDisruptive, async () => {
      await focusPanel();
      return checks.run({ disruptive: true, only: null, fromCommand: true });
    }),
    command(VERIFY_COMMANDS.verifyOne, async () => {
      if (!vscode.workspace.isTrusted) return checks.run({ disruptive: false, only: null, fromCommand: true }); // explains
      const id = await checks.pickCriterion();
      if (!id) return undefined;
      await focusPanel();
      const disruptive = checks.state.rows.find((r) => r.id === id)?.disruptive ?? false;
      return checks.run({ disruptive, only: [id], fromCommand: true });
    }),
    command(VERIFY_COMMANDS.cancel, async () => checks.cancel()),
    command(VERIFY_COMMANDS.exportReport, () => checks.exportReport()),
    command(VERIFY_COMMANDS.refresh, () => checks.handle({ type: 'refresh' })),
  ];
}

/** `initializationOptions` the live checks need: whether the workspace is trusted (read at every server start). */
export function verifyInitializationOptions(): { workspaceTrusted: boolean } {
  return { workspaceTrusted: vscode.workspace.isTrusted };
}
