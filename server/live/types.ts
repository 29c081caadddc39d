/**
 * Live checks: the typed results and options shared by `opex verify`, the `opex/verify` LSP request and the
 * side panel. Everything here is plain data (JSON-serialisable) so it crosses the wire untouched.
 */
import type { LoadedSpec } from '../engine/spec/types';
import type { CriterionId, Range } from '../engine/types';

export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP' | 'ERROR';

/** A Kubernetes object a result is about, so an editor can link it to the manifest that defines it. */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One step of a replacement pod's life (SC-008): when it happened, relative to the kill, and how long it took. */
export interface TimelineStep {
  step: 'killed' | 'created' | 'scheduled' | 'image-pull' | 'init' | 'started' | 'ready';
  /** Seconds after the pod was killed. */
  at: number;
  /** Seconds this step took (from the previous step, or the pull/init's own duration). */
  took: number;
  detail: string;
}

export interface CheckResult {
  id: CriterionId;
  /** The criterion in the chapter's table wording ("Cost labels present"). */
  title: string;
  /** The criterion as the spec words it. */
  criterion: string;
  status: CheckStatus;
  /** What the spec asks ("4 labels", "0 2 * * * UTC", "< 30s"). */
  target: string;
  /** What the cluster shows ("4 labels", "2m 15s"); empty when nothing could be measured. */
  actual: string;
  /** Why a check failed, was skipped or errored, in one sentence. */
  reason?: string;
  /** Supporting lines: which pods lack which labels, the failing query, the replacement pod's timeline. */
  details: string[];
  durationMs: number;
  /** The check changes the cluster (SC-007 restore, SC-008 pod kill). */
  disruptive: boolean;
  /** Objects looked at, for links back to the manifests. */
  objects: ObjectRef[];
  /** Where the spec states this criterion and its target fields. */
  spec?: { file: string; range?: Range; fields: Array<{ field: string; range: Range }> };
  /** Check-specific data: missing labels per pod, the pod timeline, the query and its value… */
  data?: Record<string, unknown>;
}

export interface VerifySummary {
  pass: number;
  fail: number;
  skip: number;
  error: number;
  total: number;
}

export interface VerifyReport {
  version: 1;
  tool: 'opex verify';
  spec: { file: string; service: string; namespace: string };
  cluster: { context: string; server: string; version?: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  allowDisruptive: boolean;
  /** The run was cancelled before every check finished. */
  cancelled: boolean;
  results: CheckResult[];
  summary: VerifySummary;
}

/** Where the checks reach a service through the API server's service proxy. */
export interface ServiceRef {
  namespace: string;
  name: string;
  /** Port number or name, as the service proxy path takes it. */
  port: string;
}

/** The `live:` section of opex.yaml (every field optional; the defaults follow the usual Helm charts). */
export interface LiveSettings {
  opencost: {
    /** Where OpenCost is; absent: the chart's defaults are tried in turn. */
    service?: ServiceRef;
    candidates: ServiceRef[];
    path: string;
    window: string;
  };
  prometheus: {
    service?: ServiceRef;
    candidates: ServiceRef[];
    /** PromQL templates: {namespace} {service} {app} {metric} {window} are filled in. */
    queries: { errors5xx: string; p95LatencyMs: string; requests: string };
    /** Wait this long after the window ends before querying, so Prometheus has scraped it (default 30 s). */
    settleMs: number;
    /** The shortest range a query covers (default 60 s: rate() needs a few scrapes). */
    minRangeSeconds: number;
  };
  velero: { namespace: string };
  /** Namespace SC-008 kills a pod in; default the spec's first chaos namespace. */
  chaosNamespace?: string;
  /** Scratch namespace SC-007 restores into; default `opex-restore-<service>-<time>`. It must not exist. */
  restoreNamespace?: string;
  /** SC-008: delete one pod (default) or create a copy of the workspace's PodChaos. */
  podKill: { method: 'delete' | 'podchaos' };
  timeouts: {
    /** Every API request (default 15 s). */
    requestMs: number;
    /** SC-007's watch deadline; default the RTO. */
    restoreMs?: number;
    /** SC-008's watch deadline; default max(2 × target, target + 60 s). */
    podKillMs?: number;
    /** Cleanup of what a disruptive check created (default 30 s). */
    cleanupMs: number;
  };
}

export type LiveSettingsInput = {
  [K in keyof LiveSettings]?: LiveSettings[K] extends object ? Partial<LiveSettings[K]> : LiveSettings[K];
};

export interface VerifyOptions {
  /** The loaded spec (see `loadSpec`); its `live:` section is read from `specText`, else from `spec.file`, when it is opex.yaml. */
  spec: LoadedSpec;
  /** The spec's text as the editor holds it (unsaved changes included). */
  specText?: string;
  /** A kubeconfig file; default `KUBECONFIG` or `~/.kube/config` (or in-cluster). */
  kubeconfig?: string;
  /** A context of the kubeconfig; default its current context. */
  context?: string;
  /** Only these criteria (others are left out of the report). */
  only?: CriterionId[];
  /** Run SC-007/SC-008, which change the cluster. */
  allowDisruptive?: boolean;
  /** Overrides of the spec's `live:` section. */
  settings?: LiveSettingsInput;
  /** The PodChaos manifest SC-008 applies with `podKill.method: podchaos` (from the workspace). */
  podChaos?: Record<string, unknown>;
  /** Clock, for tests. */
  now?: () => Date;
}

export type ProgressEvent =
  | { kind: 'begin'; total: number; ids: CriterionId[]; context: string; server: string }
  | { kind: 'check-start'; id: CriterionId; index: number; total: number; title: string }
  | { kind: 'check-step'; id: CriterionId; message: string }
  | { kind: 'check-end'; id: CriterionId; index: number; total: number; result: CheckResult }
  | { kind: 'end'; report: VerifyReport };

export interface RunHooks {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}
