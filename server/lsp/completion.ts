/**
 * Completion from what the spec and the workspace know: label keys and values (the spec's cost labels first),
 * targetRef kinds and names, container names in VPA container policies and Velero hooks, updateMode and
 * onError values with their meaning, chaos modes and namespaces. Works on half-typed YAML: the context is
 * read from indentation, the rest of the document from a tolerant parse.
 */
import * as YAML from 'yaml';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver/node';
import { scalarText } from '../engine/edit';
import { selectorMatches, toLabelSelector, WORKLOAD_TEMPLATE_PATHS, type Workload } from '../engine/model';
import type { PathSegment } from '../engine/resource';
import { LineMap } from '../engine/text';
import type { LoadedSpec } from '../engine/spec/types';
import type { WorkspaceIndex } from '../engine/workspace';
import type { ServerContext } from './context';
import { CHAOS_MODES, ON_ERROR, UPDATE_MODES } from './hover';
import { uriToPath } from './project';
import { specKeyCandidates, specValueCandidates } from './specSchema';
import { isYamlFile } from '../engine/discover';
import { isSpecFile } from '../engine/spec/specs';
import { completionContext, pathEndsWith, pathMatches, type CompletionContext } from './yamlPath';

const WORKLOAD_KINDS = Object.keys(WORKLOAD_TEMPLATE_PATHS).filter((k) => k !== 'Pod');
const API_VERSION_OF: Record<string, string> = {
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1',
  ReplicationController: 'v1', Job: 'batch/v1', CronJob: 'batch/v1',
};

interface Candidate {
  label: string;
  /** Inserted text (a YAML scalar, quoted where needed, or `key: value`). */
  insert?: string;
  detail?: string;
  doc?: string;
  /** Lower sorts first. */
  rank: number;
  kind?: CompletionItemKind;
  preselect?: boolean;
  /** Ask for the value's completion right after inserting a key. */
  retrigger?: boolean;
}

