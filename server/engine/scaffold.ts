/**
 * The scaffolder: an opex spec → the manifests that carry it out, as text. Pure (no I/O): the CLI
 * (`opex scaffold`) and the language server (`opex/scaffold`, for the editor command) decide where the files go
 * and never overwrite one without being told to.
 *
 * What it writes, and why each choice keeps every opex rule quiet under the same spec:
 * - `<service>-deployment.yaml`: the Deployment and its Service. The cost labels are on the Deployment's
 *   metadata AND on its pod template (OpenCost reads pod labels, SC-001); the selector uses only the stable
 *   selector labels (selectors are immutable); 3 replicas when the spec has resilience targets (one pod can be
 *   killed while two serve, SC-008/SC-009), else 2; cpu/memory requests (cost and VPA need them); readiness and
 *   liveness probes on the named port `http`, which the Service targets by name.
 * - `<service>-pdb.yaml`: a PodDisruptionBudget (one pod at a time may be evicted by a drain).
 * - `<service>-vpa.yaml`: a VerticalPodAutoscaler on the Deployment with the spec's updateMode, quoted
 *   (an unquoted `Off` is the boolean false to kubectl), SC-003.
 * - `<service>-velero-schedule.yaml` when the spec has a recovery section: the spec's exact schedule (with
 *   `CRON_TZ=` when the spec's timezone is not UTC), or a cron derived from the RPO by cron.ts, in UTC (SC-004); ttl = the retention (SC-005); the service's namespace included and pods NOT
 *   excluded (Velero runs exec hooks only in pods it backs up); with a database, a pre hook running pg_dump in
 *   the database container with `onError: Fail` and the spec's hook timeout (SC-006), and a post hook that
 *   removes the dump.
 * - `<database>-statefulset.yaml` when the spec names a database and the caller does not say it exists already:
 *   a PostgreSQL StatefulSet whose pods carry the hook's selector labels and have the hook's container, and its
 *   headless Service. Without it the hook would match no pod (backup-hook-selector-unmatched) and SC-006 could
 *   never pass; callers that find a workload matching the database selector in the workspace pass
 *   `database: false`.
 * - `<service>-podchaos.yaml` when the spec has resilience targets and a chaos namespace: a pod-kill PodChaos in
 *   the first chaos namespace, mode `one`, selecting the service's stable labels (SC-008 to SC-010).
 */
import { cronFromRpo, longestGap, parseVeleroCron } from './cron';
import { formatGoDuration, formatHumanDuration } from './duration';
import { scalarText } from './edit';
import { selectorMatches, type Workload } from './model';
import type { OpexSpec } from './spec/types';

export interface ScaffoldFile {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  text: string;
  /** The kinds it defines, for the user ("Deployment, Service"). */
  kinds: string[];
  /** One line on what the file is for. */
  description: string;
}

export interface ScaffoldOptions {
  /**
   * Write the database StatefulSet the backup hook runs in. Default: when the spec names a database. Pass false
   * when the workspace already has a workload whose pods the database selector matches.
   */
  database?: boolean;
  /** The spec file's name, for the comment at the top of each file. */
  specName?: string;
  /** Container image of the service (default `<service>:1.0.0`, to be replaced). */
  image?: string;
  /** Port the service's container listens on (default 8080). */
  port?: number;
}

/** The spec cannot be scaffolded (no service name, …): the message says what to change. */
export class ScaffoldError extends Error {}

const DAY = 86400;
const DEFAULT_HOOK_TIMEOUT = 120;
const DEFAULT_RETENTION = 30 * DAY;

/** A valid Kubernetes object name (RFC 1123 label) made from free text, or '' when nothing is left. */
export function toObjectName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/** The longest gap between two runs of a cron Velero runs in UTC (seconds), if it parses. */
function cronGap(cron: string): number | undefined {
  const parsed = parseVeleroCron(cron);
  if (!parsed.ok) return undefined;
  const gap = longestGap([parsed.schedule]).seconds;
  return Number.isFinite(gap) ? gap : undefined;
}

