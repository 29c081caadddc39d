/**
 * Live checks in the editor: `opex/verify` runs the spec's checks against a cluster with work-done progress per
 * check ("SC-004 Velero schedule… 4/10") and a typed event stream (`eventToken`) the side panel fills its rows from;
 * `opex/verifyPlan` lists what a run covers and what the disruptive checks would touch; `opex/contexts` lists the
 * kubeconfig's contexts (names and servers, never credentials); `opex/formatReport` renders a report for export.
 *
 * Safety: nothing runs unless the client said the workspace is trusted (initialization option
 * `workspaceTrusted`, or `opex/workspaceTrust`), one run at a time, disruptive checks only with
 * `allowDisruptive`. Cancelling the request (or its progress) aborts the run; the answer is sent once the
 * cleanup of what disruptive checks created is done, and shutting the server down cancels and waits the same way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { CRITERIA } from '../engine/spec/criteria';
import type { LoadedSpec } from '../engine/spec/types';
import { SC_IDS, type CriterionId, type Range } from '../engine/types';
import { CHECKS } from '../live/checks';
import { LiveError } from '../live/errors';
import { listContexts } from '../live/kube';
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../live/report';
import { criteriaToRun, runChecks } from '../live/run';
import { resolveSettings } from '../live/settings';
import type { CheckResult, LiveSettings, ObjectRef, ProgressEvent, VerifyReport } from '../live/types';
import {
  ContextsRequest,
  FormatReportRequest,
  VerifyEventProgress,
  VerifyPlanRequest,
  VerifyRequest,
  WorkspaceTrustNotification,
  type ContextsResult,
  type OpexInitializationOptions,
  type StatusSpec,
  type VerifyAnswer,
  type VerifyEvent,
  type VerifyLink,
  type VerifyParams,
  type VerifyPlanCriterion,
  type VerifyPlanResult,
  type VerifyResult,
} from '../protocol';
import type { ServerContext } from './context';
import { guard, guardVoid } from './log';
import { uriToPath } from './project';

export const UNTRUSTED_MESSAGE =
  'Live checks are off in Restricted Mode: they use your kubeconfig and act on the cluster and namespaces the workspace\'s spec names. Trust the workspace to run them.';

export interface VerifyService {
  /** Reads `workspaceTrusted` from the initialization options (called from `initialize`). */
  initialize(init: OpexInitializationOptions): void;
  /** Cancels a run in progress and waits (bounded) until its cleanup is done. */
  dispose(): Promise<void>;
}

interface ActiveRun {
  controller: AbortController;
  done: Promise<unknown>;
}

export function registerVerify(ctx: ServerContext): VerifyService {
  const { connection, log } = ctx;
  let trusted = false;
  let active: ActiveRun | undefined;

  const refusedAnswer = (): VerifyAnswer => ({ spec: null, specs: [], refused: 'untrusted', problem: UNTRUSTED_MESSAGE, warnings: [] });

  connection.onNotification(
    WorkspaceTrustNotification,
    guardVoid(log, 'opex/workspaceTrust', (p) => {
      trusted = p?.trusted === true;
      log.verbose(() => `opex: workspace ${trusted ? 'trusted' : 'not trusted'}: live checks ${trusted ? 'on' : 'off'}`);
    }),
  );

  connection.onRequest(
    ContextsRequest,
    guard(log, 'opex/contexts', { contexts: [], current: null, source: '', refused: 'config', problem: 'opex could not read the kubeconfig; see the opex output.' } as ContextsResult, async () => {
      if (!trusted) return { contexts: [], current: null, source: '', refused: 'untrusted', problem: UNTRUSTED_MESSAGE };
      return contexts();
    }),
  );

  connection.onRequest(
    VerifyPlanRequest,
    guard(log, 'opex/verifyPlan', { ...emptyAnswer(), criteria: [], disruptive: { namespaces: [], actions: [] }, problem: 'opex could not plan the checks; see the opex output.' } as VerifyPlanResult, async (params) => {
      if (!trusted) return { ...refusedAnswer(), criteria: [], disruptive: { namespaces: [], actions: [] } };
      await ctx.ready;
      const chosen = chooseSpec(ctx, params?.spec);
      if (!chosen.loaded) return { ...chosen.answer, criteria: [], disruptive: { namespaces: [], actions: [] } };
      return plan(ctx, chosen.loaded, chosen.answer);
    }),
  );

  connection.onRequest(
    VerifyRequest,
    guard(log, 'opex/verify', { ...emptyAnswer(), report: null, links: {}, problem: 'opex could not run the checks; see the opex output.' } as VerifyResult, async (params, token) => {
      if (!trusted) return { ...refusedAnswer(), report: null, links: {} };
      if (active) return { ...emptyAnswer(), refused: 'busy', problem: 'A verification is already running; wait for it or cancel it first.', report: null, links: {} };
      const controller = new AbortController();
      let finish!: () => void;
      active = { controller, done: new Promise<void>((r) => (finish = r)) };
      try {
        return await verify(ctx, params ?? {}, token, controller);
      } finally {
        active = undefined;
        finish();
      }
    }),
  );

  connection.onRequest(
    FormatReportRequest,
    guard(log, 'opex/formatReport', { text: '' }, (params) => {
      const format = params?.format as ReportFormat;
      if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new Error(`unknown report format ${String(params?.format)}`);
      if (!isReport(params?.report)) throw new Error('not a verification report');
      return { text: formatReport(params.report, format) };
    }),
  );

  return {
    initialize(init) {
      trusted = init?.workspaceTrusted === true;
    },
    async dispose() {
      const run = active;
      if (!run) return;
      run.controller.abort();
      // The run's cleanup has its own timeout (live.timeouts.cleanup); do not wait forever for a cluster that went away.
      await Promise.race([run.done, new Promise((r) => setTimeout(r, 60_000).unref())]);
    },
  };
}

