/** What every live check gets, and the lookups several of them share. */
import type { V1Deployment, V1LabelSelector, V1StatefulSet } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { LoadedSpec, OpexSpec } from '../../engine/spec/types';
import type { CriterionId } from '../../engine/types';
import { LiveError, SkipCheck } from '../errors';
import type { Kube } from '../kube';
import { formatServiceRef } from '../settings';
import type { CheckStatus, LiveSettings, ObjectRef, ServiceRef } from '../types';

/** A pod-failure window SC-009/SC-010 measure over: SC-008's, or the last PodChaos run's. */
export interface ChaosWindow {
  start: Date;
  end: Date;
  namespace: string;
  source: string;
}

export interface SharedState {
  chaosWindow?: ChaosWindow;
}

export interface CheckContext {
  spec: OpexSpec;
  loaded: LoadedSpec;
  kube: Kube;
  settings: LiveSettings;
  signal: AbortSignal;
  now: () => Date;
  /** Reports what the check is doing (progress in the CLI and the editor). */
  step(message: string): void;
  /** Registers an undo step, run when the check ends however it ends (also when cancelled), newest first. */
  cleanup(label: string, fn: (kube: Kube) => Promise<void>): void;
  shared: SharedState;
  podChaos?: Record<string, unknown>;
}

export interface Outcome {
  status: CheckStatus;
  actual: string;
  /** Overrides the check's static target (e.g. with a value found in the cluster). */
  target?: string;
  reason?: string;
  details?: string[];
  objects?: ObjectRef[];
  data?: Record<string, unknown>;
}

export interface Check {
  id: CriterionId;
  /** The criterion in the chapter's table wording. */
  title: string;
  /** Changes the cluster: runs only when allowed. */
  disruptive: boolean;
  /** Spec fields this check reads its targets from (dotted paths of LoadedSpec.locations). */
  specFields: string[];
  /** Why the spec gives this check nothing to measure; undefined when it applies. */
  notApplicable(spec: OpexSpec): string | undefined;
  target(spec: OpexSpec, settings: LiveSettings): string;
  run(ctx: CheckContext): Promise<Outcome>;
}

export const pass = (actual: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'PASS', actual, ...extra });
export const fail = (actual: string, reason: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'FAIL', actual, reason, ...extra });
export const skip = (reason: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'SKIP', actual: '', reason, ...extra });

// ---- time --------------------------------------------------------------------------------------------

/** Seconds for tables: 4.2 → "4.2s", 135 → "2m 15s", 5400 → "1h 30m", 93600 → "26h". */
export function formatSeconds(s: number): string {
  if (s < 10) return `${(Math.round(s * 10) / 10).toString()}s`;
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = Math.round(s - m * 60);
    return r ? `${m}m ${r}s` : `${m}m`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s - h * 3600) / 60);
  return h >= 48 ? `${Math.round(s / 86400)}d` : m ? `${h}h ${m}m` : `${h}h`;
}

export function ageOf(time: unknown, now: Date): number | undefined {
  const d = toDate(time);
  return d ? (now.getTime() - d.getTime()) / 1000 : undefined;
}