/** A duration as Velero and Kubernetes write it: whole seconds up to five minutes as seconds ("120s"), else Go's form ("10m", "720h"). */
function goDuration(seconds: number): string {
  if (Number.isInteger(seconds) && seconds > 0 && seconds <= 300) return `${seconds}s`;
  return formatGoDuration(seconds);
}

function q(value: string | number | boolean): string {
  return scalarText(value);
}

/** A block map of string values at an indent (spaces), one `key: value` per line. */
function mapBlock(map: Record<string, string>, indent: number): string {
  const pad = ' '.repeat(indent);
  return Object.entries(map)
    .map(([k, v]) => `${pad}${q(k)}: ${q(v)}\n`)
    .join('');
}

interface Plan {
  spec: OpexSpec;
  name: string;
  ns: string;
  costLabels: Record<string, string>;
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  resilient: boolean;
  replicas: number;
  image: string;
  port: number;
  header: (what: string) => string;
}

function plan(spec: OpexSpec, opts: ScaffoldOptions): Plan {
  const name = toObjectName(spec.service);
  if (!name) throw new ScaffoldError('The spec names no service (`service:` in opex.yaml, the title of a markdown spec): the manifests are named after it.');
  const ns = spec.namespace || 'default';
  const costLabels = { ...spec.costLabels };
  // The selector: the stable labels among the pod labels, or `app` (every opex spec treats it as stable).
  const app = costLabels.app ?? name;
  const stable = spec.constraints.stableSelectorLabels.filter((k) => costLabels[k] !== undefined);
  const selector: Record<string, string> = stable.length > 0 ? Object.fromEntries(stable.map((k) => [k, costLabels[k]])) : { app };
  const podLabels = { ...costLabels, ...selector };
  const resilient = spec.resilience !== undefined && Object.values(spec.resilience).some((v) => v !== undefined);
  const from = opts.specName ? ` from ${opts.specName}` : '';
  return {
    spec,
    name,
    ns,
    costLabels,
    selector,
    podLabels,
    resilient,
    replicas: resilient ? 3 : 2,
    image: opts.image ?? `${name}:1.0.0`,
    port: opts.port ?? 8080,
    header: (what) => `# ${what} for ${spec.service}, scaffolded by opex${from}.\n`,
  };
}

function labelsOrNothing(labels: Record<string, string>, indent: number): string {
  return Object.keys(labels).length > 0 ? `${' '.repeat(indent - 2)}labels:\n${mapBlock(labels, indent)}` : '';
}

