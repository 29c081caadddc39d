/**
 * Velero backups as opex reads them: Schedules (`spec.template` is a BackupSpec) and Backups (`spec` is one),
 * the namespaces and resources they back up, their exec hooks (in the spec and as pod annotations), and which
 * of them belong to a spec's service.
 *
 * Facts from Velero's source (vmware-tanzu/velero): namespaces and resources are include/exclude lists where
 * an empty include list or `*` means everything and an exclude wins; namespace entries are glob patterns;
 * hooks run only for pods that the backup itself backs up (internal/hook/item_hook_handler.go runs for the
 * `pods` resource as each pod is backed up); a pod's hook annotations (`pre.hook.backup.velero.io/command`,
 * or the legacy `hook.backup.velero.io/command` for the pre phase) take priority over the backup's hooks for
 * that pod; an exec hook with no container runs in the pod's first container, with no timeout waits 30s, and
 * with no onError fails the backup (pkg/podexec/pod_command_executor.go).
 */
import * as path from 'node:path';
import * as YAML from 'yaml';
import { defineView } from './deps';
import { formatGoDuration, parseGoDuration } from './duration';
import { selectorMatches, toLabels, toLabelSelector, workloadOf, type LabelSelector, type Labels, type Workload } from './model';
import type { NodePath, Resource } from './resource';
import type { LoadedSpec, OpexSpec } from './spec/types';
import type { Range, RelatedInformation, TextEdit } from './types';
import { pivotOf, resourcesUnder, workloadsWhere } from './views';
import type { WorkspaceIndex } from './workspace';

/** Velero's default exec hook timeout. */
export const DEFAULT_HOOK_TIMEOUT = 30;
/** Velero's default backup ttl (the server's --default-backup-ttl). */
export const DEFAULT_BACKUP_TTL = 720 * 3600;

export const HOOK_ANNOTATION = {
  prefix: (phase: 'pre' | 'post', legacy = false) => (legacy ? 'hook.backup.velero.io/' : `${phase}.hook.backup.velero.io/`),
};

function asRecord(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
}

/** A Velero Schedule or Backup, with the BackupSpec it runs. */
export interface VeleroBackup {
  resource: Resource;
  kind: 'Schedule' | 'Backup';
  /** Path of the BackupSpec: ['spec', 'template'] for a Schedule, ['spec'] for a Backup. */
  specPath: NodePath;
  spec: Record<string, any>;
  /** includedNamespaces as written; undefined (absent or empty) means every namespace. */
  includedNamespaces: string[] | undefined;
  excludedNamespaces: string[];
  /** Schedule only: spec.schedule as written. */
  cron: unknown;
  paused: boolean;
}

/** The Velero view of a resource (velero.io Schedule or Backup); undefined for anything else. */
export function veleroBackupOf(res: Resource): VeleroBackup | undefined {
  if (res.group !== 'velero.io' || (res.kind !== 'Schedule' && res.kind !== 'Backup')) return undefined;
  return res.derive('velero-backup', () => {
    const isSchedule = res.kind === 'Schedule';
    const specPath: NodePath = isSchedule ? ['spec', 'template'] : ['spec'];
    const spec = asRecord(res.get(specPath)) ?? {};
    const included = stringList(spec.includedNamespaces);
    return {
      resource: res,
      kind: res.kind as 'Schedule' | 'Backup',
      specPath,
      spec,
      includedNamespaces: included && included.length > 0 ? included : undefined,
      excludedNamespaces: stringList(spec.excludedNamespaces) ?? [],
      cron: isSchedule ? res.get(['spec', 'schedule']) : undefined,
      paused: isSchedule && res.get(['spec', 'paused']) === true,
    } satisfies VeleroBackup;
  });
}

/** Every Velero Schedule and Backup of the workspace. */
export function veleroBackups(index: WorkspaceIndex): VeleroBackup[] {
  const out: VeleroBackup[] = [];
  for (const kind of ['Schedule', 'Backup']) {
    for (const res of index.byKind(kind)) {
      const v = veleroBackupOf(res);
      if (v) out.push(v);
    }
  }
  return out;
}

