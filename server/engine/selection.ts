/**
 * Which pods a selector reaches, the way Kubernetes decides it, from manifests alone: Services and their
 * ports, the labels controllers add to the pods they create, and the ports a pod template declares.
 */
import { selectorMatches, toLabels, type Container, type LabelSelector, type Labels, type Workload } from './model';
import type { NodePath, Resource } from './resource';
import { dependOn } from './deps';
import type { WorkspaceIndex } from './workspace';

/**
 * Labels a controller puts on the pods it creates in addition to its template's: a selector may use them
 * (a per-pod Service of a StatefulSet selects `statefulset.kubernetes.io/pod-name`), so a template that lacks
 * them may still be selected.
 */
export const RUNTIME_POD_LABELS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['pod-template-hash'],
  StatefulSet: ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  DaemonSet: ['controller-revision-hash', 'pod-template-generation'],
  Job: ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'batch.kubernetes.io/job-completion-index'],
  CronJob: ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'batch.kubernetes.io/job-completion-index'],
};

/**
 * Can the selector select the pods of this workload? Requirements on labels the workload's controller adds
 * at run time, and that the template does not set, are taken as met (the manifests cannot tell).
 */
export function selectsPodsOf(sel: LabelSelector, w: Workload): boolean {
  const runtime = RUNTIME_POD_LABELS[w.resource.kind] ?? [];
  if (runtime.length === 0) return selectorMatches(sel, w.podLabels);
  const unknown = (k: string) => runtime.includes(k) && !(k in w.podLabels);
  const reduced: LabelSelector = {
    matchLabels: Object.fromEntries(Object.entries(sel.matchLabels).filter(([k]) => !unknown(k))),
    matchExpressions: sel.matchExpressions.filter((e) => !unknown(e.key)),
  };
  return selectorMatches(reduced, w.podLabels);
}

export interface ServicePort {
  /** Index in spec.ports. */
  index: number;
  name?: string;
  port?: number;
  /** targetPort as written; undefined when absent (then it is `port`). */
  targetPort?: number | string;
  protocol: string;
}

export interface ServiceInfo {
  resource: Resource;
  type: string;
  /** spec.selector when it is a non-empty map; undefined for Services without selector (endpoints managed elsewhere). */
  selector?: Labels;
  selectorPath: NodePath;
  ports: ServicePort[];
}

/** The Service view of a core/v1 Service; undefined for other kinds. */
export function serviceOf(res: Resource): ServiceInfo | undefined {
  if (res.kind !== 'Service' || res.group !== '') return undefined;
  return res.derive('service', () => {
    const type = typeof res.get(['spec', 'type']) === 'string' ? (res.get(['spec', 'type']) as string) : 'ClusterIP';
    const raw = res.get(['spec', 'selector']);
    const labels = raw && typeof raw === 'object' && !Array.isArray(raw) ? toLabels(raw) : undefined;
    const list = res.get(['spec', 'ports']);
    const ports: ServicePort[] = Array.isArray(list)
      ? list.flatMap((p: any, index: number) => {
          if (!p || typeof p !== 'object') return [];
          const tp = p.targetPort;
          return [{
            index,
            name: typeof p.name === 'string' ? p.name : undefined,
            port: typeof p.port === 'number' ? p.port : undefined,
            targetPort: typeof tp === 'number' || typeof tp === 'string' ? tp : undefined,
            protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
          }];
        })
      : [];
    return {
      resource: res,
      type,
      selector: type !== 'ExternalName' && labels && Object.keys(labels).length > 0 ? labels : undefined,
      selectorPath: ['spec', 'selector'],
      ports,
    } satisfies ServiceInfo;
  });
}

export function asSelector(labels: Labels): LabelSelector {
  return { matchLabels: labels, matchExpressions: [] };
}

const ALL_RUNTIME_KEYS = new Set(Object.values(RUNTIME_POD_LABELS).flat());

/**
 * The workloads of a workspace by namespace and by pod-template label, so that "which pods does this
 * selector reach?" does not scan every workload (a Service per Deployment in one namespace is n²).
 * Built once per index generation (see podIndex).
 */
export class PodIndex {
  private readonly byNs = new Map<string, { all: Workload[]; byPair: Map<string, Workload[]> }>();
  /** Services of the workspace with a selector, and the workloads each reaches; computed on first use. */
  private serviceSelection: Map<ServiceInfo, Workload[]> | undefined;
  /** The reverse: the Services reaching each workload. */
  private selectingServices: Map<Workload, ServiceInfo[]> | undefined;
  /** selectedBy's answers by namespace and selector: many objects share one selector (a Service and its Deployment…). */
  private readonly selections = new Map<string, Workload[]>();

  constructor(private readonly index: WorkspaceIndex) {
    for (const w of index.workloads()) {
      let ns = this.byNs.get(w.resource.namespace);
      if (!ns) this.byNs.set(w.resource.namespace, (ns = { all: [], byPair: new Map() }));
      ns.all.push(w);
      for (const [k, v] of Object.entries(w.podLabels)) {
        const key = `${k}\u0000${v}`;
        const list = ns.byPair.get(key);
        if (list) list.push(w);
        else ns.byPair.set(key, [w]);
      }
    }
  }

  inNamespace(namespace: string): readonly Workload[] {
    return this.byNs.get(namespace)?.all ?? [];
  }