export function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v === 'string' && v) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** Waits, but gives up when the run is cancelled. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new LiveError('cancelled', 'cancelled'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new LiveError('cancelled', 'cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// ---- selectors and workloads ---------------------------------------------------------------------------

/** A LabelSelector in the query-string syntax (`app=task-api,tier in (web,api)`). */
export function selectorString(sel: V1LabelSelector | undefined): string {
  if (!sel) return '';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.join(',');
}

export interface LiveWorkload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  selector: string;
  podLabels: Record<string, string>;
  replicas: number;
  object: V1Deployment | V1StatefulSet;
}

export function refOf(w: LiveWorkload): ObjectRef {
  return { apiVersion: 'apps/v1', kind: w.kind, namespace: w.namespace, name: w.name };
}

/**
 * The service's workloads in a namespace, by PRODUCT's "whose pods" convention: pod template labelled
 * `app: <costLabels.app>` (or named after the service); the database of recovery.database is its own
 * workload; with `costLabels.scope: namespace` every workload counts.
 */
export async function serviceWorkloads(ctx: CheckContext, namespace: string): Promise<LiveWorkload[]> {
  const { spec } = ctx;
  const [deps, sets] = await Promise.all([ctx.kube.listDeployments(namespace), ctx.kube.listStatefulSets(namespace)]);
  const app = spec.costLabels.app ?? spec.service;
  const db = spec.recovery?.database?.selector;
  const out: LiveWorkload[] = [];
  const consider = (kind: LiveWorkload['kind'], o: V1Deployment | V1StatefulSet) => {
    const podLabels = o.spec?.template?.metadata?.labels ?? {};
    const name = o.metadata?.name ?? '';
    const isDb = db && Object.keys(db).length > 0 && Object.entries(db).every(([k, v]) => podLabels[k] === v);
    const mine = spec.costLabelScope === 'namespace' ? true : !isDb && (podLabels.app === app || name === spec.service);
    if (!mine) return;
    out.push({ kind, name, namespace, selector: selectorString(o.spec?.selector), podLabels, replicas: o.spec?.replicas ?? 1, object: o });
  };
  for (const d of deps) consider('Deployment', d);
  for (const s of sets) consider('StatefulSet', s);
  return out;
}

// ---- components ------------------------------------------------------------------------------------------

/** Skips the check when the cluster does not serve an API group (a CRD that is not installed). */
export async function requireGroup(ctx: CheckContext, group: string, version: string, component: string): Promise<void> {
  if (!(await ctx.kube.hasGroupVersion(group, version))) {
    throw new SkipCheck(`${component} CRDs not installed (the cluster serves no ${group}/${version} API)`);
  }
}

/**
 * The service a component answers on: the configured one (missing → SKIP), else the first of the charts'
 * usual names that exists (none → SKIP). The port is the configured one, else the candidate's if the
 * service has it, else the service's only port.
 */
export async function findService(ctx: CheckContext, configured: ServiceRef | undefined, candidates: ServiceRef[], component: string): Promise<ServiceRef> {
  const tryRef = async (ref: ServiceRef): Promise<ServiceRef | undefined> => {
    const svc = await ctx.kube.getService(ref.namespace, ref.name);
    if (!svc) return undefined;
    const ports = svc.spec?.ports ?? [];
    const has = (p: string) => ports.some((x) => String(x.port) === p || x.name === p);
    const port = ref.port && has(ref.port) ? ref.port : ports.length === 1 ? String(ports[0].port) : ref.port || String(ports[0]?.port ?? '');
    return { ...ref, port };
  };
  if (configured) {
    const found = await tryRef(configured);
    if (!found) throw new SkipCheck(`no ${component} service ${formatServiceRef(configured)} (live settings of the spec)`);
    return found;
  }
  for (const c of candidates) {
    const found = await tryRef(c);
    if (found) return found;
  }
  throw new SkipCheck(`no ${component} service (looked for ${candidates.map((c) => `${c.namespace}/${c.name}`).join(', ')}; set live.${component.toLowerCase()}.service in opex.yaml)`);
}

// ---- Velero --------------------------------------------------------------------------------------------

const VELERO = { group: 'velero.io', version: 'v1' };

export function covers(included: unknown, excluded: unknown, namespace: string): boolean {
  const inc = Array.isArray(included) ? included.map(String) : [];
  const exc = Array.isArray(excluded) ? excluded.map(String) : [];
  if (exc.includes(namespace)) return false;
  return inc.length === 0 || inc.includes('*') || inc.includes(namespace);
}

/** Velero Schedules whose backups cover the spec's namespace, Enabled ones first. */
export async function coveringSchedules(ctx: CheckContext): Promise<any[]> {
  await requireGroup(ctx, VELERO.group, VELERO.version, 'Velero');
  const ns = ctx.settings.velero.namespace;
  ctx.step(`reading Velero Schedules in ${ns}`);
  const all = await ctx.kube.listCustom(VELERO.group, VELERO.version, ns, 'schedules');
  const mine = all.filter((s) => covers(s.spec?.template?.includedNamespaces, s.spec?.template?.excludedNamespaces, ctx.spec.namespace));
  return mine.sort((a, b) => Number(b.status?.phase === 'Enabled') - Number(a.status?.phase === 'Enabled'));
}

export const TERMINAL_BACKUP = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

/** The backups a Schedule made, newest first. */
export async function backupsOf(ctx: CheckContext, schedule: string): Promise<any[]> {
  const ns = ctx.settings.velero.namespace;
  const list = await ctx.kube.listCustom(VELERO.group, VELERO.version, ns, 'backups', `velero.io/schedule-name=${schedule}`);
  const t = (b: any) => toDate(b.status?.startTimestamp)?.getTime() ?? toDate(b.metadata?.creationTimestamp)?.getTime() ?? 0;
  return list.sort((a, b) => t(b) - t(a));
}

export function scheduleRef(s: any): ObjectRef {
  return { apiVersion: 'velero.io/v1', kind: 'Schedule', namespace: s.metadata?.namespace, name: s.metadata?.name };
}

export function backupRef(b: any): ObjectRef {
  return { apiVersion: 'velero.io/v1', kind: 'Backup', namespace: b.metadata?.namespace, name: b.metadata?.name };
}

/** The metric prefix the default PromQL templates use: `task-api` → `task_api`. */
export function metricName(service: string): string {
  return service.replace(/[^A-Za-z0-9_]/g, '_');
}