export function veleroSchedules(index: WorkspaceIndex): VeleroBackup[] {
  return veleroBackups(index).filter((v) => v.kind === 'Schedule');
}

/** Schedules and Backups filed by the namespaces they name, or under `*` when they reach all or use patterns. */
const BACKUPS_BY_NAMESPACE = defineView<VeleroBackup>('velero-ns', (res) => {
  const b = veleroBackupOf(res);
  if (!b) return undefined;
  const named = concreteNamespaces(b.includedNamespaces);
  return named ? named.map((ns) => [ns, b] as const) : [['*', b] as const];
});

/** The Schedules and Backups that back up a namespace: veleroBackups(index) that cover it, in the same order. */
export function backupsCovering(index: WorkspaceIndex, ns: string): VeleroBackup[] {
  const list = BACKUPS_BY_NAMESPACE.getMany(index, [ns, '*']).filter((b) => coversNamespace(b, ns));
  return [...list.filter((b) => b.kind === 'Schedule'), ...list.filter((b) => b.kind === 'Backup')];
}

/** The Schedules that back up a namespace: veleroSchedules(index) that cover it, in the same order. */
export function schedulesCovering(index: WorkspaceIndex, ns: string): VeleroBackup[] {
  return backupsCovering(index, ns).filter((b) => b.kind === 'Schedule');
}

/**
 * The resources a spec governs, in index order: those of the files in its folder and below whose nearest spec it
 * is, or every resource a spec given explicitly governs.
 */
export function governedResources(index: WorkspaceIndex, loaded: LoadedSpec, specFor: (file: string) => LoadedSpec | undefined): Resource[] {
  const folder = path.dirname(loaded.file);
  // A spec that governs a file outside its folder governs them all (--spec, the opex.spec setting).
  const everywhere = specFor(path.join(path.parse(folder).root, '.opex-outside-every-folder', 'file.yaml'))?.file === loaded.file;
  const candidates = everywhere ? index.resources() : resourcesUnder(index, folder);
  return candidates.filter((r) => specFor(r.file)?.file === loaded.file);
}

/** The Schedules a spec governs (see governedResources), in index order. */
export function governedSchedules(index: WorkspaceIndex, loaded: LoadedSpec, specFor: (file: string) => LoadedSpec | undefined): VeleroBackup[] {
  const out: VeleroBackup[] = [];
  for (const res of governedResources(index, loaded, specFor)) {
    const b = veleroBackupOf(res);
    if (b?.kind === 'Schedule') out.push(b);
  }
  return out;
}

/** Workloads with backup hook annotations, filed by namespace and under '' (all). */
const ANNOTATED = defineView<Workload>('velero-annotated', (res) => {
  const w = workloadOf(res);
  if (!w || annotationHooksOf(w).length === 0) return undefined;
  return [[res.namespace, w], ['', w]];
});

/** Workloads whose pods carry backup hook annotations and that the backup covers, in index order. */
export function annotatedWorkloadsCoveredBy(index: WorkspaceIndex, b: VeleroBackup): Workload[] {
  const named = concreteNamespaces(b.includedNamespaces);
  const candidates = named ? ANNOTATED.getMany(index, named) : ANNOTATED.get(index, '');
  return candidates.filter((w) => coversNamespace(b, w.resource.namespace));
}

const globCache = new Map<string, RegExp>();

/** Velero's namespace patterns (gobwas/glob): `*`, `?`, `[a-z]`, `{a,b}`. */
export function globMatch(pattern: string, text: string): boolean {
  if (!/[*?[{]/.test(pattern)) return pattern === text;
  let re = globCache.get(pattern);
  if (!re) {
    let src = '';
    let inBraces = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '*') src += '.*';
      else if (c === '?') src += '.';
      else if (c === '[') {
        const close = pattern.indexOf(']', i + 1);
        if (close < 0) src += '\\[';
        else {
          const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
          src += `[${body}]`;
          i = close;
        }
      } else if (c === '{') {
        inBraces++;
        src += '(?:';
      } else if (c === '}' && inBraces > 0) {
        inBraces--;
        src += ')';
      } else if (c === ',' && inBraces > 0) src += '|';
      else src += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    }
    try {
      re = new RegExp(`^${src}${')'.repeat(inBraces)}$`);
    } catch {
      re = /^(?!)$/;
    }
    globCache.set(pattern, re);
  }
  return re.test(text);
}

