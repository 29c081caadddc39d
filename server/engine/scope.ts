import { selectorMatches, workloadOf, type Workload } from './model';
import type { Resource } from './resource';
import type { OpexSpec } from './spec/types';

/**
 * Is this workload one of the service's own, whose pods the spec's cost and resilience criteria govern?
 * Those in the spec's namespace whose pod template carries `app: <costLabels.app>` or that are named after the
 * service; with `costLabels.scope: namespace`, every workload of that namespace. The database named in
 * recovery.database is its own workload and is not the service's unless the scope is the namespace.
 */
export function isServiceWorkload(spec: OpexSpec, w: Workload): boolean {
  const res = w.resource;
  if (res.namespace !== spec.namespace) return false;
  if (spec.costLabelScope === 'namespace') return true;
  const db = spec.recovery?.database;
  if (db && Object.keys(db.selector).length > 0 && selectorMatches({ matchLabels: db.selector, matchExpressions: [] }, w.podLabels)) {
    return false;
  }
  const app = spec.costLabels.app ?? spec.service;
  return w.podLabels.app === app || res.name === spec.service;
}

export function serviceWorkloadOf(spec: OpexSpec | undefined, res: Resource): Workload | undefined {
  if (!spec) return undefined;
  const w = workloadOf(res);
  return w && isServiceWorkload(spec, w) ? w : undefined;
}