function emptyAnswer(): VerifyAnswer {
  return { spec: null, specs: [], warnings: [] };
}

const statusOf = (s: LoadedSpec): StatusSpec => ({ file: s.file, service: s.spec.service, format: s.format });

/** The spec a request is about: a spec file, the spec governing a file or folder, or the workspace's only spec. */
export function chooseSpec(ctx: ServerContext, uri: string | undefined): { loaded?: LoadedSpec; answer: VerifyAnswer } {
  const { project } = ctx;
  project.flush();
  const answer = emptyAnswer();
  if (uri) {
    const file = uriToPath(uri);
    if (!file) return { answer: { ...answer, refused: 'no-spec', problem: `${uri} is not a file on disk.` } };
    let loaded = project.specAt(file);
    if (!loaded) {
      let isDir = false;
      try {
        isDir = fs.statSync(file).isDirectory();
      } catch {
        // a file that is not on disk (yet) is governed like any other
      }
      loaded = project.specFor(isDir ? path.join(file, '.opex-probe') : file);
    }
    if (!loaded) return { answer: { ...answer, refused: 'no-spec', problem: `No opex spec governs ${project.relative(file) || file}. Run "opex: Create opex spec" first.` } };
    return { loaded, answer: withWarnings(ctx, loaded, { ...answer, spec: statusOf(loaded) }) };
  }
  const all = project.specs.all();
  if (all.length === 0) return { answer: { ...answer, refused: 'no-spec', problem: 'This workspace has no opex spec. Run "opex: Create opex spec" first.' } };
  if (all.length > 1) {
    return { answer: { ...answer, refused: 'several-specs', problem: 'This workspace has several opex specs; choose one.', specs: all.map(statusOf).sort((a, b) => a.file.localeCompare(b.file)) } };
  }
  return { loaded: all[0], answer: withWarnings(ctx, all[0], { ...answer, spec: statusOf(all[0]) }) };
}