function asRecord(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The document around the cursor as plain data, even while it does not parse (best effort). */
function documentValue(text: string, ctx: CompletionContext): Record<string, any> {
  const lines = text.split(/\r?\n/).slice(ctx.doc.startLine, ctx.doc.endLine + 1);
  // The line being typed is left out: it is what does not parse yet.
  const cursorLine = ctx.range.start.line - ctx.doc.startLine;
  if (cursorLine >= 0 && cursorLine < lines.length) lines[cursorLine] = '';
  try {
    const doc = YAML.parseDocument(lines.join('\n'), { strict: false, uniqueKeys: false });
    return asRecord(doc.toJS({ maxAliasCount: 100 })) ?? {};
  } catch {
    return {};
  }
}

interface LabelStats {
  generation: number;
  /** key → value → how many pod templates carry it. */
  labels: Map<string, Map<string, number>>;
  namespaces: Set<string>;
}

const statsCache = new WeakMap<WorkspaceIndex, LabelStats>();

function workspaceStats(index: WorkspaceIndex): LabelStats {
  const cached = statsCache.get(index);
  if (cached && cached.generation === index.generation) return cached;
  const labels = new Map<string, Map<string, number>>();
  const namespaces = new Set<string>();
  for (const w of index.workloads()) {
    for (const [k, v] of Object.entries(w.podLabels)) {
      let values = labels.get(k);
      if (!values) labels.set(k, (values = new Map()));
      values.set(v, (values.get(v) ?? 0) + 1);
    }
  }
  for (const r of index.resources()) {
    if (r.namespace) namespaces.add(r.namespace);
    if (r.kind === 'Namespace' && r.name) namespaces.add(r.name);
  }
  const stats = { generation: index.generation, labels, namespaces };
  statsCache.set(index, stats);
  return stats;
}

/** Is the map at this path a set of labels (or a selector written as labels)? */
function isLabelMap(path: readonly PathSegment[], kind: string | undefined, apiVersion: string | undefined): boolean {
  const last = String(path[path.length - 1] ?? '');
  if (last === 'labels' || last === 'matchLabels') return true;
  if (kind === 'Service' && pathMatches(path, ['spec', 'selector'])) return true;
  if (apiVersion?.startsWith('chaos-mesh.org/') && last === 'labelSelectors') return true;
  return false;
}

function isSelectorMap(path: readonly PathSegment[]): boolean {
  const last = String(path[path.length - 1] ?? '');
  return last !== 'labels';
}

function labelKeyCandidates(ctx: ServerContext, c: CompletionContext, spec: LoadedSpec | undefined): Candidate[] {
  const stats = workspaceStats(ctx.project.index);
  const out: Candidate[] = [];
  const taken = new Set(Object.keys(c.siblings));
  const selector = isSelectorMap(c.path);
  const costLabels = spec?.spec.costLabels ?? {};
  Object.entries(costLabels).forEach(([key, value], i) => {
    if (taken.has(key)) return;
    if (selector && !spec!.spec.constraints.stableSelectorLabels.includes(key)) return;
    taken.add(key);
    out.push({
      label: key,
      insert: `${scalarText(key)}: ${scalarText(value)}`,
      detail: `cost label: ${value}`,
      doc: `The spec requires \`${key}: ${value}\` on the pods of ${spec!.spec.service} (SC-001).`,
      rank: i,
      kind: CompletionItemKind.Property,
    });
  });
  for (const [key, values] of [...stats.labels].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (taken.has(key)) continue;
    const only = values.size === 1 ? [...values.keys()][0] : undefined;
    out.push({
      label: key,
      insert: only !== undefined ? `${scalarText(key)}: ${scalarText(only)}` : `${scalarText(key)}: `,
      detail: only !== undefined ? `label: ${only}` : `label (${values.size} values in the workspace)`,
      rank: 100,
      kind: CompletionItemKind.Property,
      retrigger: only === undefined,
    });
  }
  return out;
}

function labelValueCandidates(ctx: ServerContext, key: string, spec: LoadedSpec | undefined): Candidate[] {
  const out: Candidate[] = [];
  const required = spec?.spec.costLabels[key];
  if (required !== undefined) out.push({ label: required, detail: 'required by the spec', doc: `Cost label \`${key}\` (SC-001).`, rank: 0, preselect: true, kind: CompletionItemKind.Value });
  const values = workspaceStats(ctx.project.index).labels.get(key);
  for (const [v, n] of [...(values ?? [])].sort((a, b) => b[1] - a[1])) {
    if (v === required) continue;
    out.push({ label: v, detail: `used by ${n} pod template${n === 1 ? '' : 's'}`, rank: 10, kind: CompletionItemKind.Value });
  }
  return out;
}

function workloadsIn(index: WorkspaceIndex, ns: string): Workload[] {
  return index.workloads().filter((w) => w.resource.namespace === ns);
}

function containerCandidates(workloads: readonly Workload[], first?: string, firstDetail?: string): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  if (first) {
    seen.add(first);
    out.push({ label: first, detail: firstDetail, rank: 0, preselect: true, kind: CompletionItemKind.Field });
  }
  for (const w of workloads) {
    for (const c of [...w.containers, ...w.initContainers]) {
      if (!c.name || seen.has(c.name)) continue;
      seen.add(c.name);
      out.push({ label: c.name, detail: `${c.init ? 'init container' : 'container'} of ${w.resource.kind} ${w.resource.name}`, rank: 10, kind: CompletionItemKind.Field });
    }
  }
  return out;
}

function namespaceCandidates(ctx: ServerContext, preferred: readonly string[], note: (ns: string) => string | undefined): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  preferred.forEach((ns, i) => {
    if (seen.has(ns)) return;
    seen.add(ns);
    out.push({ label: ns, detail: note(ns), rank: i, kind: CompletionItemKind.Module });
  });
  for (const ns of [...workspaceStats(ctx.project.index).namespaces].sort()) {
    if (seen.has(ns)) continue;
    seen.add(ns);
    out.push({ label: ns, detail: note(ns), rank: 100, kind: CompletionItemKind.Module });
  }
  return out;
}

function enumCandidates(values: Record<string, string>, preferred: string | undefined, detail: (v: string) => string | undefined): Candidate[] {
  return Object.entries(values).map(([v, meaning], i) => ({
    label: v,
    insert: scalarText(v),
    detail: detail(v),
    doc: meaning,
    rank: v === preferred ? 0 : 10 + i,
    preselect: v === preferred,
    kind: CompletionItemKind.EnumMember,
  }));
}

