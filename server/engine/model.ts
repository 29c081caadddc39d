import type { NodePath } from './resource';
import type { Resource } from './resource';

/** Kinds whose objects run pods, and where their pod template lives. */
export const WORKLOAD_TEMPLATE_PATHS: Readonly<Record<string, NodePath>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A Kubernetes label selector: both forms (a plain map for Services, matchLabels/matchExpressions elsewhere). */
export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: LabelSelectorRequirement[];
}

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
  index: number;
}

export type ProbeKind = 'readinessProbe' | 'livenessProbe' | 'startupProbe';
export const PROBE_KINDS: readonly ProbeKind[] = ['readinessProbe', 'livenessProbe', 'startupProbe'];

export interface Container {
  name: string;
  /** Path of this container in the resource (e.g. spec.template.spec.containers[0]). */
  path: NodePath;
  init: boolean;
  ports: ContainerPort[];
  probes: Partial<Record<ProbeKind, Record<string, any>>>;
  resources: Record<string, any> | undefined;
}

export interface Workload {
  resource: Resource;
  /** Path of the pod template (the Pod itself for kind Pod). */
  templatePath: NodePath;
  metadataLabels: Labels;
  podLabels: Labels;
  /** The pod template's own labels path, for reporting. */
  podLabelsPath: NodePath;
  selector: LabelSelector | undefined;
  selectorPath: NodePath | undefined;
  containers: Container[];
  initContainers: Container[];
  /** spec.replicas as written; undefined when absent (Kubernetes then runs 1). */
  replicas: number | undefined;
}

