/**
 * VerticalPodAutoscaler and HorizontalPodAutoscaler as the autoscalers read them: the VPA's update mode and the
 * containers and resources it controls, the HPA's resource metrics, and the workloads both point at.
 */
import * as YAML from 'yaml';
import { defineView } from './deps';
import { targetRefOf, workloadOf, type TargetRef, type Workload } from './model';
import type { NodePath, Resource } from './resource';
import { styledScalar } from './styled';
import { resourcesNamed } from './views';
import type { WorkspaceIndex } from './workspace';

/** Every updateMode the VPA API knows (InPlace is the newest; Auto is deprecated and means Recreate). */
export const VPA_UPDATE_MODES = ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'InPlace', 'Auto'] as const;

/** What each mode does to the pods, in the words a message needs. */
export const VPA_MODE_EFFECT: Record<string, string> = {
  Off: 'only publishes recommendations and never changes pods',
  Initial: 'sets requests when pods are created, never afterwards',
  Recreate: 'evicts running pods to apply new requests',
  InPlaceOrRecreate: 'resizes running pods in place and evicts them when it cannot',
  InPlace: 'resizes running pods in place',
  Auto: 'evicts running pods to apply new requests (Auto is deprecated and currently means Recreate)',
};

export const UPDATE_MODE_PATH: NodePath = ['spec', 'updatePolicy', 'updateMode'];

/** Plain scalars that YAML 1.1 (kubectl) reads as booleans although YAML 1.2 reads them as strings. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function isVpa(res: Resource): boolean {
  return res.kind === 'VerticalPodAutoscaler' && res.group === 'autoscaling.k8s.io';
}

export function isHpa(res: Resource): boolean {
  return res.kind === 'HorizontalPodAutoscaler' && res.group === 'autoscaling';
}

export interface VpaUpdateMode {
  /** The mode in effect: as written, or `Auto` when updatePolicy/updateMode is absent. Undefined when unreadable. */
  mode: string | undefined;
  /** Is updateMode written? */
  written: boolean;
  /**
   * The written value is a plain `Off`/`On`/`yes`/`no`…: kubectl's YAML 1.1 reads a boolean there, which the
   * yaml-boolean-trap rule reports. Other rules leave such a value alone.
   */
  booleanTrap: boolean;
  /** The YAML node of the value, when written. */
  node: YAML.Scalar | undefined;
}

/** The update mode of a VPA; memoized per resource. */
export function vpaUpdateModeOf(res: Resource): VpaUpdateMode {
  return res.derive('vpa-update-mode', () => {
    const l = res.lookup(UPDATE_MODE_PATH);
    if (!l.found) return { mode: 'Auto', written: false, booleanTrap: false, node: undefined };
    const node = YAML.isScalar(l.node) ? l.node : undefined;
    const value = node?.value;
    if (node && typeof value === 'string' && node.type === 'PLAIN' && YAML11_BOOLEAN.test(value)) {
      return { mode: undefined, written: true, booleanTrap: true, node };
    }
    const known = typeof value === 'string' && (VPA_UPDATE_MODES as readonly string[]).includes(value);
    return { mode: known ? (value as string) : undefined, written: true, booleanTrap: false, node };
  });
}

/** Two modes that behave the same (Auto currently means Recreate). */
export function sameUpdateMode(a: string, b: string): boolean {
  const norm = (m: string) => (m === 'Auto' ? 'Recreate' : m);
  return norm(a) === norm(b);
}

/** The scalar text for an updateMode value, keeping the quoting style of the value it replaces. */
export function modeText(mode: string, replacing?: YAML.Scalar): string {
  return styledScalar(mode, replacing);
}

/** Kinds opex indexes that an autoscaler can target, with the API groups they are served from. */
const TARGET_KINDS: Record<string, readonly string[]> = {
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  ReplicationController: [''],
  Job: ['batch'],
  CronJob: ['batch'],
};

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Can opex judge this reference? Only for the workload kinds it indexes, in their own API groups: a targetRef to an
 * Argo Rollout, a Knative service or any custom resource with a scale subresource names objects opex cannot see.
 */
export function isIndexedTarget(ref: TargetRef): boolean {
  const groups = TARGET_KINDS[ref.kind];
  if (!groups) return false;
  return ref.apiVersion === undefined || ref.apiVersion === '' || groups.includes(groupOf(ref.apiVersion));
}

/** The workload a targetRef names in a namespace, if the workspace defines it. */
export function findTarget(index: WorkspaceIndex, namespace: string, ref: TargetRef): Workload | undefined {
  if (!isIndexedTarget(ref)) return undefined;
  const groups = TARGET_KINDS[ref.kind];
  const res = resourcesNamed(index, ref.kind, namespace, ref.name).find((r) => groups.includes(r.group));
  return res ? workloadOf(res) : undefined;
}

export function vpaTargetRef(res: Resource): TargetRef | undefined {
  return targetRefOf(res, ['spec', 'targetRef']);
}

export function hpaTargetRef(res: Resource): TargetRef | undefined {
  return targetRefOf(res, ['spec', 'scaleTargetRef']);
}

/** HorizontalPodAutoscalers filed by namespace, target kind and target name. */
const HPAS_BY_TARGET = defineView<Resource>('hpa-target', (res) => {
  if (!isHpa(res)) return undefined;
  const ref = hpaTargetRef(res);
  return ref ? [[`${res.namespace}\u0000${ref.kind}\u0000${ref.name}`, res]] : undefined;
});

