/**
 * Runs the live checks of a spec against a cluster: `runChecks(options, {onProgress, signal})` → VerifyReport.
 * Used by `opex verify`, the `opex/verify` LSP request and the side panel. Read-only checks run with a client
 * that refuses writes; disruptive ones only with `allowDisruptive`, and their cleanup runs with its own signal
 * and timeout, whatever happened (also after a cancel). Nothing hangs: every request has a timeout, watches
 * have deadlines, and once the cluster is unreachable the remaining checks report that at once.
 */
import { CRITERIA } from '../engine/spec/criteria';
import { SC_IDS, type CriterionId } from '../engine/types';
import { CHECKS } from './checks';
import type { CheckContext, Outcome, SharedState } from './checks/common';
import { LiveError, SkipCheck } from './errors';
import { Kube, loadKubeConfig } from './kube';
import { redact, secretsOf } from './redact';
import { resolveSettings } from './settings';
import type { CheckResult, ProgressEvent, RunHooks, VerifyOptions, VerifyReport, VerifySummary } from './types';

export { LiveError } from './errors';

/** The criteria a run covers: those the spec states, narrowed by `only` (ids the spec lacks are reported as SKIP). */
export function criteriaToRun(options: Pick<VerifyOptions, 'spec' | 'only'>): CriterionId[] {
  const stated = new Set(options.spec.spec.criteria.map((c) => c.id));
  const wanted = options.only?.length ? new Set(options.only) : stated;
  return SC_IDS.filter((id) => wanted.has(id));
}

export function summarize(results: CheckResult[]): VerifySummary {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return { pass: count('PASS'), fail: count('FAIL'), skip: count('SKIP'), error: count('ERROR'), total: results.length };
}

/** 0 when every check passed or was skipped, 1 when one failed or errored. */
export function exitCodeOf(report: VerifyReport): 0 | 1 {
  return report.summary.fail + report.summary.error > 0 ? 1 : 0;
}

