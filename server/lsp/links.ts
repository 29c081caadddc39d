/**
 * Which objects reach which workloads: Service and PodDisruptionBudget selectors, VPA and HPA target refs, Velero
 * hook label selectors, Chaos Mesh selectors; and the containers that VPA policies and Velero hooks name.
 * Definition, references and code lens read these.
 */
import { containerPoliciesOf, findTarget, hpaTargetRef, isHpa, isVpa, vpaTargetRef } from '../engine/autoscaling';
import { chaosPodSelectors, selectedWorkloads } from '../engine/chaos';
import { toLabelSelector, type Container, type Workload } from '../engine/model';
import { selectsPodsOf, serviceOf, workloadsSelectedBy } from '../engine/selection';
import { hookResourcesOf, veleroBackupOf, workloadsOfHook } from '../engine/velero';
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

/** The links written in one resource, read with the engine's own models (the rules see the same). */
function computeLinks(index: WorkspaceIndex, res: Resource): Link[] {
  const out: Link[] = [];
  const svc = serviceOf(res);
  if (svc?.selector) {
    out.push({ kind: 'service-selector', from: res, path: svc.selectorPath, targets: workloadsSelectedBy(svc, index), containers: [] });
  }
  if (res.kind === 'PodDisruptionBudget' && res.group === 'policy') {
    const sel = toLabelSelector(asRecord(res.get(['spec', 'selector'])));
    if (sel) {
      const targets = index.workloadsIn(res.namespace).filter((w) => selectsPodsOf(sel, w));
      out.push({ kind: 'pdb-selector', from: res, path: ['spec', 'selector'], targets, containers: [] });
    }
  }
  const ref = isVpa(res) ? vpaTargetRef(res) : isHpa(res) ? hpaTargetRef(res) : undefined;
  if (ref) {
    const target = findTarget(index, res.namespace, ref);
    const containers = isVpa(res)
      ? containerPoliciesOf(res).flatMap((p) => (p.containerName !== undefined ? [{ name: p.containerName, path: [...p.path, 'containerName'] }] : []))
      : [];
    out.push({ kind: 'target-ref', from: res, path: isVpa(res) ? ['spec', 'targetRef'] : ['spec', 'scaleTargetRef'], targets: target ? [target] : [], containers });
  }
  const backup = veleroBackupOf(res);
  if (backup) {
    for (const h of hookResourcesOf(backup)) {
      const containers = [...h.pre, ...h.post].flatMap((e) => (e.container !== undefined ? [{ name: e.container, path: [...e.path, 'container'] }] : []));
      out.push({ kind: 'hook-selector', from: res, path: h.labelSelector ? h.labelSelectorPath : h.path, targets: workloadsOfHook(h, index.workloads()), containers });
    }
  }
  for (const sel of chaosPodSelectors(res)) {
    out.push({ kind: 'chaos-selector', from: res, path: sel.path, targets: selectedWorkloads(index, sel), containers: [] });
  }
  return out;
}

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

/**
 * The links written in one resource. Computed for that resource alone unless the table of the current index is at
 * hand: building the table reads the whole workspace, which a hover or a go-to-definition after an edit (or during
 * the first scan, when the index changes all the time) must not wait for.
 */
export function linksOf(index: WorkspaceIndex, res: Resource): Link[] {
  const entry = cache.get(index);
  if (entry && entry.generation === index.generation) return entry.byResource.get(res) ?? [];
  return computeLinks(index, res);
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