/** Velero's IncludesExcludes for namespaces: excludes win; no includes or `*` means all. */
export function includesNamespace(included: readonly string[] | undefined, excluded: readonly string[], ns: string): boolean {
  if (excluded.some((p) => globMatch(p, ns))) return false;
  return !included || included.length === 0 || included.includes('*') || included.some((p) => globMatch(p, ns));
}

export function coversNamespace(b: VeleroBackup, ns: string): boolean {
  return includesNamespace(b.includedNamespaces, b.excludedNamespaces, ns);
}

/** The namespaces a backup names explicitly (no patterns); undefined when it reaches all or a pattern. */
export function concreteNamespaces(included: readonly string[] | undefined): string[] | undefined {
  if (!included || included.length === 0 || included.some((p) => /[*?[{]/.test(p))) return undefined;
  return [...included];
}

const POD_NAMES = new Set(['pods', 'pod', 'po', 'pods.', 'pod.', 'pods.core', 'pods.v1']);

/** Does a resource-list entry name pods (as Velero's discovery helper resolves names, or as a glob)? */
export function namesPods(entry: string): boolean {
  const e = entry.toLowerCase();
  return POD_NAMES.has(e) || (/[*?[{]/.test(e) && globMatch(e, 'pods'));
}

export interface PodFilterProblem {
  /** The list that leaves pods out. */
  field: 'excludedResources' | 'includedResources' | 'excludedNamespaceScopedResources' | 'includedNamespaceScopedResources';
  path: NodePath;
  /** For an exclusion, the index of the entry that names pods. */
  index?: number;
}

/** Why a BackupSpec's resource filters leave pods out, if they do. */
export function podsFilteredOut(b: VeleroBackup): PodFilterProblem | undefined {
  for (const field of ['excludedResources', 'excludedNamespaceScopedResources'] as const) {
    const list = b.spec[field];
    if (!Array.isArray(list)) continue;
    const index = list.findIndex((e) => typeof e === 'string' && namesPods(e));
    if (index >= 0) return { field, path: [...b.specPath, field], index };
  }
  for (const field of ['includedResources', 'includedNamespaceScopedResources'] as const) {
    const list = b.spec[field];
    if (!Array.isArray(list) || list.length === 0) continue;
    if (!list.some((e) => typeof e === 'string' && (e === '*' || namesPods(e)))) return { field, path: [...b.specPath, field] };
  }
  return undefined;
}

/** Does the backup's own label filter (labelSelector / orLabelSelectors) back up pods with these labels? */
export function backupSelectsLabels(b: VeleroBackup, labels: Labels): boolean {
  const single = asRecord(b.spec.labelSelector);
  const ors = Array.isArray(b.spec.orLabelSelectors) ? b.spec.orLabelSelectors.map((s: unknown) => toLabelSelector(s)).filter(Boolean) as LabelSelector[] : [];
  if (single) {
    const sel = toLabelSelector(single);
    if (sel && selectorMatches(sel, labels)) return true;
    return ors.some((s) => selectorMatches(s, labels));
  }
  if (ors.length > 0) return ors.some((s) => selectorMatches(s, labels));
  return true;
}

export interface ExecHook {
  phase: 'pre' | 'post';
  /** Path of the `exec` map. */
  path: NodePath;
  exec: Record<string, any>;
  container: string | undefined;
  onError: unknown;
  timeout: unknown;
}

export interface HookResource {
  backup: VeleroBackup;
  index: number;
  /** Path of the item in hooks.resources. */
  path: NodePath;
  name: string;
  includedNamespaces: string[] | undefined;
  excludedNamespaces: string[];
  /** The hook's labelSelector; undefined when absent (every pod). */
  labelSelector: LabelSelector | undefined;
  labelSelectorPath: NodePath;
  /** Does the hook's own resource filter leave pods in? */
  appliesToPods: boolean;
  pre: ExecHook[];
  post: ExecHook[];
}

function execHooks(b: VeleroBackup, item: Record<string, any>, itemPath: NodePath, phase: 'pre' | 'post'): ExecHook[] {
  const list = item[phase];
  if (!Array.isArray(list)) return [];
  const out: ExecHook[] = [];
  list.forEach((h: unknown, i: number) => {
    const exec = asRecord(asRecord(h)?.exec);
    if (!exec) return;
    out.push({
      phase,
      path: [...itemPath, phase, i, 'exec'],
      exec,
      container: typeof exec.container === 'string' && exec.container !== '' ? exec.container : undefined,
      onError: exec.onError,
      timeout: exec.timeout,
    });
  });
  void b;
  return out;
}

/** The hooks.resources of a backup. */
export function hookResourcesOf(b: VeleroBackup): HookResource[] {
  return b.resource.derive('velero-hooks', () => {
    const list = asRecord(b.spec.hooks)?.resources;
    if (!Array.isArray(list)) return [];
    const out: HookResource[] = [];
    list.forEach((raw: unknown, index: number) => {
      const item = asRecord(raw);
      if (!item) return;
      const path: NodePath = [...b.specPath, 'hooks', 'resources', index];
      const included = stringList(item.includedNamespaces);
      const incRes = stringList(item.includedResources) ?? [];
      const excRes = stringList(item.excludedResources) ?? [];
      const appliesToPods = !excRes.some(namesPods) && (incRes.length === 0 || incRes.includes('*') || incRes.some(namesPods));
      out.push({
        backup: b,
        index,
        path,
        name: typeof item.name === 'string' ? item.name : `#${index + 1}`,
        includedNamespaces: included && included.length > 0 ? included : undefined,
        excludedNamespaces: stringList(item.excludedNamespaces) ?? [],
        labelSelector: item.labelSelector == null ? undefined : toLabelSelector(item.labelSelector),
        labelSelectorPath: [...path, 'labelSelector'],
        appliesToPods,
        pre: execHooks(b, item, path, 'pre'),
        post: execHooks(b, item, path, 'post'),
      });
    });
    return out;
  });
}

/** Can the hook run on pods of this namespace (backed up by its backup, and within the hook's namespaces)? */
export function hookReachesNamespace(h: HookResource, ns: string): boolean {
  return coversNamespace(h.backup, ns) && includesNamespace(h.includedNamespaces, h.excludedNamespaces, ns);
}

/** Does the hook's labelSelector select pods with these labels? (No selector: every pod.) */
export function hookSelects(h: HookResource, labels: Labels): boolean {
  return !h.labelSelector || selectorMatches(h.labelSelector, labels);
}

/**
 * Could the selector select pods that carry at least `known` labels? Keys the known labels do not mention are
 * given the benefit of the doubt: used when the database's pods are not in the workspace and only the spec's
 * selector is known.
 */
export function selectorCompatible(sel: LabelSelector | undefined, known: Labels): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels)) if (k in known && known[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = e.key in known;
    const values = e.values ?? [];
    if (e.operator === 'In' && has && !values.includes(known[e.key])) return false;
    if (e.operator === 'NotIn' && has && values.includes(known[e.key])) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * Workloads of the workspace whose pods a hook can run on (namespaces, resource filter and selector): given every
 * workload, or the index to look them up in (same answer, in index order).
 */
export function workloadsOfHook(h: HookResource, workloads: readonly Workload[] | WorkspaceIndex): Workload[] {
  if (!h.appliesToPods) return [];
  const candidates = Array.isArray(workloads)
    ? workloads
    : workloadsWhere(workloads as WorkspaceIndex, concreteNamespaces(h.includedNamespaces) ?? concreteNamespaces(h.backup.includedNamespaces), pivotOf(h.labelSelector));
  return candidates.filter((w) => hookReachesNamespace(h, w.resource.namespace) && hookSelects(h, w.podLabels));
}

/** The container an exec hook runs in on a workload's pods: the named one, else the first container. */
export function hookContainer(hookContainerName: string | undefined, w: Workload): string | undefined {
  return hookContainerName ?? w.containers[0]?.name;
}

// ---------------------------------------------------------------------------------------------------------
// Annotation hooks

export interface AnnotationHook {
  workload: Workload;
  phase: 'pre' | 'post';
  /** The annotation prefix in use (`pre.hook.backup.velero.io/` or the legacy `hook.backup.velero.io/`). */
  prefix: string;
  annotationsPath: NodePath;
  container: string | undefined;
  onError: string | undefined;
  timeout: string | undefined;
}

/** The backup hooks a workload's pod template declares with annotations (the command annotation must be set). */
export function annotationHooksOf(w: Workload): AnnotationHook[] {
  return w.resource.derive('velero-annotation-hooks', () => {
    const annotationsPath: NodePath = [...w.templatePath, 'metadata', 'annotations'];
    const ann = toLabels(w.resource.get(annotationsPath));
    const out: AnnotationHook[] = [];
    const read = (phase: 'pre' | 'post', prefix: string) => {
      if (!ann[`${prefix}command`]) return false;
      out.push({
        workload: w,
        phase,
        prefix,
        annotationsPath,
        container: ann[`${prefix}container`] || undefined,
        onError: ann[`${prefix}on-error`],
        timeout: ann[`${prefix}timeout`],
      });
      return true;
    };
    if (!read('pre', 'pre.hook.backup.velero.io/')) read('pre', 'hook.backup.velero.io/');
    read('post', 'post.hook.backup.velero.io/');
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------------
// The spec's service and database

/**
 * The workloads of the spec's namespace whose pods the spec's database selector matches: among every workload, or
 * looked up in the index (same answer, in index order).
 */
export function databaseWorkloads(spec: OpexSpec, workloads: readonly Workload[] | WorkspaceIndex): Workload[] {
  const db = spec.recovery?.database;
  if (!db || Object.keys(db.selector).length === 0) return [];
  const sel: LabelSelector = { matchLabels: db.selector, matchExpressions: [] };
  const candidates = Array.isArray(workloads) ? workloads : workloadsWhere(workloads as WorkspaceIndex, [spec.namespace], pivotOf(sel));
  return candidates.filter((w) => w.resource.namespace === spec.namespace && selectorMatches(sel, w.podLabels));
}

/**
 * Does a hook (by namespaces, resource filter and selector) run on the spec's database pods? When the database's
 * workloads are in the workspace, their pod labels decide. When they are not, only the spec's selector is known:
 * `possibly` gives the hook the benefit of the doubt (a selector on labels the spec does not mention may still match,
 * so a hook is not reported missing), `surely` asks that the spec's labels alone satisfy the selector (so a
 * setting of some other hook is not blamed on the database).
 */
export function hookTargetsDatabase(h: HookResource, spec: OpexSpec, dbWorkloads: readonly Workload[], certainty: 'possibly' | 'surely' = 'possibly'): boolean {
  const db = spec.recovery?.database;
  if (!db || !h.appliesToPods || !hookReachesNamespace(h, spec.namespace)) return false;
  if (dbWorkloads.length > 0) return dbWorkloads.some((w) => hookSelects(h, w.podLabels));
  return certainty === 'surely' ? hookSelects(h, db.selector) : selectorCompatible(h.labelSelector, db.selector);
}

/** Is the file governed by this spec (it is the nearest spec, or the one given explicitly)? */
export function governedBy(specFor: (file: string) => LoadedSpec | undefined, res: Resource, loaded: LoadedSpec): boolean {
  return specFor(res.file)?.file === loaded.file;
}

/**
 * Signs that a Schedule was written for the spec's service even though it misses the namespace: it sits under
 * the spec (the spec governs its folder) and its name mentions the service, its labels (or its backups' labels)
 * carry `app: <service>`, or one of its hooks aims at the spec's database.
 */
export function meantForService(b: VeleroBackup, loaded: LoadedSpec, specFor: (file: string) => LoadedSpec | undefined): boolean {
  if (!governedBy(specFor, b.resource, loaded)) return false;
  const spec = loaded.spec;
  const names = new Set([spec.service, spec.costLabels.app].filter((x): x is string => Boolean(x)).map((x) => x.toLowerCase()));
  if ([...names].some((n) => b.resource.name.toLowerCase().includes(n))) return true;
  const labels = { ...toLabels(b.resource.get(['metadata', 'labels'])), ...toLabels(asRecord(b.spec.metadata)?.labels) };
  if (Object.entries(labels).some(([k, v]) => (k === 'app' || k === 'app.kubernetes.io/name' || k === 'app.kubernetes.io/instance' || k === 'app.kubernetes.io/part-of') && names.has(v.toLowerCase()))) return true;
  const db = spec.recovery?.database;
  if (db && Object.keys(db.selector).length > 0) {
    return hookResourcesOf(b).some((h) => h.pre.length > 0 && h.labelSelector && Object.keys(h.labelSelector.matchLabels).length > 0 && selectorCompatible(h.labelSelector, db.selector) && Object.keys(db.selector).some((k) => k in h.labelSelector!.matchLabels));
  }
  return false;
}

/** Seconds of a Go duration value as Velero reads it (metav1.Duration); undefined when it is not one. */
export function durationSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (v.trim() !== v || v === '') return undefined;
  return parseGoDuration(v);
}

// ---------------------------------------------------------------------------------------------------------
// Edits

/** Replaces a scalar keeping its quoting style (plain, 'single' or "double"). */
export function replaceScalar(res: Resource, path: NodePath, value: string): TextEdit | undefined {
  const l = res.lookup(path);
  if (!l.found || !YAML.isScalar(l.node) || !l.node.range) return undefined;
  let text: string;
  if (l.node.type === 'QUOTE_DOUBLE') text = JSON.stringify(value);
  else if (l.node.type === 'QUOTE_SINGLE') text = `'${value.replace(/'/g, "''")}'`;
  else text = plainOrQuoted(value);
  return { file: res.file, range: res.nodeRange(l.node), newText: text };
}

/** A value as a plain scalar when YAML reads it back as the same string, else double-quoted. */
export function plainOrQuoted(value: string): string {
  try {
    const back = YAML.parse(`k: ${value}`, { version: '1.1', logLevel: 'error' }) as Record<string, unknown>;
    const back12 = YAML.parse(`k: ${value}`, { logLevel: 'error' }) as Record<string, unknown>;
    if (back?.k === value && back12?.k === value && !value.includes('#') && !/^\s|\s$/.test(value)) return value;
  } catch {
    // quoted below
  }
  return JSON.stringify(value);
}

/**
 * Removes one entry of a list. For the only entry of a block list, the whole `key:` entry goes (an empty
 * block list would read as null); a flow list keeps its brackets.
 */
export function removeListEntry(res: Resource, path: NodePath, index: number): TextEdit | undefined {
  const l = res.lookup(path);
  if (!l.found || !YAML.isSeq(l.node)) return undefined;
  const seq = l.node;
  const item = seq.items[index] as YAML.Node | undefined;
  if (!item?.range) return undefined;
  const lines = res.lines;
  if (seq.flow) {
    const next = seq.items[index + 1] as YAML.Node | undefined;
    const prev = seq.items[index - 1] as YAML.Node | undefined;
    if (next?.range) return { file: res.file, range: lines.range(item.range[0], next.range[0]), newText: '' };
    if (prev?.range) return { file: res.file, range: lines.range(prev.range[1], item.range[1]), newText: '' };
    return { file: res.file, range: lines.range(item.range[0], item.range[1]), newText: '' };
  }
  const lineOf = (offset: number) => lines.position(offset).line;
  const endOfContent = (node: YAML.Node) => {
    let end = node.range![1];
    while (end > node.range![0] && /\s/.test(lines.text[end - 1])) end--;
    return end;
  };
  if (seq.items.length === 1) {
    if (!l.key?.range) return undefined;
    const startLine = lineOf(l.key.range[0]);
    if (lines.lineText(startLine).slice(0, lines.position(l.key.range[0]).character).trim() !== '') return undefined;
    const endLine = lineOf(endOfContent(item));
    const start = lines.lineStarts[startLine];
    const end = endLine + 1 < lines.lineCount ? lines.lineStarts[endLine + 1] : lines.text.length;
    return { file: res.file, range: lines.range(start, end), newText: '' };
  }
  const startLine = lineOf(item.range[0]);
  const endLine = lineOf(endOfContent(item));
  const start = lines.lineStarts[startLine];
  const end = endLine + 1 < lines.lineCount ? lines.lineStarts[endLine + 1] : lines.text.length;
  return { file: res.file, range: lines.range(start, end), newText: '' };
}

// ---------------------------------------------------------------------------------------------------------
// Shared by the backup rules

/** Duration text as Velero users write it: whole seconds up to two minutes as seconds ("120s"), else Go's form ("5m", "720h"). */
export function durationText(seconds: number): string {
  if (Number.isInteger(seconds) && seconds > 0 && seconds <= 120) return `${seconds}s`;
  return formatGoDuration(seconds);
}

/** Related information for the first spec field of a list that the spec says where it was written. */
export function specFieldRelated(loaded: LoadedSpec, fields: readonly string[], message: string): RelatedInformation[] {
  for (const f of fields) {
    const range = loaded.locations[f];
    if (range) return [{ file: loaded.file, range, message }];
  }
  return [];
}

/** Where to report something about the spec as a whole: the first field of a list that it locates, else its first line. */
export function specRange(loaded: LoadedSpec, fields: readonly string[]): Range {
  for (const f of fields) {
    const range = loaded.locations[f];
    if (range) return range;
  }
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/**
 * The Schedule a fix for the spec's service should change, among several: one governed by the spec and meant for
 * its service, else one governed by it, else the first.
 */
export function primarySchedule(
  list: readonly VeleroBackup[],
  loaded: LoadedSpec,
  specFor: (file: string) => LoadedSpec | undefined,
): VeleroBackup | undefined {
  return list.find((b) => meantForService(b, loaded, specFor))
    ?? list.find((b) => governedBy(specFor, b.resource, loaded))
    ?? list[0];
}

/** A dump command for the database container, by what the database looks like (the chapter's pg_dump by default). */
export function dumpCommand(spec: OpexSpec, dbWorkloads: readonly Workload[]): string[] {
  const db = spec.recovery?.database;
  const images = dbWorkloads.flatMap((w) => {
    const list = w.resource.get([...w.templatePath, 'spec', 'containers']);
    return Array.isArray(list) ? list.map((c: any) => String(c?.image ?? '')) : [];
  });
  const hint = [db?.container ?? '', ...Object.values(db?.selector ?? {}), ...images].join(' ').toLowerCase();
  if (/mysql|mariadb/.test(hint)) {
    return ['/bin/sh', '-c', 'mysqldump --single-transaction --all-databases -uroot -p"$MYSQL_ROOT_PASSWORD" > /var/lib/mysql/backup.sql'];
  }
  if (/mongo/.test(hint)) return ['/bin/sh', '-c', 'mongodump --archive=/data/db/backup.archive'];
  return ['/bin/bash', '-c', 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" > /var/lib/postgresql/data/backup.sql'];
}

/** The hooks.resources item that runs the database dump before each backup, as the spec asks. */
export function databaseHookItem(spec: OpexSpec, dbWorkloads: readonly Workload[]): Record<string, unknown> | undefined {
  const db = spec.recovery?.database;
  if (!db) return undefined;
  const base = db.selector.app ?? db.selector['app.kubernetes.io/name'] ?? db.container;
  const name = `${String(base).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'database'}-consistency`;
  return {
    name,
    includedNamespaces: [spec.namespace],
    labelSelector: { matchLabels: { ...db.selector } },
    pre: [{
      exec: {
        container: db.container,
        command: dumpCommand(spec, dbWorkloads),
        onError: 'Fail',
        timeout: durationText(db.hookTimeout ?? 120),
      },
    }],
  };
}

/** A hook whose labelSelector matches no pod in the namespaces it names, and the workloads it was likely meant for. */
export interface UnmatchedHook {
  namespaces: string[];
  /** Workloads in those namespaces. */
  inReach: Workload[];
  /** Workloads in reach that look like the hook's target: a near-miss label value, a name or image naming the selector's value, or the spec's database. */
  intended: Workload[];
}

function imageName(image: unknown): string {
  const s = String(image ?? '').toLowerCase();
  const noTag = s.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  return noTag.slice(noTag.lastIndexOf('/') + 1);
}

function related(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3) return a === b;
  return a.includes(b) || b.includes(a) || (Math.abs(a.length - b.length) <= 2 && editDistanceAtMost(a, b, Math.max(1, Math.floor(Math.min(a.length, b.length) / 4))));
}

function editDistanceAtMost(a: string, b: string, max: number): boolean {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] <= max;
}

/**
 * Is this hook's selector unmatched where opex can tell? Only namespaces the hook or its backup names explicitly
 * are judged, and only when a workload there evidently was the target (pods made by a Helm chart or an operator
 * outside the workspace cannot be seen, so a selector that simply matches nothing here is no evidence).
 */
export function unmatchedHook(h: HookResource, workloads: readonly Workload[] | WorkspaceIndex, dbWorkloads: readonly Workload[] = []): UnmatchedHook | undefined {
  if (!h.appliesToPods || h.pre.length + h.post.length === 0 || !h.labelSelector) return undefined;
  const sel = h.labelSelector;
  if (Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0) return undefined;
  const named = concreteNamespaces(h.includedNamespaces) ?? concreteNamespaces(h.backup.includedNamespaces);
  if (!named) return undefined;
  const namespaces = named.filter((ns) => hookReachesNamespace(h, ns));
  if (!Array.isArray(workloads)) {
    // Matched by some pod template there: found by one of the selector's labels without reading the whole namespace.
    const pivot = pivotOf(sel);
    if (pivot && workloadsWhere(workloads as WorkspaceIndex, namespaces, pivot).some((w) => hookSelects(h, w.podLabels))) return undefined;
  }
  const inReach = (Array.isArray(workloads) ? workloads : workloadsWhere(workloads as WorkspaceIndex, namespaces)).filter((w) => namespaces.includes(w.resource.namespace));
  if (inReach.length === 0 || inReach.some((w) => hookSelects(h, w.podLabels))) return undefined;
  const values = [
    ...Object.values(sel.matchLabels),
    ...sel.matchExpressions.filter((e) => e.operator === 'In').flatMap((e) => e.values ?? []),
  ].map((v) => v.toLowerCase());
  const intended = inReach.filter((w) => {
    if (dbWorkloads.includes(w)) return true;
    for (const [k, v] of Object.entries(sel.matchLabels)) {
      const have = w.podLabels[k];
      if (have !== undefined && related(have.toLowerCase(), v.toLowerCase())) return true;
    }
    const list = w.resource.get([...w.templatePath, 'spec', 'containers']);
    const names = [w.resource.name.toLowerCase(), ...(Array.isArray(list) ? list.map((c: any) => imageName(c?.image)) : [])];
    return values.some((v) => names.some((n) => related(n, v)));
  });
  if (intended.length === 0) return undefined;
  return { namespaces, inReach, intended };
}