function withWarnings(ctx: ServerContext, loaded: LoadedSpec, answer: VerifyAnswer): VerifyAnswer {
  const rel = ctx.project.relative(loaded.file) || path.basename(loaded.file);
  const warnings = loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${rel}:${d.range.start.line + 1}: ${d.message}`);
  const { problems } = resolveSettings(loaded, undefined, ctx.project.textOf(loaded.file));
  warnings.push(...problems.map((p) => `${rel}: ${p}`));
  return { ...answer, warnings };
}

async function contexts(): Promise<ContextsResult> {
  const source = process.env.KUBECONFIG ? `KUBECONFIG (${process.env.KUBECONFIG})` : path.join('~', '.kube', 'config');
  try {
    const list = await listContexts();
    // Names, cluster names and server addresses only: users, tokens and certificates never leave the server.
    const contexts = list.map((c) => ({ name: c.name, cluster: c.cluster, ...(c.server ? { server: c.server } : {}), ...(c.namespace ? { namespace: c.namespace } : {}), current: c.current }));
    const current = contexts.find((c) => c.current)?.name ?? null;
    if (contexts.length === 0) return { contexts, current, source, refused: 'config', problem: `The kubeconfig (${source}) has no contexts.` };
    return { contexts, current, source };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { contexts: [], current: null, source, refused: 'config', problem: message.replace(os.homedir(), '~') };
  }
}

// ---- links ------------------------------------------------------------------------------------------------

function specLinks(ctx: ServerContext, loaded: LoadedSpec, id: CriterionId): VerifyLink[] {
  const links: VerifyLink[] = [];
  const uri = ctx.project.uriOf(loaded.file);
  const rel = ctx.project.relative(loaded.file) || path.basename(loaded.file);
  const name = path.basename(loaded.file);
  const seen = new Set<number>();
  const add = (range: Range | undefined, what: string) => {
    if (!range || seen.has(range.start.line)) return;
    seen.add(range.start.line);
    links.push({ kind: 'spec', label: `${name}:${range.start.line + 1}`, description: `${what} (${rel}:${range.start.line + 1})`, uri, range });
  };
  // An opex.yaml without a `criteria:` entry implies the criterion from its fields; its "location" is then the
  // `service:` line, which says nothing: link the fields instead.
  const stated = loaded.locations[`criteria.${id}`];
  const implied = loaded.format === 'yaml' && stated && loaded.locations.service && stated.start.line === loaded.locations.service.start.line;
  if (!implied) add(stated, id);
  for (const field of CHECKS[id].specFields) add(loaded.locations[field], field);
  return links;
}

function manifestLinks(ctx: ServerContext, objects: ObjectRef[]): VerifyLink[] {
  const links: VerifyLink[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const res = ctx.project.index.find(o.kind, o.namespace ?? '', o.name) ?? (o.namespace ? undefined : ctx.project.index.byKind(o.kind).find((r) => r.name === o.name));
    if (!res) continue;
    const key = `${res.file}#${res.docIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const range = res.rangeOf(['metadata', 'name']);
    const rel = ctx.project.relative(res.file) || path.basename(res.file);
    links.push({
      kind: 'manifest',
      label: `${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name}`,
      description: `${rel}:${range.start.line + 1}`,
      uri: ctx.project.uriOf(res.file),
      range,
    });
  }
  return links;
}

function linksOf(ctx: ServerContext, loaded: LoadedSpec, result: CheckResult): VerifyLink[] {
  return [...specLinks(ctx, loaded, result.id), ...manifestLinks(ctx, result.objects)];
}

// ---- plan -----------------------------------------------------------------------------------------------

/** The namespaces and actions the disruptive checks of a spec would touch, as the confirmation names them. */
/** What one disruptive check would change: the namespaces it writes to and a sentence for the confirmation. */
export function touchesOf(loaded: LoadedSpec, settings: LiveSettings, id: CriterionId, podChaosNamespace?: string): { namespaces: string[]; action: string } | undefined {
  const spec = loaded.spec;
  if (id === 'SC-007') {
    const scratch = settings.restoreNamespace ?? `opex-restore-${spec.service.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-<time>`;
    return {
      namespaces: [scratch, settings.velero.namespace],
      action: `SC-007 creates the scratch namespace ${scratch}, restores the newest backup of ${spec.namespace} into it with a Velero Restore in ${settings.velero.namespace}, then deletes both.`,
    };
  }
  if (id === 'SC-008') {
    const ns = settings.chaosNamespace ?? spec.constraints.chaosNamespaces[0];
    if (!ns) return { namespaces: [], action: 'SC-008 will refuse to run: the spec names no chaos namespace (constraints.chaosNamespaces).' };
    if (settings.podKill.method === 'podchaos') {
      const chaosNs = podChaosNamespace ?? ns;
      return {
        namespaces: [...new Set([ns, chaosNs])],
        action: `SC-008 creates a copy of the workspace's PodChaos in ${chaosNs} that kills one pod of ${spec.service} in ${ns}, waits for full readiness, then deletes the copy.`,
      };
    }
    return { namespaces: [ns], action: `SC-008 deletes one Ready pod of ${spec.service} in ${ns} and waits until the workload is back at full readiness.` };
  }
  return undefined;
}

