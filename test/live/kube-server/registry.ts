/** The resource types the loopback API server serves, as a real API server's discovery describes them. */

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served (only `status` here). */
  subresources: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: { namespaced?: boolean; shortNames?: string[]; categories?: string[]; verbs?: string[]; status?: boolean } = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? ALL_VERBS,
    subresources: opts.status === false ? [] : ['status'],
  };
}

/** Every type, grouped by API group id (`core` for the legacy group). */
export const RESOURCE_TYPES: ResourceType[] = [
  rt('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  rt('', 'v1', 'Pod', 'pods', { shortNames: ['po'], categories: ['all'] }),
  rt('', 'v1', 'Service', 'services', { shortNames: ['svc'], categories: ['all'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }),
  rt('', 'v1', 'Event', 'events', { shortNames: ['ev'], status: false }),
  rt('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'], status: false }),
  rt('apps', 'v1', 'Deployment', 'deployments', { shortNames: ['deploy'], categories: ['all'] }),
  rt('apps', 'v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'], categories: ['all'] }),
  rt('apps', 'v1', 'StatefulSet', 'statefulsets', { shortNames: ['sts'], categories: ['all'] }),
  rt('batch', 'v1', 'Job', 'jobs', { categories: ['all'] }),
  rt('batch', 'v1', 'CronJob', 'cronjobs', { shortNames: ['cj'], categories: ['all'] }),
  rt('autoscaling.k8s.io', 'v1', 'VerticalPodAutoscaler', 'verticalpodautoscalers', { shortNames: ['vpa'] }),
  rt('velero.io', 'v1', 'Schedule', 'schedules', { categories: ['velero'] }),
  rt('velero.io', 'v1', 'Backup', 'backups', { categories: ['velero'] }),
  rt('velero.io', 'v1', 'Restore', 'restores', { categories: ['velero'] }),
  rt('velero.io', 'v1', 'BackupStorageLocation', 'backupstoragelocations', { shortNames: ['bsl'], categories: ['velero'] }),
  rt('chaos-mesh.org', 'v1alpha1', 'PodChaos', 'podchaos', { categories: ['chaos-mesh'] }),
];

/** API groups that can be switched off to play a cluster without the component (a missing CRD). */
export type OptionalGroup = 'autoscaling.k8s.io' | 'velero.io' | 'chaos-mesh.org';

export class Registry {
  constructor(private readonly disabled: ReadonlySet<string> = new Set()) {}

  enabled(t: ResourceType): boolean {
    return !this.disabled.has(t.group);
  }

  types(): ResourceType[] {
    return RESOURCE_TYPES.filter((t) => this.enabled(t));
  }

  groups(): Array<{ name: string; versions: string[] }> {
    const out = new Map<string, string[]>();
    for (const t of this.types()) {
      if (t.group === '') continue;
      const v = out.get(t.group) ?? [];
      if (!v.includes(t.version)) v.push(t.version);
      out.set(t.group, v);
    }
    return [...out.entries()].map(([name, versions]) => ({ name, versions }));
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types().find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types().find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Any type with this kind, whatever the version (fixtures name the version they were written for). */
  anyByKind(kind: string, group?: string): ResourceType | undefined {
    return RESOURCE_TYPES.find((t) => t.kind === kind && (group === undefined || t.group === group));
  }
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Key of a type in the store: `pods`, `deployments.apps`. */
export function typeKey(t: ResourceType): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}