  /** Workloads of the namespace whose pods the selector selects (see selectsPodsOf). */
  selectedBy(namespace: string, sel: LabelSelector): Workload[] {
    const ns = this.byNs.get(namespace);
    if (!ns) return [];
    const key = `${namespace}\u0000${JSON.stringify(sel)}`;
    let found = this.selections.get(key);
    if (!found) {
      const pivot = Object.entries(sel.matchLabels).find(([k]) => !ALL_RUNTIME_KEYS.has(k));
      const candidates = pivot ? ns.byPair.get(`${pivot[0]}\u0000${pivot[1]}`) ?? [] : ns.all;
      found = candidates.filter((w) => selectsPodsOf(sel, w));
      this.selections.set(key, found);
    }
    return found.slice();
  }

  /** Every Service with a selector, with the workloads it reaches. */
  services(): Map<ServiceInfo, Workload[]> {
    if (!this.serviceSelection) {
      this.serviceSelection = new Map();
      for (const svc of services(this.index)) {
        if (svc.selector) this.serviceSelection.set(svc, this.selectedBy(svc.resource.namespace, asSelector(svc.selector)));
      }
    }
    return this.serviceSelection;
  }

  /** Services (with a selector) whose selector reaches this workload's pods. */
  servicesSelecting(w: Workload): ServiceInfo[] {
    if (!this.selectingServices) {
      // Built once, in the order of services(): a scan of every Service per workload is quadratic (cubic when they all select the same pods).
      this.selectingServices = new Map();
      for (const [svc, selected] of this.services()) {
        for (const sw of new Set(selected)) {
          const list = this.selectingServices.get(sw);
          if (list) list.push(svc);
          else this.selectingServices.set(sw, [svc]);
        }
      }
    }
    return this.selectingServices.get(w)?.slice() ?? [];
  }
}

const podIndexes = new WeakMap<WorkspaceIndex, { generation: number; pods: PodIndex }>();

/** The PodIndex of a workspace index, rebuilt only when the index changed. */
export function podIndex(index: WorkspaceIndex): PodIndex {
  // Its tables are built once per generation and read by many runs: each run depends on every workload and Service.
  dependOn('workloads');
  dependOn('kind:Service');
  const cached = podIndexes.get(index);
  if (cached && cached.generation === index.generation) return cached.pods;
  const pods = new PodIndex(index);
  podIndexes.set(index, { generation: index.generation, pods });
  return pods;
}

/** Every Service of the index, with selector or not. */
export function services(index: WorkspaceIndex): ServiceInfo[] {
  return index.byKind('Service').map(serviceOf).filter((s): s is ServiceInfo => s !== undefined);
}

/** Workloads of the Service's namespace whose pods its selector selects. */
export function workloadsSelectedBy(svc: ServiceInfo, index: WorkspaceIndex): Workload[] {
  if (!svc.selector) return [];
  return podIndex(index).selectedBy(svc.resource.namespace, asSelector(svc.selector));
}

/** Containers that run for the pod's whole life: regular containers and native sidecars (init containers with restartPolicy Always). */
export function servingContainers(w: Workload): Container[] {
  const sidecars = w.initContainers.filter((c) => w.resource.get([...c.path, 'restartPolicy']) === 'Always');
  return [...w.containers, ...sidecars];
}

/**
 * Is this a port name Kubernetes accepts (IANA service name: at most 15 lower-case letters, digits and
 * non-adjacent `-`, with at least one letter)? Anything else written where a port name goes is a
 * placeholder for a templating step (`PORT`, `${PORT}`) or a validation error, never a name to look up.
 */
export function isPortName(v: string): boolean {
  return v.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v) && /[a-z]/.test(v) && !v.includes('--');
}

/** Does a workload declare a port whose number is not a number (a placeholder such as `PORT`)? Then nothing about its ports can be judged. */
export function hasPlaceholderPorts(w: Workload): boolean {
  // Memoized per resource: a Service asks this of every workload it selects.
  return w.resource.derive('selection.hasPlaceholderPorts', () =>
    servingContainers(w).some((c) => {
      const raw = w.resource.get([...c.path, 'ports']);
      return Array.isArray(raw) && raw.some((p: any) => p && typeof p === 'object' && p.containerPort !== undefined && typeof p.containerPort !== 'number');
    }),
  );
}

/** Is a port value a number in Kubernetes' eyes? (IntOrString written as a digits-only string is resolved as a number by the kubelet.) */
export function portNumber(v: number | string | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Does any serving container of the pod declare a port with this number (any protocol unless given)? */
export function declaresPortNumber(w: Workload, port: number, protocol?: string): boolean {
  return servingContainers(w).some((c) => c.ports.some((p) => p.containerPort === port && (!protocol || (p.protocol ?? 'TCP') === protocol)));
}

export function declaresPortName(containers: readonly Container[], name: string): boolean {
  return containers.some((c) => c.ports.some((p) => p.name === name));
}

export function declaresAnyPort(w: Workload): boolean {
  return servingContainers(w).some((c) => c.ports.length > 0);
}

/** "8000 (http), 9090 (metrics)": the ports some containers declare. */
export function formatPorts(containers: readonly Container[]): string {
  const list = containers.flatMap((c) => c.ports.map((p) => (p.name ? `${p.containerPort ?? '?'} (${p.name})` : `${p.containerPort ?? '?'}`)));
  return list.length > 0 ? list.join(', ') : 'no ports';
}

/** The ports a workload's pods declare, for messages. */
export function declaredPorts(w: Workload): string {
  return formatPorts(servingContainers(w));
}