export async function runChecks(options: VerifyOptions, hooks: RunHooks = {}): Promise<VerifyReport> {
  // The kubeconfig's secrets, and any credentials an API server or proxy echoes back, never leave the run.
  let secrets: string[] = [];
  const emit = (e: ProgressEvent) => {
    try {
      hooks.onProgress?.(redact(e, secrets));
    } catch {
      // a progress listener's failure never stops the run
    }
  };
  const signal = hooks.signal ?? new AbortController().signal;
  const now = options.now ?? (() => new Date());
  const startedAt = new Date();
  const t0 = performance.now();
  const loaded = options.spec;
  const spec = loaded.spec;
  const { settings } = resolveSettings(loaded, options.settings, options.specText);
  const target = await loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context });
  secrets = secretsOf(target.kc);
  const reader = await Kube.create(target, { requestTimeoutMs: settings.timeouts.requestMs, signal, allowWrites: false });
  const ids = criteriaToRun(options);
  const stated = new Set(spec.criteria.map((c) => c.id));
  emit({ kind: 'begin', total: ids.length, ids, context: target.context, server: target.server });

  const shared: SharedState = {};
  const results: CheckResult[] = [];
  let unreachable: { id: CriterionId; message: string } | undefined;
  let serverVersion: string | undefined;
  let cancelled = false;

  for (const [index, id] of ids.entries()) {
    const check = CHECKS[id];
    const criterion = spec.criteria.find((c) => c.id === id)?.text ?? CRITERIA[id].title;
    const fields = check.specFields
      .map((f) => ({ field: f, range: loaded.locations[f] }))
      .filter((f): f is { field: string; range: NonNullable<typeof f.range> } => !!f.range);
    const base = {
      id,
      title: check.title,
      criterion,
      disruptive: check.disruptive,
      spec: { file: loaded.file, range: loaded.locations[`criteria.${id}`], fields },
    };
    const started = performance.now();
    const finish = (outcome: Outcome, targetText: string): CheckResult => {
      const result: CheckResult = redact<CheckResult>({
        ...base,
        status: outcome.status,
        target: outcome.target ?? targetText,
        actual: outcome.actual,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        details: outcome.details ?? [],
        durationMs: Math.round(performance.now() - started),
        objects: outcome.objects ?? [],
        ...(outcome.data ? { data: outcome.data } : {}),
      }, secrets);
      results.push(result);
      emit({ kind: 'check-end', id, index, total: ids.length, result });
      return result;
    };
    emit({ kind: 'check-start', id, index, total: ids.length, title: check.title });
    let targetText = '';
    try {
      targetText = check.notApplicable(spec) ? '' : check.target(spec, settings);
    } catch {
      targetText = '';
    }
    if (signal.aborted) {
      cancelled = true;
      finish({ status: 'SKIP', actual: '', reason: 'cancelled' }, targetText);
      continue;
    }
    if (!stated.has(id)) {
      finish({ status: 'SKIP', actual: '', reason: `the spec states no ${id}` }, targetText);
      continue;
    }
    const na = check.notApplicable(spec);
    if (na) {
      finish({ status: 'SKIP', actual: '', reason: na }, targetText);
      continue;
    }
    if (check.disruptive && !options.allowDisruptive) {
      finish({ status: 'SKIP', actual: '', reason: 'changes the cluster: run with --allow-disruptive (or confirm in the editor) to include it' }, targetText);
      continue;
    }
    if (unreachable) {
      finish({ status: 'ERROR', actual: '', reason: `cluster unreachable (see ${unreachable.id}): ${unreachable.message}` }, targetText);
      continue;
    }
    if (serverVersion === undefined) {
      try {
        serverVersion = await reader.serverVersion();
      } catch (e) {
        serverVersion = '';
        if (e instanceof LiveError && (e.kind === 'unreachable' || e.kind === 'tls' || e.kind === 'cancelled')) {
          if (e.kind === 'cancelled') cancelled = true;
          else unreachable = { id, message: e.message };
          finish({ status: 'ERROR', actual: '', reason: e.message }, targetText);
          continue;
        }
      }
    }

    const kube = check.disruptive ? reader.with({ allowWrites: true }) : reader;
    const cleanups: Array<{ label: string; fn: (k: Kube) => Promise<void> }> = [];
    const ctx: CheckContext = {
      spec,
      loaded,
      kube,
      settings,
      signal,
      now,
      step: (message) => emit({ kind: 'check-step', id, message }),
      cleanup: (label, fn) => cleanups.push({ label, fn }),
      shared,
      podChaos: options.podChaos,
    };
    let outcome: Outcome;
    try {
      outcome = await check.run(ctx);
    } catch (e) {
      if (e instanceof SkipCheck) outcome = { status: 'SKIP', actual: '', reason: e.message };
      else if (e instanceof LiveError) {
        outcome = { status: 'ERROR', actual: '', reason: e.message, details: e.serverMessage && e.serverMessage !== e.message ? [`server: ${e.serverMessage}`] : [] };
        if (e.kind === 'unreachable' || e.kind === 'tls') unreachable = { id, message: e.message };
        if (e.kind === 'cancelled') cancelled = true;
      } else outcome = { status: 'ERROR', actual: '', reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
    }
    if (cleanups.length) {
      const cleaner = reader.with({ signal: AbortSignal.timeout(settings.timeouts.cleanupMs), allowWrites: true });
      const done: string[] = [];
      const failed: string[] = [];
      for (const c of cleanups.reverse()) {
        emit({ kind: 'check-step', id, message: `cleanup: ${c.label}` });
        try {
          await c.fn(cleaner);
          done.push(c.label);
        } catch (e) {
          if (e instanceof LiveError && e.kind === 'not-found') done.push(`${c.label} (already gone)`);
          else failed.push(`${c.label}: ${(e as Error).message}`);
        }
      }
      outcome.details = [...(outcome.details ?? []), ...done.map((d) => `cleanup: ${d}`), ...failed.map((f) => `cleanup FAILED: ${f}`)];
      outcome.data = { ...(outcome.data ?? {}), cleanup: { done, failed } };
      if (failed.length) {
        outcome = { ...outcome, status: 'ERROR', reason: `${outcome.reason ? `${outcome.reason}; ` : ''}cleanup failed: ${failed.join('; ')}` };
      }
    }
    finish(outcome, targetText);
  }

  const report: VerifyReport = {
    version: 1,
    tool: 'opex verify',
    spec: { file: loaded.file, service: spec.service, namespace: spec.namespace },
    cluster: { context: target.context, server: target.server, ...(serverVersion ? { version: serverVersion } : {}) },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    allowDisruptive: !!options.allowDisruptive,
    cancelled: cancelled || signal.aborted,
    results,
    summary: summarize(results),
  };
  emit({ kind: 'end', report });
  return report;
}
