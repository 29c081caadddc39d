/**
 * The side panel's state, built from what the language server answers: rows from the plan (before a run), updated
 * by the run's events and replaced by each check's result. Plain functions of plain data (no `vscode`, no DOM), so
 * they are tested in Node and shared by the extension and the screenshots.
 */
import type { CheckResult, VerifyEvent, VerifyLink, VerifyPlanCriterion, VerifyReport } from '../../server/protocol';
import type { CriterionId, PanelLink, PanelPod, PanelRow, PanelState, PanelSummary, PanelTimelineStep } from './messages';

export function emptyState(trusted: boolean): PanelState {
  return {
    trusted,
    busy: false,
    runningDisruptive: false,
    spec: null,
    specs: [],
    contexts: [],
    context: null,
    notice: null,
    warnings: [],
    progress: null,
    rows: [],
    summary: null,
    disruptiveNamespaces: [],
    canExport: false,
  };
}

const panelLinks = (links: readonly VerifyLink[] | undefined): PanelLink[] => (links ?? []).map((l) => ({ kind: l.kind, label: l.label, description: l.description }));

/** A row before anything ran: the plan's target, or why it will be skipped. */
export function rowFromPlan(c: VerifyPlanCriterion): PanelRow {
  return {
    id: c.id as CriterionId,
    title: c.title,
    criterion: c.criterion,
    status: 'PENDING',
    target: c.target,
    actual: '',
    durationMs: null,
    reason: c.skip ?? '',
    step: '',
    details: [],
    disruptive: c.disruptive,
    timeline: [],
    slowest: null,
    query: null,
    pods: [],
    links: panelLinks(c.links),
  };
}

/**
 * Rows of a new plan; a criterion that has a result keeps it (the plan does not know what the cluster said), but
 * takes the plan's title, target and links (the spec may have changed).
 */
