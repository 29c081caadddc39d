/**
 * Chaos Mesh pod selectors as Chaos Mesh reads them: which namespaces an experiment can reach, which pods its
 * labels select, how many of them its mode takes, and whether its action lasts.
 */
import * as YAML from 'yaml';
import { chaosExperimentOf, selectorMatches, toLabelSelector, type ChaosExperiment, type LabelSelector, type Workload } from './model';
import type { NodePath, Resource } from './resource';
import { pivotOf, workloadsWhere } from './views';
import type { WorkspaceIndex } from './workspace';

/** Experiment kinds that select pods (the cloud and physical-machine kinds select other things). */
export const POD_SELECTOR_KINDS = new Set([
  'PodChaos', 'NetworkChaos', 'StressChaos', 'IOChaos', 'TimeChaos', 'KernelChaos', 'DNSChaos', 'HTTPChaos', 'JVMChaos', 'BlockChaos',
]);

export interface ChaosPodSelector {
  experiment: ChaosExperiment;
  /** `selector`: the pods the fault is injected into; `target`: the other side of a NetworkChaos. */
  role: 'selector' | 'target';
  /** Path of the PodSelector: where `mode`, `value` and `selector` are. */
  ownerPath: NodePath;
  /** Path of the selector map itself. */
  path: NodePath;
  /** selector.namespaces as written, when it is a non-empty list. */
  namespacesWritten: string[] | undefined;
  /**
   * The namespaces the selector can reach: the keys of `pods` when pods are listed by name, else `namespaces`,
   * else the experiment's own namespace (Chaos Mesh's webhook fills an empty list with it).
   */
  namespaces: string[];
  /** selector.pods (namespace → pod names), when given: Chaos Mesh then selects exactly those pods. */
  pods: Record<string, string[]> | undefined;
  /** labelSelectors and expressionSelectors together. */
  labels: LabelSelector;
  mode: string | undefined;
  value: string | undefined;
}

function asRecord(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

function readSelector(exp: ChaosExperiment, role: ChaosPodSelector['role'], ownerPath: NodePath, owner: Record<string, any>): ChaosPodSelector {
  const path = [...ownerPath, 'selector'];
  const sel = asRecord(owner.selector) ?? {};
  const listed = Array.isArray(sel.namespaces) ? sel.namespaces.filter((n: unknown): n is string => typeof n === 'string') : [];
  const podsMap = asRecord(sel.pods);
  const pods = podsMap && Object.keys(podsMap).length > 0
    ? Object.fromEntries(Object.entries(podsMap).map(([ns, names]) => [ns, Array.isArray(names) ? names.map(String) : []]))
    : undefined;
  const labels = toLabelSelector({ matchLabels: sel.labelSelectors, matchExpressions: sel.expressionSelectors }) ?? { matchLabels: {}, matchExpressions: [] };
  const value = owner.value;
  return {
    experiment: exp,
    role,
    ownerPath,
    path,
    namespacesWritten: listed.length > 0 ? listed : undefined,
    namespaces: pods ? Object.keys(pods) : listed.length > 0 ? listed : [exp.resource.namespace],
    pods,
    labels,
    mode: typeof owner.mode === 'string' ? owner.mode : undefined,
    value: typeof value === 'string' || typeof value === 'number' ? String(value) : undefined,
  };
}

/** The pod selectors of a Chaos Mesh experiment (or of the experiment a Chaos Mesh Schedule creates). */
export function chaosPodSelectors(res: Resource): ChaosPodSelector[] {
  return res.derive('chaos-pod-selectors', () => {
    const exp = chaosExperimentOf(res);
    if (!exp || !POD_SELECTOR_KINDS.has(exp.kind)) return [];
    const out = [readSelector(exp, 'selector', exp.specPath, exp.spec)];
    const target = asRecord(exp.spec.target);
    if (exp.kind === 'NetworkChaos' && target) out.push(readSelector(exp, 'target', [...exp.specPath, 'target'], target));
    return out;
  });
}

/** How to name an experiment in a message: `PodChaos kill-one`, or `Schedule nightly (PodChaos)`. */
export function experimentName(exp: ChaosExperiment): string {
  return exp.viaSchedule ? `Schedule ${exp.resource.name} (${exp.kind})` : `${exp.kind} ${exp.resource.name}`;
}

/** The workloads of the workspace whose pod templates a selector selects, in the namespaces it reaches. */
export function selectedWorkloads(index: WorkspaceIndex, sel: ChaosPodSelector): Workload[] {
  if (sel.pods) return [];
  const namespaces = new Set(sel.namespaces);
  return workloadsWhere(index, [...namespaces], pivotOf(sel.labels)).filter((w) => namespaces.has(w.resource.namespace) && selectorMatches(sel.labels, w.podLabels));
}

/** The action of an experiment as Chaos Mesh defaults it (a PodChaos without action kills pods). */
export function chaosAction(exp: ChaosExperiment): string | undefined {
  const action = exp.spec.action;
  if (typeof action === 'string') return action;
  return exp.kind === 'PodChaos' ? 'pod-kill' : undefined;
}

/**
 * Does the fault last until the experiment ends (so that a missing duration leaves it in place until someone
 * deletes the object)? Killing a pod or a container, restarting a JVM's garbage collector, are instantaneous.
 */
export function isLastingAction(exp: ChaosExperiment): boolean {
  const action = chaosAction(exp);
  switch (exp.kind) {
    case 'PodChaos':
      return action === 'pod-failure';
    case 'JVMChaos':
      return action !== 'gc';
    case 'NetworkChaos':
    case 'StressChaos':
    case 'IOChaos':
    case 'TimeChaos':
    case 'KernelChaos':
    case 'DNSChaos':
    case 'HTTPChaos':
    case 'BlockChaos':
      return true;
    default:
      return false;
  }
}

/** The YAML node of selector.namespaces, when it is a sequence. */
export function namespacesNode(res: Resource, sel: ChaosPodSelector): YAML.YAMLSeq | undefined {
  const l = res.lookup([...sel.path, 'namespaces']);
  return l.found && YAML.isSeq(l.node) ? l.node : undefined;
}
