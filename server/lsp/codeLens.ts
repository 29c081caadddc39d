/**
 * A code lens on each success criterion of a spec (opex.yaml or markdown): "SC-004 ✓ satisfied by
 * velero/schedule.yaml", "SC-001 ✗ 2 problems" or "SC-007 needs a live check", clicking shows the manifests or
 * the problems. Problems are mapped to criteria by the rules' `criteria`, so a new rule needs no change here.
 */
import * as path from 'node:path';
import { CodeLensRefreshRequest, type CodeLens, type CodeLensParams, type Location } from 'vscode-languageserver/node';
import { RULES_BY_ID } from '../engine/lint';
import type { Workload } from '../engine/model';
import type { Resource } from '../engine/resource';
import { isServiceWorkload } from '../engine/scope';
import { coversNamespace, veleroSchedules } from '../engine/velero';
import { CRITERIA } from '../engine/spec/criteria';
import type { LoadedSpec } from '../engine/spec/types';
import type { CriterionId, Diagnostic, Range } from '../engine/types';
import { SHOW_LOCATIONS_COMMAND } from '../protocol';
import type { ServerContext } from './context';
import { allLinks } from './links';
import { uriToPath, type LintSnapshot } from './project';

export interface CriterionStatus {
  id: CriterionId;
  state: 'ok' | 'problems' | 'live' | 'uncovered' | 'pending';
  problems: Diagnostic[];
  carriers: Resource[];
  title: string;
}

/** The diagnostics that break a criterion: in files the spec governs, from rules that protect it. */
function problemsOf(ctx: ServerContext, spec: LoadedSpec, id: CriterionId, snapshot: LintSnapshot): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ownLine = spec.locations[`criteria.${id}`]?.start.line;
  const lineShared = Object.entries(spec.locations).some(([k, r]) => k.startsWith('criteria.') && k !== `criteria.${id}` && r.start.line === ownLine);
  for (const [file, list] of snapshot.byFile) {
    const inSpec = file === spec.file;
    if (!inSpec && ctx.project.specFor(file)?.file !== spec.file) continue;
    for (const d of list) {
      const criteria = RULES_BY_ID.get(d.ruleId)?.meta.criteria ?? [];
      if (!criteria.includes(id)) continue;
      // On the spec itself a rule reports on the criterion's own line (or names it, when criteria share a line).
      if (inSpec && (lineShared ? !d.message.includes(id) : d.range.start.line !== ownLine)) continue;
      out.push(d);
    }
  }
  return out;
}

