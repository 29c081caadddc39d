import type { CriterionId, Diagnostic, Range, SeverityOverride } from '../types';

/** Durations in the spec are held in seconds. */
export type Seconds = number;

export interface DatabaseSpec {
  /** Labels of the database pods that the pre-backup hook must run in. Default `{app: postgres}`. */
  selector: Record<string, string>;
  /** Container the hook execs into. Default `postgres`. */
  container: string;
  /** Minimum timeout the database pre hook needs; absent when the spec does not say. */
  hookTimeout?: Seconds;
}

export interface RecoverySpec {
  rto?: Seconds;
  rpo?: Seconds;
  /** An exact 5-field cron required of the Schedule (SC-004); when absent, any schedule meeting the RPO is fine. */
  schedule?: string;
  /** IANA timezone the schedule and its hover text are read in. Default `UTC`. */
  timezone: string;
  retention?: Seconds;
  /** Absent for a stateless service: no hook is required. */
  database?: DatabaseSpec;
}

export interface ResilienceSpec {
  podKillRecovery?: Seconds;
  max5xx?: number;
  p95LatencyMs?: number;
}

export interface ConstraintsSpec {
  /** The only VPA updateMode allowed. Default `Off`. */
  vpaUpdateMode: string;
  /** Namespaces chaos experiments may reach. Default `[staging]`. */
  chaosNamespaces: string[];
  /** Labels that may appear in selectors even though they are cost labels. Default `[app]`. */
  stableSelectorLabels: string[];
}

export interface CostSpec {
  /** When VPA recommendations must exist (SC-003). */
  vpaRecommendationWithin?: Seconds;
}

export interface CriterionSpec {
  id: CriterionId;
  /** The criterion as the spec words it (markdown), or the standard wording (opex.yaml). */
  text: string;
}

/**
 * The operational-excellence spec of one service, in the one shape both spec forms load to.
 * Fields the spec does not state hold their documented defaults.
 */
export interface OpexSpec {
  service: string;
  namespace: string;
  /** Required pod labels and their values, in the order the spec lists them. */
  costLabels: Record<string, string>;
  /** `service`: only the service's workloads carry cost labels; `namespace`: every workload of the namespace. */
  costLabelScope: 'service' | 'namespace';
  cost: CostSpec;
  recovery?: RecoverySpec;
  resilience?: ResilienceSpec;
  constraints: ConstraintsSpec;
  /** Severity overrides by rule id. */
  rules: Record<string, SeverityOverride>;
  /** The success criteria the spec states, in order. */
  criteria: CriterionSpec[];
}

/** A spec read from disk: the object, where each of its fields was written, and what could not be understood. */
export interface LoadedSpec {
  file: string;
  format: 'yaml' | 'markdown';
  spec: OpexSpec;
  /**
   * Where each field was written, keyed by dotted path ('recovery.rpo', 'costLabels.team', 'criteria.SC-004').
   * Rules use these as related locations and to report spec-level problems.
   */
  locations: Record<string, Range>;
  /** spec-invalid diagnostics found while loading. */
  diagnostics: Diagnostic[];
}

export const DEFAULT_CONSTRAINTS: ConstraintsSpec = {
  vpaUpdateMode: 'Off',
  chaosNamespaces: ['staging'],
  stableSelectorLabels: ['app'],
};

export const DEFAULT_DATABASE: Omit<DatabaseSpec, 'hookTimeout'> = {
  selector: { app: 'postgres' },
  container: 'postgres',
};