function deployment(p: Plan): string {
  const sc = p.spec.criteria.some((c) => c.id === 'SC-001') ? ' (SC-001)' : '';
  const replicasWhy = p.resilient
    ? ' # one pod can be killed while two keep serving (the spec\'s resilience targets)'
    : ' # two, so a node drain never takes the service down';
  return `${p.header('Deployment and Service')}# The cost labels are on the pod template too: OpenCost reads pod labels${sc}.
# The selector uses stable labels only (selectors cannot change after creation).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${q(p.name)}
  namespace: ${q(p.ns)}
${labelsOrNothing(p.costLabels, 4)}spec:
  replicas: ${p.replicas}${replicasWhy}
  selector:
    matchLabels:
${mapBlock(p.selector, 6)}  template:
    metadata:
      labels:
${mapBlock(p.podLabels, 8)}    spec:
      containers:
        - name: ${q(p.name)}
          image: ${q(p.image)} # replace with your image
          ports:
            - name: http
              containerPort: ${p.port}
          resources:
            requests: # cost allocation and the VPA start from these
              cpu: 250m
              memory: 256Mi
            limits:
              memory: 512Mi
          readinessProbe: # keeps traffic away from a pod that cannot answer yet (no 5xx when a pod is killed)
            httpGet:
              path: /ready
              port: http
            initialDelaySeconds: 5
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /health
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: ${q(p.name)}
  namespace: ${q(p.ns)}
${labelsOrNothing(p.costLabels, 4)}spec:
  selector:
${mapBlock(p.selector, 4)}  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function pdb(p: Plan): string {
  return `${p.header('PodDisruptionBudget')}# A drain or an eviction takes at most one pod at a time.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${q(p.name)}
  namespace: ${q(p.ns)}
${labelsOrNothing(p.costLabels, 4)}spec:
  maxUnavailable: 1
  selector:
    matchLabels:
${mapBlock(p.selector, 6)}`;
}

function vpa(p: Plan): string {
  const mode = p.spec.constraints.vpaUpdateMode;
  const what = mode === 'Off' ? ' # recommendations only: the VPA never evicts a pod' : '';
  return `${p.header('VerticalPodAutoscaler')}apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: ${q(`${p.name}-vpa`)}
  namespace: ${q(p.ns)}
${labelsOrNothing(p.costLabels, 4)}spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${q(p.name)}
  updatePolicy:
    updateMode: ${JSON.stringify(mode)}${what}
  resourcePolicy:
    containerPolicies:
      - containerName: ${q(p.name)}
        minAllowed:
          cpu: 100m
          memory: 128Mi
        maxAllowed:
          cpu: "2"
          memory: 2Gi
        controlledResources: ["cpu", "memory"]
`;
}

interface Database {
  name: string;
  selector: Record<string, string>;
  container: string;
  hookTimeout: number;
}

function databaseOf(spec: OpexSpec): Database | undefined {
  const db = spec.recovery?.database;
  if (!db) return undefined;
  const selector = Object.keys(db.selector).length > 0 ? db.selector : { app: 'postgres' };
  const name = toObjectName(selector.app ?? selector['app.kubernetes.io/name'] ?? Object.values(selector)[0] ?? db.container) || 'postgres';
  return { name, selector, container: db.container, hookTimeout: db.hookTimeout ?? DEFAULT_HOOK_TIMEOUT };
}

function schedule(p: Plan, db: Database | undefined): string {
  const r = p.spec.recovery!;
  let cron: string;
  let cronWhy: string;
  if (r.schedule) {
    // Velero's server runs schedules in UTC; a spec schedule in another zone says so with CRON_TZ= (robfig/cron).
    const zoned = r.timezone && r.timezone !== 'UTC' && !/^(CRON_TZ|TZ)=/.test(r.schedule);
    cron = zoned ? `CRON_TZ=${r.timezone} ${r.schedule}` : r.schedule;
    cronWhy = `the spec's schedule${zoned ? ` in ${r.timezone}` : ''}`;
  } else if (r.rpo !== undefined) {
    // In UTC: no daylight-saving day stretches a gap past the RPO.
    cron = cronFromRpo(r.rpo);
    cronWhy = `runs at most ${formatHumanDuration(cronGap(cron) ?? r.rpo)} apart, within the RPO of ${formatHumanDuration(r.rpo)}`;
  } else {
    cron = '0 2 * * *';
    cronWhy = 'daily; the spec states no RPO';
  }
  const interval = cronGap(cron);
  const retention = r.retention ?? Math.max(DEFAULT_RETENTION, interval ?? 0);
  const ttlWhy = r.retention !== undefined ? `the spec's retention, ${formatHumanDuration(retention)}` : `${formatHumanDuration(retention)}; the spec states no retention`;
  const hookName = `${db?.name ?? 'database'}-consistency`;
  const hooks = db
    ? `    hooks:
      resources:
        - name: ${q(hookName)}
          includedNamespaces:
            - ${q(p.ns)}
          labelSelector:
            matchLabels:
${mapBlock(db.selector, 14)}          pre:
            - exec:
                container: ${q(db.container)}
                command:
                  - /bin/bash
                  - -c
                  - pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" > /var/lib/postgresql/data/backup.sql
                onError: Fail # a failed dump fails the backup instead of keeping an inconsistent one
                timeout: ${goDuration(db.hookTimeout)}
          post:
            - exec:
                container: ${q(db.container)}
                command:
                  - /bin/bash
                  - -c
                  - rm -f /var/lib/postgresql/data/backup.sql
                onError: Continue # cleanup only: the backup is already consistent
                timeout: 30s
`
    : '';
  const sched = p.spec.criteria.some((c) => c.id === 'SC-004') ? ' SC-004:' : '';
  const ttlSc = p.spec.criteria.some((c) => c.id === 'SC-005') ? ' SC-005:' : '';
  return `${p.header('Velero backup Schedule')}# Pods are backed up (not excluded): Velero runs exec hooks only in pods it backs up.
apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: ${q(`${p.name}-${p.ns}-backup`.slice(0, 63).replace(/-+$/, ''))}
  namespace: velero
${labelsOrNothing(p.costLabels, 4)}spec:
  schedule: ${JSON.stringify(cron)} #${sched} ${cronWhy}
  useOwnerReferencesInBackup: false
  template:
    includedNamespaces:
      - ${q(p.ns)}
    excludedResources:
      - events
      - events.events.k8s.io
    snapshotVolumes: true
    ttl: ${goDuration(retention)} #${ttlSc} ${ttlWhy}
${hooks}`;
}

