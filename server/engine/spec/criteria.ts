import { formatHumanDuration } from '../duration';
import type { CriterionId } from '../types';
import type { CriterionSpec, OpexSpec } from './types';

/** What each success criterion is about, as the chapter defines SC-001…SC-010. */
export const CRITERIA: Record<CriterionId, { title: string; area: 'cost' | 'recovery' | 'resilience'; live: boolean; static: boolean }> = {
  'SC-001': { title: 'Pods carry the cost allocation labels', area: 'cost', live: true, static: true },
  'SC-002': { title: 'OpenCost returns cost data by team label', area: 'cost', live: true, static: false },
  'SC-003': { title: 'VPA generates right-sizing recommendations', area: 'cost', live: true, static: true },
  'SC-004': { title: 'Velero Schedule runs as the RPO requires', area: 'recovery', live: true, static: true },
  'SC-005': { title: 'Backups are retained for the retention period', area: 'recovery', live: true, static: true },
  'SC-006': { title: 'Pre-backup hook dumps the database', area: 'recovery', live: true, static: true },
  'SC-007': { title: 'Restore completes within the RTO', area: 'recovery', live: true, static: false },
  'SC-008': { title: 'Pod kill recovery within target', area: 'resilience', live: true, static: true },
  'SC-009': { title: 'No 5xx errors during a single pod failure', area: 'resilience', live: true, static: true },
  'SC-010': { title: 'P95 latency within target during recovery', area: 'resilience', live: true, static: false },
};

/** The criteria an opex.yaml implies when it does not word them itself, in the chapter's order. */
export function impliedCriteria(spec: Omit<OpexSpec, 'criteria'>): CriterionSpec[] {
  const out: CriterionSpec[] = [];
  const labels = Object.entries(spec.costLabels);
  const r = spec.recovery;
  const z = spec.resilience;
  if (labels.length > 0) out.push({ id: 'SC-001', text: `All ${spec.service} pods carry ${labels.length} cost allocation labels` });
  if (spec.costLabels.team) out.push({ id: 'SC-002', text: 'OpenCost returns cost data when queried by team label' });
  out.push({
    id: 'SC-003',
    text: `VPA generates right-sizing recommendations${spec.cost.vpaRecommendationWithin ? ` within ${formatHumanDuration(spec.cost.vpaRecommendationWithin)}` : ''}`,
  });
  if (r?.schedule || r?.rpo !== undefined) {
    out.push({ id: 'SC-004', text: r.schedule ? `Velero Schedule runs on "${r.schedule}" ${r.timezone}` : `Velero Schedule runs at least every ${formatHumanDuration(r.rpo!)}` });
  }
  if (r?.retention !== undefined) out.push({ id: 'SC-005', text: `Backups retain for ${formatHumanDuration(r.retention)}` });
  if (r?.database) out.push({ id: 'SC-006', text: `Pre-backup hook dumps the database in container ${r.database.container}` });
  if (r?.rto !== undefined) out.push({ id: 'SC-007', text: `Restore completes within ${formatHumanDuration(r.rto)}` });
  if (z?.podKillRecovery !== undefined) out.push({ id: 'SC-008', text: `Pod kill recovery under ${formatHumanDuration(z.podKillRecovery)}` });
  if (z?.max5xx !== undefined) out.push({ id: 'SC-009', text: z.max5xx === 0 ? 'No 5xx errors during single pod failure' : `At most ${z.max5xx} 5xx errors during single pod failure` });
  if (z?.p95LatencyMs !== undefined) out.push({ id: 'SC-010', text: `P95 latency stays under ${z.p95LatencyMs}ms during recovery` });
  return out;
}