/** The namespaces and actions of every disruptive check a run of `ids` includes. */
export function disruptivePlan(loaded: LoadedSpec, settings: LiveSettings, ids: CriterionId[], podChaosNamespace?: string): VerifyPlanResult['disruptive'] {
  const spec = loaded.spec;
  const stated = new Set(spec.criteria.map((c) => c.id));
  const touches = ids
    .filter((id) => CHECKS[id].disruptive && stated.has(id) && !CHECKS[id].notApplicable(spec))
    .map((id) => touchesOf(loaded, settings, id, podChaosNamespace))
    .filter((t): t is NonNullable<typeof t> => !!t);
  return { namespaces: [...new Set(touches.flatMap((t) => t.namespaces))], actions: touches.map((t) => t.action) };
}

function plan(ctx: ServerContext, loaded: LoadedSpec, answer: VerifyAnswer): VerifyPlanResult {
  const spec = loaded.spec;
  const { settings } = resolveSettings(loaded, undefined, ctx.project.textOf(loaded.file));
  const ids = criteriaToRun({ spec: loaded });
  const podChaos = settings.podKill.method === 'podchaos' ? (findPodChaos(ctx, loaded, settings.chaosNamespace) as any) : undefined;
  const podChaosNamespace = typeof podChaos?.metadata?.namespace === 'string' ? (podChaos.metadata.namespace as string) : undefined;
  const criteria: VerifyPlanCriterion[] = ids.map((id) => {
    const check = CHECKS[id];
    const na = check.notApplicable(spec);
    let target = '';
    try {
      target = na ? '' : check.target(spec, settings);
    } catch {
      target = '';
    }
    const touches = check.disruptive && !na ? touchesOf(loaded, settings, id, podChaosNamespace) : undefined;
    return {
      id,
      title: check.title,
      criterion: spec.criteria.find((c) => c.id === id)?.text ?? CRITERIA[id].title,
      target,
      disruptive: check.disruptive,
      ...(na ? { skip: na } : {}),
      ...(touches ? { touches } : {}),
      links: specLinks(ctx, loaded, id),
    };
  });
  return { ...answer, criteria, disruptive: disruptivePlan(loaded, settings, ids, podChaosNamespace) };
}

// ---- run ------------------------------------------------------------------------------------------------

/** The PodChaos of the spec's folder that kills the service's pods in the chaos namespace (live.podKill.method: podchaos). */
function findPodChaos(ctx: ServerContext, loaded: LoadedSpec, chaosNamespace: string | undefined): Record<string, unknown> | undefined {
  const dir = path.dirname(loaded.file);
  const app = loaded.spec.costLabels.app ?? loaded.spec.service;
  const ns = chaosNamespace ?? loaded.spec.constraints.chaosNamespaces[0];
  const candidates = ctx.project.index
    .byKind('PodChaos')
    .filter((r) => r.file === dir || r.file.startsWith(dir + path.sep))
    .map((r) => r.value as any)
    .filter((v) => v?.spec?.action === 'pod-kill');
  const reaches = (v: any) => ((v.spec?.selector?.namespaces as string[] | undefined) ?? [v.metadata?.namespace]).includes(ns);
  return candidates.find((v) => reaches(v) && v.spec?.selector?.labelSelectors?.app === app) ?? candidates.find(reaches);
}

const normalizeIds = (only: unknown): CriterionId[] | undefined => {
  if (!Array.isArray(only)) return undefined;
  const ids = SC_IDS.filter((id) => only.includes(id));
  return ids.length ? ids : undefined;
};