function database(p: Plan, db: Database): string {
  // Cost labels that the database selector does not set, so the database's cost is allocated to the team too.
  // Never the service's `app` label: the service's selector would then reach the database's pods too.
  const labels: Record<string, string> = { ...p.costLabels, ...db.selector };
  if (db.selector.app === undefined) delete labels.app;
  const dbName = toObjectName(p.name).replace(/-/g, '_') || 'app';
  return `${p.header('PostgreSQL StatefulSet')}# The Velero pre-backup hook runs pg_dump in its ${db.container} container: its pods carry the hook's selector labels.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${q(db.name)}
  namespace: ${q(p.ns)}
${labelsOrNothing(labels, 4)}spec:
  serviceName: ${q(db.name)}
  replicas: 1
  selector:
    matchLabels:
${mapBlock(db.selector, 6)}  template:
    metadata:
      labels:
${mapBlock(labels, 8)}    spec:
      containers:
        - name: ${q(db.container)}
          image: postgres:16
          ports:
            - name: postgres
              containerPort: 5432
          env:
            - name: POSTGRES_DB
              value: ${q(dbName)}
            - name: POSTGRES_USER
              valueFrom:
                secretKeyRef:
                  name: ${q(`${db.name}-credentials`)}
                  key: username
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${q(`${db.name}-credentials`)}
                  key: password
            - name: PGDATA
              value: /var/lib/postgresql/data/pgdata
          resources:
            requests:
              cpu: 250m
              memory: 512Mi
            limits:
              memory: 1Gi
          readinessProbe:
            exec:
              command: ["sh", "-c", "pg_isready -U \\"$POSTGRES_USER\\""]
            periodSeconds: 5
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 10Gi
---
apiVersion: v1
kind: Service
metadata:
  name: ${q(db.name)}
  namespace: ${q(p.ns)}
${labelsOrNothing(labels, 4)}spec:
  clusterIP: None
  selector:
${mapBlock(db.selector, 4)}  ports:
    - name: postgres
      port: 5432
      targetPort: postgres
`;
}

function podChaos(p: Plan, chaosNs: string): string {
  const criteria = p.spec.criteria.filter((c) => ['SC-008', 'SC-009', 'SC-010'].includes(c.id)).map((c) => c.id);
  const sc = criteria.length > 0 ? ` (${criteria.join(', ')})` : '';
  return `${p.header('Chaos Mesh PodChaos')}# Kills one pod of the service in ${chaosNs}, where the spec allows chaos, to prove it recovers${sc}.
apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: ${q(`${p.name}-pod-kill`)}
  namespace: ${q(chaosNs)}
${labelsOrNothing(p.costLabels.app !== undefined ? { app: p.costLabels.app } : {}, 4)}spec:
  action: pod-kill
  mode: one # exactly one pod
  selector:
    namespaces:
      - ${q(chaosNs)}
    labelSelectors:
${mapBlock(p.selector, 6)}`;
}