/** Which workloads a hook entry reaches, from the document being typed. */
function hookWorkloads(index: WorkspaceIndex, docValue: Record<string, any>, hookPath: readonly PathSegment[], isSchedule: boolean): Workload[] {
  let hook: any = docValue;
  for (const seg of hookPath) hook = hook?.[seg as any];
  const template = asRecord(isSchedule ? docValue.spec?.template : docValue.spec) ?? {};
  const included = strings(asRecord(hook)?.includedNamespaces).length > 0 ? strings(hook.includedNamespaces) : strings(template.includedNamespaces);
  const nsOk = (ns: string) => included.length === 0 || included.includes('*') || included.includes(ns);
  const sel = asRecord(hook)?.labelSelector !== undefined ? toLabelSelector(hook.labelSelector) : { matchLabels: {}, matchExpressions: [] };
  return index.workloads().filter((w) => nsOk(w.resource.namespace) && (!sel || selectorMatches(sel, w.podLabels)));
}

function candidates(ctx: ServerContext, file: string, text: string, c: CompletionContext): Candidate[] {
  const index = ctx.project.index;
  const spec = ctx.project.specFor(file);
  const kind = c.doc.kind;
  const apiVersion = c.doc.apiVersion;
  const ns = c.doc.namespace ?? 'default';
  const path = c.path;
  const last = String(path[path.length - 1] ?? '');
  const isChaos = Boolean(apiVersion?.startsWith('chaos-mesh.org/'));
  const isVelero = Boolean(apiVersion?.startsWith('velero.io/'));

  if (c.kind === 'key' && isLabelMap(path, kind, apiVersion)) return labelKeyCandidates(ctx, c, spec);
  if (c.kind === 'value' && path.length >= 2 && isLabelMap(path.slice(0, -1), kind, apiVersion)) return labelValueCandidates(ctx, last, spec);

  const refPath = kind === 'VerticalPodAutoscaler' ? ['spec', 'targetRef'] : kind === 'HorizontalPodAutoscaler' ? ['spec', 'scaleTargetRef'] : undefined;
  if (refPath && c.kind === 'value' && pathMatches(path.slice(0, -1), refPath)) {
    if (last === 'name') {
      const wantKind = c.siblings.kind;
      return workloadsIn(index, ns)
        .filter((w) => !wantKind || w.resource.kind === wantKind)
        .map((w, i) => ({ label: w.resource.name, detail: `${w.resource.kind} ${ns}/${w.resource.name}`, rank: i, kind: CompletionItemKind.Reference }));
    }
    if (last === 'kind') {
      const present = [...new Set(workloadsIn(index, ns).map((w) => w.resource.kind))];
      return [...present, ...WORKLOAD_KINDS.filter((k) => !present.includes(k))].map((k, i) => ({
        label: k,
        detail: present.includes(k) ? `${workloadsIn(index, ns).filter((w) => w.resource.kind === k).length} in ${ns}` : undefined,
        rank: i,
        kind: CompletionItemKind.Class,
      }));
    }
    if (last === 'apiVersion') {
      const k = c.siblings.kind;
      const versions = k && API_VERSION_OF[k] ? [API_VERSION_OF[k]] : ['apps/v1', 'batch/v1'];
      return versions.map((v, i) => ({ label: v, rank: i, kind: CompletionItemKind.Value }));
    }
  }
  if (refPath && c.kind === 'key' && pathMatches(path, refPath)) {
    return ['apiVersion', 'kind', 'name'].filter((k) => !(k in c.siblings)).map((k, i) => ({ label: k, insert: `${k}: `, rank: i, kind: CompletionItemKind.Property, retrigger: true }));
  }

  if (kind === 'VerticalPodAutoscaler' && c.kind === 'value' && pathMatches(path, ['spec', 'resourcePolicy', 'containerPolicies', '*', 'containerName'])) {
    const docValue = documentValue(text, c);
    const ref = asRecord(docValue.spec?.targetRef);
    const targets = ref ? workloadsIn(index, ns).filter((w) => w.resource.name === ref.name && (!ref.kind || w.resource.kind === ref.kind)) : [];
    const items = containerCandidates(targets);
    items.push({ label: '*', insert: '"*"', detail: 'every container of the target', rank: 50, kind: CompletionItemKind.Constant });
    return items;
  }
  if (kind === 'VerticalPodAutoscaler' && c.kind === 'value' && pathMatches(path, ['spec', 'updatePolicy', 'updateMode'])) {
    const want = spec?.spec.constraints.vpaUpdateMode;
    return enumCandidates(UPDATE_MODES, want ?? 'Off', (v) => (want === v ? 'the spec\'s mode' : want ? 'not allowed by the spec' : undefined));
  }

  if (isVelero && (kind === 'Schedule' || kind === 'Backup')) {
    const base = kind === 'Schedule' ? ['spec', 'template', 'hooks', 'resources'] : ['spec', 'hooks', 'resources'];
    const execPath = [...base, '*', '*', '*', 'exec'];
    if (c.kind === 'value' && pathMatches(path, [...execPath, 'container'])) {
      const docValue = documentValue(text, c);
      const reached = hookWorkloads(index, docValue, path.slice(0, base.length + 1), kind === 'Schedule');
      const db = spec?.spec.recovery?.database;
      return containerCandidates(reached, db?.container, db ? 'the spec\'s database container' : undefined);
    }
    if (c.kind === 'value' && pathMatches(path, [...execPath, 'onError'])) {
      const phase = String(path[path.length - 4]);
      return enumCandidates(ON_ERROR, phase === 'pre' ? 'Fail' : undefined, (v) => (phase === 'pre' && v === 'Fail' ? 'SC-006: a database pre hook fails the backup' : undefined));
    }
    const nsList = pathEndsWith(path, ['includedNamespaces']) || pathEndsWith(path, ['excludedNamespaces']);
    if (c.kind === 'item' && nsList) {
      const want = spec ? [spec.spec.namespace] : [];
      return namespaceCandidates(ctx, want, (n) => (spec && n === spec.spec.namespace ? 'the service\'s namespace' : undefined));
    }
  }

  if (isChaos) {
    if (c.kind === 'item' && pathEndsWith(path, ['selector', 'namespaces'])) {
      const allowed = spec?.spec.constraints.chaosNamespaces ?? [];
      return namespaceCandidates(ctx, allowed, (n) => (allowed.includes(n) ? 'allowed by the spec' : spec ? 'not allowed by the spec' : undefined));
    }
    if (c.kind === 'value' && last === 'mode' && (pathMatches(path, ['spec', 'mode']) || pathMatches(path, ['spec', '*', 'mode']))) {
      return enumCandidates(CHAOS_MODES, 'one', (v) => (v === 'one' ? 'a single pod failure (SC-008, SC-009)' : undefined));
    }
  }

  if (c.kind === 'value' && pathMatches(path, ['metadata', 'namespace'])) {
    const want = spec ? [spec.spec.namespace] : [];
    return namespaceCandidates(ctx, want, (n) => (spec && n === spec.spec.namespace ? 'the spec\'s namespace' : undefined));
  }
  return [];
}

