/**
 * Which objects reach which workloads: Service and PodDisruptionBudget selectors, VPA and HPA target refs, Velero
 * hook label selectors, Chaos Mesh selectors; and the containers that VPA policies and Velero hooks name.
 * Definition, references and code lens read these.
 */
import {
  chaosExperimentOf,
  isVelero,
  selectorMatches,
  targetRefOf,
  toLabelSelector,
  type Container,
  type LabelSelector,
  type Workload,
} from '../engine/model';
import type { NodePath, Resource } from '../engine/resource';
import type { WorkspaceIndex } from '../engine/workspace';

export type LinkKind = 'service-selector' | 'pdb-selector' | 'target-ref' | 'hook-selector' | 'chaos-selector';

export interface Link {
  kind: LinkKind;
  from: Resource;
  /** Where the selector or reference is written in `from`. */
  path: NodePath;
  /** The workloads it reaches. */
  targets: Workload[];
  /** Containers named beside the link (VPA containerPolicies, hook exec containers), with their paths in `from`. */
  containers: Array<{ name: string; path: NodePath }>;
}

function asRecord(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

function matching(index: WorkspaceIndex, namespaces: ((ns: string) => boolean), sel: LabelSelector | undefined, self: Resource): Workload[] {
  if (!sel) return [];
  return index.workloads().filter((w) => w.resource !== self && namespaces(w.resource.namespace) && selectorMatches(sel, w.podLabels));
}

/** Velero's namespace filter: included (absent or `*` = all) minus excluded. */
function veleroNamespaces(included: string[] | undefined, excluded: string[] | undefined, fallback?: (ns: string) => boolean): (ns: string) => boolean {
  const inc = included && included.length > 0 && !included.includes('*') ? new Set(included) : undefined;
  const exc = new Set(excluded ?? []);
  return (ns) => !exc.has(ns) && (inc ? inc.has(ns) : fallback ? fallback(ns) : true);
}

const TARGET_REF_PATHS: Record<string, NodePath> = {
  VerticalPodAutoscaler: ['spec', 'targetRef'],
  HorizontalPodAutoscaler: ['spec', 'scaleTargetRef'],
};

const cache = new WeakMap<WorkspaceIndex, { generation: number; all: Link[]; byResource: Map<Resource, Link[]> }>();

function linkTable(index: WorkspaceIndex) {
  let entry = cache.get(index);
  if (!entry || entry.generation !== index.generation) {
    const all: Link[] = [];
    const byResource = new Map<Resource, Link[]>();
    for (const res of index.resources()) {
      const links = computeLinks(index, res);
      if (links.length === 0) continue;
      all.push(...links);
      byResource.set(res, links);
    }
    entry = { generation: index.generation, all, byResource };
    cache.set(index, entry);
  }
  return entry;
}

/** The links written in one resource. */
export function linksOf(index: WorkspaceIndex, res: Resource): Link[] {
  return linkTable(index).byResource.get(res) ?? [];
}

function computeLinks(index: WorkspaceIndex, res: Resource): Link[] {
  const out: Link[] = [];
  const sameNs = (ns: string) => ns === res.namespace;
  if (res.kind === 'Service' && res.apiVersion === 'v1') {
    const raw = asRecord(res.get(['spec', 'selector']));
    if (raw && Object.keys(raw).length > 0) {
      out.push({ kind: 'service-selector', from: res, path: ['spec', 'selector'], targets: matching(index, sameNs, toLabelSelector(raw, true), res), containers: [] });
    }
  }
  if (res.kind === 'PodDisruptionBudget') {
    const raw = asRecord(res.get(['spec', 'selector']));
    if (raw) out.push({ kind: 'pdb-selector', from: res, path: ['spec', 'selector'], targets: matching(index, sameNs, toLabelSelector(raw), res), containers: [] });
  }
  const refPath = TARGET_REF_PATHS[res.kind];
  if (refPath) {
    const ref = targetRefOf(res, refPath);
    if (ref) {
      const targets = index.workloads().filter((w) => w.resource.kind === ref.kind && w.resource.name === ref.name && w.resource.namespace === res.namespace);
      const containers: Link['containers'] = [];
      const policies = res.get(['spec', 'resourcePolicy', 'containerPolicies']);
      if (res.kind === 'VerticalPodAutoscaler' && Array.isArray(policies)) {
        policies.forEach((p, i) => {
          if (typeof p?.containerName === 'string') containers.push({ name: p.containerName, path: ['spec', 'resourcePolicy', 'containerPolicies', i, 'containerName'] });
        });
      }
      out.push({ kind: 'target-ref', from: res, path: refPath, targets, containers });
    }
  }
  if (isVelero(res) && (res.kind === 'Schedule' || res.kind === 'Backup')) {
    const base: NodePath = res.kind === 'Schedule' ? ['spec', 'template'] : ['spec'];
    const template = asRecord(res.get(base)) ?? {};
    const backupNs = veleroNamespaces(strings(template.includedNamespaces), strings(template.excludedNamespaces));
    const hooks = res.get([...base, 'hooks', 'resources']);
    if (Array.isArray(hooks)) {
      hooks.forEach((hook, i) => {
        const h = asRecord(hook);
        if (!h) return;
        const hookPath: NodePath = [...base, 'hooks', 'resources', i];
        const namespaces = veleroNamespaces(strings(h.includedNamespaces), strings(h.excludedNamespaces), backupNs);
        const sel = h.labelSelector === undefined ? { matchLabels: {}, matchExpressions: [] } : toLabelSelector(h.labelSelector);
        const containers: Link['containers'] = [];
        for (const phase of ['pre', 'post'] as const) {
          const list = h[phase];
          if (!Array.isArray(list)) continue;
          list.forEach((entry, j) => {
            const c = entry?.exec?.container;
            if (typeof c === 'string') containers.push({ name: c, path: [...hookPath, phase, j, 'exec', 'container'] });
          });
        }
        out.push({
          kind: 'hook-selector',
          from: res,
          path: h.labelSelector === undefined ? hookPath : [...hookPath, 'labelSelector'],
          targets: matching(index, namespaces, sel, res),
          containers,
        });
      });
    }
  }
  const exp = chaosExperimentOf(res);
  if (exp) {
    const selPath: NodePath = [...exp.specPath, 'selector'];
    const sel = asRecord(exp.spec.selector);
    if (sel && !asRecord(sel.pods)) {
      const nsList = strings(sel.namespaces);
      const namespaces = nsList && nsList.length > 0 ? (ns: string) => nsList.includes(ns) : sameNs;
      const labelSel: LabelSelector = {
        matchLabels: toLabelSelector({ matchLabels: sel.labelSelectors })?.matchLabels ?? {},
        matchExpressions: toLabelSelector({ matchExpressions: sel.expressionSelectors })?.matchExpressions ?? [],
      };
      out.push({ kind: 'chaos-selector', from: res, path: selPath, targets: matching(index, namespaces, labelSel, res), containers: [] });
    }
  }
  return out;
}

/** Every link of the workspace. */
export function allLinks(index: WorkspaceIndex): Link[] {
  return linkTable(index).all;
}

/** Links that reach a workload. */
export function linksTo(index: WorkspaceIndex, w: Workload): Link[] {
  return allLinks(index).filter((l) => l.targets.some((t) => t.resource === w.resource));
}

/** The containers of a workload with a given name (init containers included). */
export function containersNamed(w: Workload, name: string): Container[] {
  return [...w.containers, ...w.initContainers].filter((c) => c.name === name);
}


/** A short description of a link for hovers and reference lists. */
export function describeLink(l: Link): string {
  switch (l.kind) {
    case 'service-selector':
      return `Service ${l.from.namespace}/${l.from.name} selects its pods`;
    case 'pdb-selector':
      return `PodDisruptionBudget ${l.from.namespace}/${l.from.name} protects its pods`;
    case 'target-ref':
      return `${l.from.kind} ${l.from.namespace}/${l.from.name} targets it`;
    case 'hook-selector':
      return `Velero ${l.from.kind} ${l.from.name} runs backup hooks in its pods`;
    case 'chaos-selector':
      return `${l.from.kind} ${l.from.namespace}/${l.from.name} injects faults into its pods`;
  }
}