/** The HorizontalPodAutoscalers of a namespace whose scaleTargetRef names this kind and name, in index order. */
export function hpasTargeting(index: WorkspaceIndex, namespace: string, kind: string, name: string): readonly Resource[] {
  return HPAS_BY_TARGET.get(index, `${namespace}\u0000${kind}\u0000${name}`);
}

/** Do two references name the same object (kind and name, and the same API group when both say)? */
export function sameTarget(a: TargetRef, b: TargetRef): boolean {
  if (a.kind !== b.kind || a.name !== b.name) return false;
  if (!a.apiVersion || !b.apiVersion) return true;
  const ga = groupOf(a.apiVersion);
  const gb = groupOf(b.apiVersion);
  if (ga === gb) return true;
  // extensions/v1beta1 and apps/v1 name the same Deployments, DaemonSets and ReplicaSets.
  const family = (g: string) => (g === 'extensions' ? 'apps' : g);
  return family(ga) === family(gb);
}

export interface ContainerPolicy {
  index: number;
  containerName: string | undefined;
  /** `Auto` unless written (`Off` leaves the container alone). */
  mode: string;
  /** Resources the VPA may change for the container: controlledResources, cpu and memory by default. */
  controlledResources: string[];
  path: NodePath;
}

export const CONTAINER_POLICIES_PATH: NodePath = ['spec', 'resourcePolicy', 'containerPolicies'];

export function containerPoliciesOf(res: Resource): ContainerPolicy[] {
  return res.derive('vpa-container-policies', () => {
    const list = res.get(CONTAINER_POLICIES_PATH);
    if (!Array.isArray(list)) return [];
    const out: ContainerPolicy[] = [];
    list.forEach((p: any, index: number) => {
      if (!p || typeof p !== 'object' || Array.isArray(p)) return;
      const controlled = Array.isArray(p.controlledResources) ? p.controlledResources.filter((r: unknown) => typeof r === 'string') : ['cpu', 'memory'];
      out.push({
        index,
        containerName: typeof p.containerName === 'string' ? p.containerName : undefined,
        mode: typeof p.mode === 'string' ? p.mode : p.mode === false ? 'Off' : 'Auto',
        controlledResources: controlled,
        path: [...CONTAINER_POLICIES_PATH, index],
      });
    });
    return out;
  });
}

/** The resources a VPA may change for one container: its own policy, else the `*` policy, else cpu and memory. */
export function vpaControls(res: Resource, containerName: string): Set<string> {
  const policies = containerPoliciesOf(res);
  const policy = policies.find((p) => p.containerName === containerName) ?? policies.find((p) => p.containerName === '*');
  if (!policy) return new Set(['cpu', 'memory']);
  if (policy.mode === 'Off') return new Set();
  return new Set(policy.controlledResources);
}

/**
 * The resources a VPA may change for any container of its target. When the target is not in the workspace, the
 * containers its policies name and the default policy (`*` or cpu+memory) stand for them.
 */
export function vpaControlledResources(res: Resource, containers: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  const names = containers ?? [...containerPoliciesOf(res).map((p) => p.containerName).filter((n): n is string => !!n && n !== '*'), '\0any'];
  for (const name of names) for (const r of vpaControls(res, name)) out.add(r);
  return out;
}

export interface HpaResourceMetric {
  /** cpu or memory (or any resource name the HPA names). */
  resource: string;
  /** For ContainerResource metrics, the container measured. */
  container?: string;
  /** Where the metric is written, or where the default applies. */
  path: NodePath;
  /** True when the HPA names no metric and Kubernetes' default (80% average CPU) applies. */
  implicit: boolean;
}

/** The Resource and ContainerResource metrics an HPA scales on, including the CPU default of an HPA without metrics. */
export function hpaResourceMetrics(res: Resource): HpaResourceMetric[] {
  return res.derive('hpa-resource-metrics', () => {
    const spec = res.get(['spec']);
    if (!spec || typeof spec !== 'object') return [];
    if (res.apiVersion === 'autoscaling/v1') {
      const written = spec.targetCPUUtilizationPercentage !== undefined;
      return [{ resource: 'cpu', path: written ? ['spec', 'targetCPUUtilizationPercentage'] : ['spec'], implicit: !written }];
    }
    const metrics = spec.metrics;
    if (metrics === undefined || metrics === null || (Array.isArray(metrics) && metrics.length === 0)) {
      return [{ resource: 'cpu', path: ['spec'], implicit: true }];
    }
    if (!Array.isArray(metrics)) return [];
    const out: HpaResourceMetric[] = [];
    metrics.forEach((m: any, i: number) => {
      if (!m || typeof m !== 'object') return;
      const type = m.type ?? (m.resource ? 'Resource' : m.containerResource ? 'ContainerResource' : undefined);
      if (type === 'Resource' && typeof m.resource?.name === 'string') {
        out.push({ resource: m.resource.name, path: ['spec', 'metrics', i, 'resource', 'name'], implicit: false });
      } else if (type === 'ContainerResource' && typeof m.containerResource?.name === 'string') {
        out.push({
          resource: m.containerResource.name,
          container: typeof m.containerResource.container === 'string' ? m.containerResource.container : undefined,
          path: ['spec', 'metrics', i, 'containerResource', 'name'],
          implicit: false,
        });
      }
    });
    return out;
  });
}