export function mergePlan(previous: readonly PanelRow[], plan: readonly VerifyPlanCriterion[]): PanelRow[] {
  return plan.map((c) => {
    const fresh = rowFromPlan(c);
    const old = previous.find((r) => r.id === fresh.id);
    if (!old || old.status === 'PENDING' || old.status === 'RUNNING') return fresh;
    return { ...old, title: fresh.title, criterion: fresh.criterion, disruptive: fresh.disruptive, links: old.links.length ? old.links : fresh.links };
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function timelineOf(data: Record<string, unknown> | undefined): PanelTimelineStep[] {
  const steps = data?.timeline;
  if (!Array.isArray(steps)) return [];
  return steps
    .filter(isRecord)
    .map((s) => ({ step: String(s.step ?? ''), at: Number(s.at) || 0, took: Number(s.took) || 0, detail: String(s.detail ?? '') }));
}

function podsOf(data: Record<string, unknown> | undefined): PanelPod[] {
  const pods = data?.pods;
  if (!Array.isArray(pods)) return [];
  return pods
    .filter(isRecord)
    .map((p) => ({
      name: String(p.name ?? ''),
      lacks: Array.isArray(p.missing) ? p.missing.map(String) : [],
      wrong: Array.isArray(p.wrong) ? p.wrong.filter(isRecord).map((w) => `${String(w.key)}=${String(w.value)} (spec: ${String(w.expected)})`) : [],
    }))
    .filter((p) => p.lacks.length > 0 || p.wrong.length > 0);
}

/** The PromQL query a check ran (SC-009/SC-010), from its data or its details. */
function queryOf(result: CheckResult): string | null {
  if (typeof result.data?.query === 'string') return result.data.query;
  const line = result.details.find((d) => d.startsWith('query: '));
  return line ? line.slice('query: '.length).replace(/ → .*$/, '') : null;
}

const TIMELINE_LINE = /^\+\d+(\.\d+)? s {2}/;

export function rowFromResult(result: CheckResult, links: readonly VerifyLink[] | undefined): PanelRow {
  const timeline = timelineOf(result.data);
  const pods = podsOf(result.data);
  const query = queryOf(result);
  // Lines shown in their own section are not repeated in the list.
  const details = result.details.filter(
    (d) => !(timeline.length && TIMELINE_LINE.test(d)) && !(pods.length && /^pod \S+ \(/.test(d)) && !(query && d === `query: ${query}`),
  );
  return {
    id: result.id as CriterionId,
    title: result.title,
    criterion: result.criterion,
    status: result.status,
    target: result.target,
    actual: result.actual,
    durationMs: result.durationMs,
    reason: result.reason ?? '',
    step: '',
    details,
    disruptive: result.disruptive,
    timeline,
    slowest: typeof result.data?.slowest === 'string' ? result.data.slowest : null,
    query,
    pods,
    links: panelLinks(links),
  };
}

export function summaryOf(report: VerifyReport): PanelSummary {
  return {
    ...report.summary,
    durationMs: report.durationMs,
    cancelled: report.cancelled,
    context: report.cluster.context,
    server: report.cluster.server,
    finishedAt: report.finishedAt,
    allowDisruptive: report.allowDisruptive,
  };
}

/** The rows after one event of a run (rows of criteria outside the run keep what they showed). */
export function applyEvent(rows: readonly PanelRow[], event: VerifyEvent): PanelRow[] {
  const update = (id: string, fn: (r: PanelRow) => PanelRow) => rows.map((r) => (r.id === id ? fn(r) : r));
  switch (event.kind) {
    case 'begin': {
      const known = new Set(rows.map((r) => r.id));
      const reset = rows.map((r) => (event.ids.includes(r.id as never) ? { ...r, status: 'PENDING' as const, actual: '', durationMs: null, reason: '', step: '', details: [], timeline: [], slowest: null, query: null, pods: [] } : r));
      // Criteria the plan did not list (the spec changed meanwhile) get a row as they start.
      for (const id of event.ids) if (!known.has(id)) reset.push({ ...rowFromPlan({ id, title: id, criterion: '', target: '', disruptive: false, links: [] }) });
      return reset;
    }
    case 'check-start': {
      const has = rows.some((r) => r.id === event.id);
      const base = has ? rows : [...rows, rowFromPlan({ id: event.id, title: event.title, criterion: '', target: '', disruptive: false, links: [] })];
      return base.map((r) => (r.id === event.id ? { ...r, title: event.title || r.title, status: 'RUNNING', step: '' } : r));
    }
    case 'check-step':
      return update(event.id, (r) => ({ ...r, step: event.message }));
    case 'check-end': {
      const row = rowFromResult(event.result, event.links);
      return rows.some((r) => r.id === event.id) ? update(event.id, () => row) : [...rows, row];
    }
  }
}

/** Rows once the run has answered: every result as reported (a cancelled run's skipped checks included). */
export function applyReport(rows: readonly PanelRow[], report: VerifyReport, links: Partial<Record<string, VerifyLink[]>>): PanelRow[] {
  let out = rows.map((r) => (r.status === 'RUNNING' ? { ...r, status: 'PENDING' as const, step: '' } : r));
  for (const result of report.results) {
    const row = rowFromResult(result, links[result.id]);
    out = out.some((r) => r.id === row.id) ? out.map((r) => (r.id === row.id ? row : r)) : [...out, row];
  }
  return out;
}

/** "SC-004 Velero schedule… 4/10" and how far the run is. */
export function progressOf(event: VerifyEvent, previous: PanelState['progress']): PanelState['progress'] {
  switch (event.kind) {
    case 'begin':
      return { done: 0, total: event.total, message: `${event.total} criteria against ${event.context}` };
    case 'check-start':
      return { done: event.index, total: event.total, message: `${event.id} ${event.title}… ${event.index + 1}/${event.total}` };
    case 'check-step':
      return previous ? { ...previous, message: `${previous.message.replace(/: .*$/, '')}: ${event.message}` } : previous;
    case 'check-end':
      return { done: event.index + 1, total: event.total, message: `${event.id} ${event.result.status}` };
  }
}

/** The confirmation before disruptive checks, naming what they touch. */
export function disruptiveQuestion(service: string, context: string | null, plan: { namespaces: string[]; actions: string[] }): { message: string; detail: string } {
  const where = context ? ` (context ${context})` : '';
  return {
    message: `Run the disruptive checks of ${service || 'the spec'} against the cluster${where}?`,
    detail: [
      ...plan.actions,
      '',
      `Namespaces touched: ${plan.namespaces.length ? plan.namespaces.join(', ') : 'none'}. The service's own namespace is never written to, and everything created is deleted afterwards, also when cancelled.`,
    ].join('\n'),
  };
}