/** The manifests that carry out a spec, one file per concern, in the order they are applied. */
export function scaffold(spec: OpexSpec, opts: ScaffoldOptions = {}): ScaffoldFile[] {
  const p = plan(spec, opts);
  const files: ScaffoldFile[] = [
    { path: `${p.name}-deployment.yaml`, text: deployment(p), kinds: ['Deployment', 'Service'], description: `${p.replicas} replicas with the cost labels, probes and requests, and its Service` },
    { path: `${p.name}-pdb.yaml`, text: pdb(p), kinds: ['PodDisruptionBudget'], description: 'at most one pod evicted at a time' },
    { path: `${p.name}-vpa.yaml`, text: vpa(p), kinds: ['VerticalPodAutoscaler'], description: `updateMode "${spec.constraints.vpaUpdateMode}"` },
  ];
  const db = databaseOf(spec);
  if (spec.recovery && (spec.recovery.rpo !== undefined || spec.recovery.schedule || spec.recovery.retention !== undefined || db)) {
    files.push({
      path: `${p.name}-velero-schedule.yaml`,
      text: schedule(p, db),
      kinds: ['Schedule'],
      description: db ? `backups of ${p.ns} with a pg_dump pre hook in ${db.container}` : `backups of ${p.ns}`,
    });
  }
  if (db && (opts.database ?? true)) {
    files.push({ path: `${db.name}-statefulset.yaml`, text: database(p, db), kinds: ['StatefulSet', 'Service'], description: `the database the backup hook dumps (pods labelled ${Object.entries(db.selector).map(([k, v]) => `${k}=${v}`).join(',')})` });
  }
  const chaosNs = spec.constraints.chaosNamespaces[0];
  if (p.resilient && chaosNs) {
    files.push({ path: `${p.name}-podchaos.yaml`, text: podChaos(p, chaosNs), kinds: ['PodChaos'], description: `kills one pod in ${chaosNs}` });
  }
  return files;
}

/**
 * A workload in the spec's namespace whose pods the spec's database selector matches: the database exists
 * already, so the scaffolder must not write another one (`database: false`).
 */
export function findDatabaseWorkload(spec: OpexSpec, workloads: Iterable<Workload>): Workload | undefined {
  const db = spec.recovery?.database;
  if (!db || Object.keys(db.selector).length === 0) return undefined;
  const selector = { matchLabels: db.selector, matchExpressions: [] };
  for (const w of workloads) {
    if (w.resource.namespace === (spec.namespace || 'default') && selectorMatches(selector, w.podLabels)) return w;
  }
  return undefined;
}

/**
 * The opex.yaml "opex: Create opex spec" writes: the chapter's task-api targets, every field commented with the
 * criterion it serves. The same text as the `opex-spec` snippet expanded with its defaults (a test keeps them equal).
 */
export const SPEC_TEMPLATE = `# opex spec: what the manifests of this folder (and below) must carry out.
service: task-api
namespace: production
costLabels: # SC-001: on every pod of the service
  team: product-team
  app: task-api
  environment: production
  cost-center: engineering
recovery:
  rto: 30m # SC-007
  rpo: 24h # SC-004: backups at most this far apart
  schedule: "0 2 * * *" # SC-004: an exact schedule (remove to derive one from the RPO)
  timezone: UTC
  retention: 720h # SC-005
  database: # SC-006: the pre-backup hook dumps it (remove for a stateless service)
    selector: {app: postgres}
    container: postgres
    hookTimeout: 120s
resilience:
  podKillRecovery: 30s # SC-008
  max5xx: 0 # SC-009
  p95LatencyMs: 500 # SC-010
constraints:
  vpaUpdateMode: "Off"
  chaosNamespaces: [staging]
  stableSelectorLabels: [app] # cost labels allowed in selectors
`;
