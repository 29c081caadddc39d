/** Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), as kubectl get asks for it. */
import type { ResourceType } from './registry';

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (o: any) => unknown;
}

/** kubectl's short age: 45s, 2m15s, 17m, 5h3m, 26h, 3d4h, 45d. */
export function humanAge(from: string | undefined, now = Date.now()): string {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now - new Date(from).getTime()) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return `${d}d`;
}

const name: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: (o) => o.metadata.name };
const age: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0, cell: (o) => humanAge(o.metadata.creationTimestamp) };
const col = (n: string, cell: (o: any) => unknown, type = 'string', priority = 0): Column => ({ name: n, type, description: n, priority, cell });

function podStatus(p: any): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const waiting = p.status?.containerStatuses?.find((c: any) => c.state?.waiting)?.state.waiting.reason;
  const initWaiting = p.status?.initContainerStatuses?.find((c: any) => c.state?.running || c.state?.waiting);
  if (initWaiting) return `Init:0/${p.status.initContainerStatuses.length}`;
  return waiting ?? p.status?.phase ?? 'Pending';
}

const COLUMNS: Record<string, Column[]> = {
  pods: [
    name,
    col('Ready', (p) => `${(p.status?.containerStatuses ?? []).filter((c: any) => c.ready).length}/${p.spec?.containers?.length ?? 0}`),
    col('Status', podStatus),
    col('Restarts', (p) => (p.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0), 'string'),
    age,
    col('IP', (p) => p.status?.podIP ?? '<none>', 'string', 1),
    col('Node', (p) => p.spec?.nodeName ?? '<none>', 'string', 1),
  ],
  deployments: [
    name,
    col('Ready', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`),
    col('Up-to-date', (d) => d.status?.updatedReplicas ?? 0, 'integer'),
    col('Available', (d) => d.status?.availableReplicas ?? 0, 'integer'),
    age,
  ],
  replicasets: [name, col('Desired', (r) => r.spec?.replicas ?? 1, 'integer'), col('Current', (r) => r.status?.replicas ?? 0, 'integer'), col('Ready', (r) => r.status?.readyReplicas ?? 0, 'integer'), age],
  statefulsets: [name, col('Ready', (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`), age],
  services: [
    name,
    col('Type', (s) => s.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', (s) => s.spec?.clusterIP ?? '<none>'),
    col('External-IP', () => '<none>'),
    col('Port(s)', (s) => (s.spec?.ports ?? []).map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',')),
    age,
  ],
  namespaces: [name, col('Status', (n) => n.status?.phase ?? 'Active'), age],
  events: [
    col('Last Seen', (e) => humanAge(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp)),
    col('Type', (e) => e.type),
    col('Reason', (e) => e.reason),
    col('Object', (e) => `${String(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name}`),
    col('Message', (e) => e.message),
  ],
  verticalpodautoscalers: [
    name,
    col('Mode', (v) => v.spec?.updatePolicy?.updateMode ?? ''),
    col('CPU', (v) => v.status?.recommendation?.containerRecommendations?.[0]?.target?.cpu ?? ''),
    col('Mem', (v) => v.status?.recommendation?.containerRecommendations?.[0]?.target?.memory ?? ''),
    col('Provided', (v) => v.status?.conditions?.find((c: any) => c.type === 'RecommendationProvided')?.status ?? ''),
    age,
  ],
  schedules: [name, col('Status', (s) => s.status?.phase ?? ''), col('Schedule', (s) => s.spec?.schedule ?? ''), col('LastBackup', (s) => (s.status?.lastBackup ? humanAge(s.status.lastBackup) : '')), age, col('Paused', (s) => s.spec?.paused ?? '')],
  backups: [name, age],
  restores: [name, age],
  podchaos: [name, age],
};

export function toTable(t: ResourceType, objects: any[], resourceVersion: string): unknown {
  const cols = COLUMNS[t.plural] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: cols.map(({ cell: _c, ...c }) => ({ format: '', ...c })),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