async function verify(ctx: ServerContext, params: VerifyParams, token: CancellationToken, controller: AbortController): Promise<VerifyResult> {
  await ctx.ready;
  const chosen = chooseSpec(ctx, typeof params.spec === 'string' ? params.spec : undefined);
  if (!chosen.loaded) return { ...chosen.answer, report: null, links: {} };
  const loaded = chosen.loaded;
  const specText = ctx.project.textOf(loaded.file);
  const only = normalizeIds(params.only);
  if (Array.isArray(params.only) && params.only.length > 0 && !only) {
    return { ...chosen.answer, refused: 'no-spec', problem: `Not a success criterion: ${params.only.join(', ')} (SC-001 … SC-010).`, report: null, links: {} };
  }
  const allowDisruptive = params.allowDisruptive === true;
  const { settings } = resolveSettings(loaded, undefined, specText);
  const podChaos = allowDisruptive && settings.podKill.method === 'podchaos' ? findPodChaos(ctx, loaded, settings.chaosNamespace) : undefined;

  const cancel = token.onCancellationRequested(() => controller.abort());
  const { progress, cancelled } = await workDone(ctx, params);
  const progressCancel = cancelled?.onCancellationRequested(() => controller.abort());
  const eventToken = params.eventToken;
  const send = (event: VerifyEvent) => {
    if (eventToken === undefined || eventToken === null) return;
    void ctx.connection.sendProgress(VerifyEventProgress, eventToken, event).catch(() => undefined);
  };
  const links: VerifyResult['links'] = {};
  const titles = new Map<CriterionId, { title: string; index: number; total: number }>();
  const percent = (done: number, total: number) => (total > 0 ? Math.floor((done / total) * 100) : 0);
  progress.begin(`opex verify: ${loaded.spec.service}`, 0, 'connecting to the cluster…', true);
  const onProgress = (e: ProgressEvent) => {
    switch (e.kind) {
      case 'begin':
        progress.report(0, `${e.total} criteria against ${e.context}`);
        send({ kind: 'begin', total: e.total, ids: e.ids, context: e.context, server: e.server });
        break;
      case 'check-start':
        titles.set(e.id, { title: e.title, index: e.index, total: e.total });
        progress.report(percent(e.index, e.total), `${e.id} ${e.title}… ${e.index + 1}/${e.total}`);
        send(e);
        break;
      case 'check-step': {
        const t = titles.get(e.id);
        if (t) progress.report(percent(t.index, t.total), `${e.id} ${t.title}… ${t.index + 1}/${t.total}: ${e.message}`);
        send(e);
        break;
      }
      case 'check-end': {
        const l = linksOf(ctx, loaded, e.result);
        links[e.id] = l;
        progress.report(percent(e.index + 1, e.total), `${e.id} ${e.result.status} ${e.index + 1}/${e.total}`);
        send({ kind: 'check-end', id: e.id, index: e.index, total: e.total, result: e.result, links: l });
        break;
      }
      case 'end':
        break;
    }
  };
  try {
    ctx.log.verbose(() => `opex: verify ${loaded.file} context=${params.context ?? '(current)'} only=${only?.join(',') ?? 'all'} disruptive=${allowDisruptive}`);
    const report = await runChecks(
      { spec: loaded, specText, context: typeof params.context === 'string' && params.context ? params.context : undefined, only, allowDisruptive, podChaos },
      { onProgress, signal: controller.signal },
    );
    return { ...chosen.answer, report, links };
  } catch (err) {
    if (err instanceof LiveError && err.kind === 'config') return { ...chosen.answer, refused: 'config', problem: err.message, report: null, links: {} };
    if (err instanceof LiveError) return { ...chosen.answer, problem: err.message, report: null, links: {} };
    throw err;
  } finally {
    progress.done();
    cancel.dispose();
    progressCancel?.dispose();
  }
}

/**
 * The client's work-done progress (`workDoneToken`: the client cancels the request itself), else one the server
 * creates (its cancel button cancels the run), else none.
 */
async function workDone(ctx: ServerContext, params: VerifyParams): Promise<{ progress: WorkDoneProgressReporter; cancelled?: CancellationToken }> {
  const token = params.workDoneToken;
  if (token !== undefined && token !== null) return { progress: ctx.connection.window.attachWorkDoneProgress(token) };
  if (ctx.features.workDoneProgress) {
    try {
      const progress = await ctx.connection.window.createWorkDoneProgress();
      return { progress, cancelled: progress.token };
    } catch {
      // the client refused: run without progress
    }
  }
  return { progress: ctx.connection.window.attachWorkDoneProgress(undefined) };
}

/** Enough of a VerifyReport for the renderers not to throw. */
function isReport(v: unknown): v is VerifyReport {
  const r = v as VerifyReport;
  return (
    !!r &&
    typeof r === 'object' &&
    Array.isArray(r.results) &&
    r.results.every((x) => x && typeof x.id === 'string' && typeof x.status === 'string' && typeof x.title === 'string' && Array.isArray(x.details)) &&
    !!r.spec &&
    typeof r.spec.service === 'string' &&
    !!r.cluster &&
    typeof r.cluster.context === 'string' &&
    !!r.summary &&
    typeof r.summary.total === 'number'
  );
}
