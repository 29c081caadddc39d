/**
 * Shared lookups over the workspace index for rules: workloads by namespace and pod label, objects by kind and name,
 * resources by folder. Each is a view (deps.ts): built once per index generation, answered without scanning the
 * workspace, and recorded as a dependency of no more than what was asked, so that an edit re-runs only the rules
 * whose answers it can change.
 */
import * as path from 'node:path';
import { defineView, memoize } from './deps';
import { workloadOf, type LabelSelector, type Workload } from './model';
import type { Resource } from './resource';
import { asSelector, RUNTIME_POD_LABELS, selectsPodsOf, serviceOf, type ServiceInfo } from './selection';
import type { WorkspaceIndex } from './workspace';

const SEP = '\u0000';
const NAME = '\u0001';

/**
 * Workloads filed by namespace (`ns␀`), by namespace and name (`ns␁name`), by namespace and pod label
 * (`ns␀key␀value`), and by pod label alone (`␀key␀value`).
 */
const PODS = defineView<Workload>('pods', (res) => {
  const w = workloadOf(res);
  if (!w) return undefined;
  const ns = res.namespace;
  const out: Array<[string, Workload]> = [[`${ns}${SEP}`, w], [`${ns}${NAME}${res.name}`, w]];
  for (const [k, v] of Object.entries(w.podLabels)) out.push([`${ns}${SEP}${k}${SEP}${v}`, w], [`${SEP}${k}${SEP}${v}`, w]);
  return out;
});

/** The workloads of some namespaces whose pod template carries `app: <app>` or that are named `name`, in index order. */
export function workloadsWithAppOrName(index: WorkspaceIndex, namespaces: readonly string[], app: string, name: string): Workload[] {
  return PODS.getMany(index, namespaces.flatMap((ns) => [`${ns}${SEP}app${SEP}${app}`, `${ns}${NAME}${name}`]));
}

/** A label every pod a selector selects must carry (the first of its matchLabels not in `skip`), to look candidates up by. */
export function pivotOf(sel: LabelSelector | undefined, skip?: ReadonlySet<string>): [string, string] | undefined {
  if (!sel) return undefined;
  for (const [k, v] of Object.entries(sel.matchLabels)) if (!skip?.has(k)) return [k, v];
  return undefined;
}

/**
 * The workloads of some namespaces (every namespace when undefined) whose pod template carries the `pivot` label
 * (any workload when undefined), in index order. Callers filter the candidates with their own test.
 */
export function workloadsWhere(index: WorkspaceIndex, namespaces: readonly string[] | undefined, pivot?: readonly [string, string]): Workload[] {
  if (namespaces === undefined) return pivot ? PODS.getMany(index, [`${SEP}${pivot[0]}${SEP}${pivot[1]}`]) : index.workloads().slice();
  return PODS.getMany(index, namespaces.map((ns) => (pivot ? `${ns}${SEP}${pivot[0]}${SEP}${pivot[1]}` : `${ns}${SEP}`)));
}

/** Every resource filed by kind, namespace and name (`Kind␀ns␀name`), and by kind and name in any namespace (`Kind␀␀name␀`). */
const NAMED = defineView<Resource>('named', (res) => [
  [`${res.kind}${SEP}${res.namespace}${SEP}${res.name}`, res],
  [`${res.kind}${SEP}${SEP}${res.name}${SEP}`, res],
]);

/** The resources of a kind, namespace and name (duplicates and other API groups included), in index order. */
export function resourcesNamed(index: WorkspaceIndex, kind: string, namespace: string, name: string): readonly Resource[] {
  return NAMED.get(index, `${kind}${SEP}${namespace}${SEP}${name}`);
}

/** The resources of a kind and name in every namespace, in index order. */
export function resourcesNamedAnywhere(index: WorkspaceIndex, kind: string, name: string): readonly Resource[] {
  return NAMED.get(index, `${kind}${SEP}${SEP}${name}${SEP}`);
}

/** Every resource filed under each folder above its file. */
const UNDER = defineView<Resource>('under', (res) => {
  const out: Array<[string, Resource]> = [];
  for (let dir = path.dirname(res.file); ; dir = path.dirname(dir)) {
    out.push([dir, res]);
    if (path.dirname(dir) === dir) break;
  }
  return out;
});

/** The resources of the files in a folder and below it, in index order. */
export function resourcesUnder(index: WorkspaceIndex, folder: string): readonly Resource[] {
  return UNDER.get(index, folder);
}

const RUNTIME_KEYS: ReadonlySet<string> = new Set(Object.values(RUNTIME_POD_LABELS).flat());

/** Services with a selector, filed by namespace and the first label of their selector a pod template must carry. */
const SERVICES = defineView<ServiceInfo>('services', (res) => {
  const svc = serviceOf(res);
  if (!svc?.selector) return undefined;
  const pivot = pivotOf(asSelector(svc.selector), RUNTIME_KEYS);
  return [[pivot ? `${res.namespace}${SEP}${pivot[0]}${SEP}${pivot[1]}` : `${res.namespace}${SEP}`, svc]];
});

/** The workloads of a namespace whose pods a selector selects (selectsPodsOf), in index order: PodIndex.selectedBy. */
export function podsSelectedBy(index: WorkspaceIndex, namespace: string, sel: LabelSelector): Workload[] {
  // Memoized: n copies of one workload ask n times.
  const found = memoize(index, `podsSelectedBy${SEP}${namespace}${SEP}${JSON.stringify(sel)}`, () =>
    workloadsWhere(index, [namespace], pivotOf(sel, RUNTIME_KEYS)).filter((w) => selectsPodsOf(sel, w)));
  return found.slice();
}

/** The Services (with a selector) whose selector reaches a workload's pods, in index order: PodIndex.servicesSelecting. */
export function servicesSelecting(index: WorkspaceIndex, w: Workload): ServiceInfo[] {
  const ns = w.resource.namespace;
  // The answer depends on the namespace, the pod labels and the kind (labels its controller adds): memoized by them.
  const found = memoize(index, `servicesSelecting${SEP}${w.resource.kind}${SEP}${ns}${SEP}${JSON.stringify(w.podLabels)}`, () => {
    const keys = [`${ns}${SEP}`];
    for (const [k, v] of Object.entries(w.podLabels)) keys.push(`${ns}${SEP}${k}${SEP}${v}`);
    return SERVICES.getMany(index, keys).filter((svc) => selectsPodsOf(asSelector(svc.selector!), w));
  });
  return found.slice();
}