/** The manifests that carry a criterion out, as far as manifests can tell. */
export function carriersOf(ctx: ServerContext, spec: LoadedSpec, id: CriterionId): Resource[] {
  const index = ctx.project.index;
  const s = spec.spec;
  const service: Workload[] = index.workloads().filter((w) => isServiceWorkload(s, w));
  const serviceRes = new Set(service.map((w) => w.resource));
  const links = allLinks(index);
  const schedules = () => veleroSchedules(index).filter((b) => coversNamespace(b, s.namespace)).map((b) => b.resource);
  const app = s.costLabels.app ?? s.service;
  const chaos = () =>
    [...new Set(links.filter((l) => l.kind === 'chaos-selector' && l.targets.some((t) => t.podLabels.app === app || t.resource.name === s.service)).map((l) => l.from))];
  switch (id) {
    case 'SC-001':
    case 'SC-002':
      return service.map((w) => w.resource);
    case 'SC-003':
      return [...new Set(links.filter((l) => l.kind === 'target-ref' && l.from.kind === 'VerticalPodAutoscaler' && l.targets.some((t) => serviceRes.has(t.resource))).map((l) => l.from))];
    case 'SC-004':
    case 'SC-005':
      return schedules();
    case 'SC-006': {
      const sched = new Set(schedules());
      return [...new Set(links.filter((l) => l.kind === 'hook-selector' && sched.has(l.from) && l.targets.length > 0).map((l) => l.from))];
    }
    case 'SC-008':
      return [...chaos(), ...service.map((w) => w.resource)];
    case 'SC-009':
      return [...service.map((w) => w.resource), ...chaos()];
    default:
      return [];
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function criterionStatus(ctx: ServerContext, spec: LoadedSpec, id: CriterionId, snapshot: LintSnapshot | undefined): CriterionStatus {
  if (!snapshot) return { id, state: 'pending', problems: [], carriers: [], title: `${id} … checking` };
  const problems = problemsOf(ctx, spec, id, snapshot);
  const info = CRITERIA[id];
  if (problems.length > 0) return { id, state: 'problems', problems, carriers: [], title: `${id} ✗ ${plural(problems.length, 'problem')}` };
  const carriers = info?.static === false ? [] : carriersOf(ctx, spec, id);
  if (info?.static === false) return { id, state: 'live', problems, carriers, title: `${id} needs a live check` };
  if (carriers.length === 0) {
    if (id === 'SC-006' && !spec.spec.recovery?.database) return { id, state: 'ok', problems, carriers, title: `${id} ✓ no database: no hook needed` };
    return { id, state: 'uncovered', problems, carriers, title: `${id} ✗ no manifest carries it out` };
  }
  const specDir = path.dirname(spec.file);
  const files = [...new Set(carriers.map((r) => r.file))].map((f) =>
    f.startsWith(specDir + path.sep) ? path.relative(specDir, f).split(path.sep).join('/') : ctx.project.relative(f),
  );
  const shown = files.length <= 2 ? files.join(', ') : `${files.slice(0, 2).join(', ')} and ${files.length - 2} more`;
  return { id, state: 'ok', problems, carriers, title: `${id} ✓ satisfied by ${shown}` };
}

/**
 * Spec fields that state each criterion, for an opex.yaml without a `criteria:` section (whose criteria all
 * point at `service:`): the lens goes on the first of these the spec writes.
 */
const FIELDS_OF: Record<CriterionId, string[]> = {
  'SC-001': ['costLabels'],
  'SC-002': ['costLabels.team', 'costLabels'],
  'SC-003': ['cost.vpaRecommendationWithin', 'constraints.vpaUpdateMode', 'cost'],
  'SC-004': ['recovery.schedule', 'recovery.rpo'],
  'SC-005': ['recovery.retention'],
  'SC-006': ['recovery.database'],
  'SC-007': ['recovery.rto'],
  'SC-008': ['resilience.podKillRecovery'],
  'SC-009': ['resilience.max5xx'],
  'SC-010': ['resilience.p95LatencyMs'],
};

function lensRange(spec: LoadedSpec, id: CriterionId): Range {
  const own = spec.locations[`criteria.${id}`];
  const shared = own && Object.entries(spec.locations).some(([k, r]) => k.startsWith('criteria.') && k !== `criteria.${id}` && r.start.line === own.start.line);
  if (own && !shared) return own;
  for (const field of FIELDS_OF[id] ?? []) {
    const r = spec.locations[field];
    if (r) return { start: { line: r.start.line, character: r.start.character }, end: { line: r.start.line, character: r.start.character } };
  }
  return own ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function codeLenses(ctx: ServerContext, params: CodeLensParams): CodeLens[] {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return [];
  ctx.project.flush();
  const spec = ctx.project.specAt(file);
  if (!spec) return [];
  const snapshot = ctx.indexing ? undefined : ctx.project.lint();
  const lenses: CodeLens[] = [];
  for (const c of spec.spec.criteria) {
    const range = lensRange(spec, c.id);
    const status = criterionStatus(ctx, spec, c.id, snapshot);
    const locations: Location[] =
      status.state === 'problems'
        ? status.problems.map((d) => ({ uri: ctx.project.uriOf(d.file), range: d.range }))
        : status.carriers.map((r) => ({ uri: ctx.project.uriOf(r.file), range: r.name ? r.rangeOf(['metadata', 'name']) : r.anchorRange() }));
    lenses.push({
      range,
      command: locations.length > 0
        ? { title: status.title, command: SHOW_LOCATIONS_COMMAND, arguments: [params.textDocument.uri, range.start, locations] }
        : { title: status.title, command: '' },
      data: { criterion: c.id, state: status.state },
    });
  }
  return lenses;
}

/** Asks the client to fetch the lenses again (after a lint pass changed something), once per turn of the loop. */
export function lensRefresher(ctx: ServerContext): () => void {
  let queued = false;
  return () => {
    if (!ctx.features.codeLensRefresh || queued || ctx.project.specs.all().length === 0) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    });
  };
}