export function completion(ctx: ServerContext, params: CompletionParams): CompletionList | null {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return null;
  const doc = ctx.documents.get(params.textDocument.uri);
  ctx.project.flush();
  const text = doc?.getText() ?? ctx.project.textOf(file);
  const spec = ctx.project.specAt(file);
  const yamlSpec = spec ? spec.format === 'yaml' : isSpecFile(file) && isYamlFile(file);
  if (text === undefined || (spec && !yamlSpec)) return null;
  // A position past the end of its line means the end of the line (LSP); the edit range must not reach past it.
  const lineMap = new LineMap(text);
  const { line, character } = params.position;
  const position = line < lineMap.lineCount ? { line, character: Math.min(character, lineMap.lineText(line).length) } : params.position;
  const c = completionContext(text, position);
  if (!c) return null;
  const list: Candidate[] = yamlSpec
    ? (c.kind === 'key' ? specKeyCandidates(c.path, c.siblings) : specValueCandidates(c.path, ctx.project.index)).map((x, i) => ({ ...x, rank: x.preselect ? 0 : 10 + i }))
    : candidates(ctx, file, text, c);
  if (list.length === 0) return null;
  const quoted = /^["']/.test(c.prefix);
  const items: CompletionItem[] = list.map((cand, i) => {
    let insert = cand.insert ?? (c.kind === 'key' ? `${scalarText(cand.label)}: ` : scalarText(cand.label));
    if (quoted && c.kind !== 'key' && !/^["']/.test(insert)) insert = JSON.stringify(cand.label);
    const item: CompletionItem = {
      label: cand.label,
      kind: cand.kind,
      detail: cand.detail,
      sortText: `${String(cand.rank).padStart(4, '0')}-${String(i).padStart(4, '0')}`,
      filterText: quoted ? insert : cand.label,
      textEdit: { range: c.range, newText: insert },
      insertTextFormat: InsertTextFormat.PlainText,
    };
    if (cand.doc) item.documentation = { kind: MarkupKind.Markdown, value: cand.doc };
    if (cand.preselect) item.preselect = true;
    if (cand.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
    return item;
  });
  return { isIncomplete: false, items };
}