function asRecord(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

/** Labels as strings, the way the API server will store them (non-string values are left out; schema and label-syntax report them). */
export function toLabels(v: unknown): Labels {
  const out: Labels = {};
  const rec = asRecord(v);
  if (!rec) return out;
  for (const [k, val] of Object.entries(rec)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

export function toLabelSelector(v: unknown, plainMap = false): LabelSelector | undefined {
  const rec = asRecord(v);
  if (!rec) return undefined;
  if (plainMap) return { matchLabels: toLabels(rec), matchExpressions: [] };
  const matchExpressions: LabelSelectorRequirement[] = Array.isArray(rec.matchExpressions)
    ? rec.matchExpressions
        .filter((e: any) => e && typeof e.key === 'string' && typeof e.operator === 'string')
        .map((e: any) => ({
          key: e.key,
          operator: e.operator,
          values: Array.isArray(e.values) ? e.values.map(String) : undefined,
        }))
    : [];
  return { matchLabels: toLabels(rec.matchLabels), matchExpressions };
}

export function selectorIsEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

/** Does a selector select these labels? An empty selector selects everything, as in Kubernetes. */
export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const req of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function formatSelector(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',') || '<everything>';
}

export function formatLabels(labels: Labels): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

function readContainers(res: Resource, specPath: NodePath, field: 'containers' | 'initContainers'): Container[] {
  const list = res.get([...specPath, field]);
  if (!Array.isArray(list)) return [];
  const out: Container[] = [];
  list.forEach((c: any, i: number) => {
    const rec = asRecord(c);
    if (!rec) return;
    const ports: ContainerPort[] = Array.isArray(rec.ports)
      ? rec.ports.map((p: any, index: number) => ({
          name: typeof p?.name === 'string' ? p.name : undefined,
          containerPort: typeof p?.containerPort === 'number' ? p.containerPort : undefined,
          protocol: typeof p?.protocol === 'string' ? p.protocol : undefined,
          index,
        }))
      : [];
    const probes: Container['probes'] = {};
    for (const k of PROBE_KINDS) {
      const p = asRecord(rec[k]);
      if (p) probes[k] = p;
    }
    out.push({
      name: typeof rec.name === 'string' ? rec.name : '',
      path: [...specPath, field, i],
      init: field === 'initContainers',
      ports,
      probes,
      resources: asRecord(rec.resources),
    });
  });
  return out;
}

/** The workload view of a resource that runs pods; undefined for other kinds. Computed once per resource. */
export function workloadOf(res: Resource): Workload | undefined {
  const templatePath = WORKLOAD_TEMPLATE_PATHS[res.kind];
  if (!templatePath) return undefined;
  return res.derive('workload', () => {
    const isPod = res.kind === 'Pod';
    const podLabelsPath = [...templatePath, 'metadata', 'labels'];
    const podSpecPath = [...templatePath, 'spec'];
    const selectorPath: NodePath | undefined = isPod
      ? undefined
      : res.kind === 'CronJob'
        ? ['spec', 'jobTemplate', 'spec', 'selector']
        : ['spec', 'selector'];
    const rawSelector = selectorPath ? res.get(selectorPath) : undefined;
    const replicas = res.get(['spec', 'replicas']);
    return {
      resource: res,
      templatePath,
      metadataLabels: toLabels(res.get(['metadata', 'labels'])),
      podLabels: toLabels(res.get(podLabelsPath)),
      podLabelsPath,
      selector: toLabelSelector(rawSelector, res.kind === 'ReplicationController'),
      selectorPath: rawSelector === undefined ? undefined : selectorPath,
      containers: readContainers(res, podSpecPath, 'containers'),
      initContainers: readContainers(res, podSpecPath, 'initContainers'),
      replicas: typeof replicas === 'number' ? replicas : undefined,
    } satisfies Workload;
  });
}

/** A reference from one object to a workload (VPA/HPA targetRef, PDB selector…) */
export interface TargetRef {
  apiVersion?: string;
  kind: string;
  name: string;
}

export function targetRefOf(res: Resource, path: NodePath = ['spec', 'targetRef']): TargetRef | undefined {
  const ref = asRecord(res.get(path));
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { apiVersion: typeof ref.apiVersion === 'string' ? ref.apiVersion : undefined, kind: ref.kind, name: ref.name };
}

/** Chaos Mesh experiment kinds, as listed in its CRDs. */
export const CHAOS_KINDS = new Set([
  'PodChaos', 'NetworkChaos', 'StressChaos', 'IOChaos', 'TimeChaos', 'KernelChaos', 'DNSChaos',
  'HTTPChaos', 'JVMChaos', 'AWSChaos', 'GCPChaos', 'AzureChaos', 'BlockChaos', 'PhysicalMachineChaos',
]);

export function isChaosMesh(res: Resource): boolean {
  return res.group === 'chaos-mesh.org';
}

export function isVelero(res: Resource): boolean {
  return res.group === 'velero.io';
}

/** An experiment reached directly or through a Chaos Mesh Schedule (spec.<type> under a Schedule). */
export interface ChaosExperiment {
  resource: Resource;
  kind: string;
  /** Path of the experiment's spec (['spec'] or ['spec', 'podChaos'] inside a Schedule). */
  specPath: NodePath;
  spec: Record<string, any>;
  viaSchedule: boolean;
}

const SCHEDULE_FIELD_TO_KIND: Record<string, string> = {
  podChaos: 'PodChaos', networkChaos: 'NetworkChaos', stressChaos: 'StressChaos', ioChaos: 'IOChaos',
  timeChaos: 'TimeChaos', kernelChaos: 'KernelChaos', dnsChaos: 'DNSChaos', httpChaos: 'HTTPChaos',
  jvmChaos: 'JVMChaos', awsChaos: 'AWSChaos', gcpChaos: 'GCPChaos', azureChaos: 'AzureChaos',
  blockChaos: 'BlockChaos', physicalmachineChaos: 'PhysicalMachineChaos',
};

export function chaosExperimentOf(res: Resource): ChaosExperiment | undefined {
  if (!isChaosMesh(res)) return undefined;
  const spec = asRecord(res.get(['spec']));
  if (!spec) return undefined;
  if (CHAOS_KINDS.has(res.kind)) return { resource: res, kind: res.kind, specPath: ['spec'], spec, viaSchedule: false };
  if (res.kind === 'Schedule') {
    const type = typeof spec.type === 'string' ? spec.type : undefined;
    for (const [field, kind] of Object.entries(SCHEDULE_FIELD_TO_KIND)) {
      const inner = asRecord(spec[field]);
      if (inner && (!type || type === kind)) {
        return { resource: res, kind, specPath: ['spec', field], spec: inner, viaSchedule: true };
      }
    }
  }
  return undefined;
}
