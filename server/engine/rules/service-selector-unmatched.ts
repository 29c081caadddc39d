import { formatLabels, type Workload } from '../model';
import type { Range } from '../types';
import { asSelector, RUNTIME_POD_LABELS, serviceOf, type ServiceInfo } from '../selection';
import { podsSelectedBy } from '../views';
import { defineRule, resourceRelated } from './rule';

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Is `written` plausibly a misspelling of `meant`? One edit for short words, two from eight characters on;
 * never when they differ only in digits (app-v1 / app-v2 are versions) or one extends the other by more
 * than one character (postgres / postgresql are different names).
 */
export function looksMisspelt(written: string, meant: string): boolean {
  if (written === meant) return false;
  const len = Math.max(written.length, meant.length);
  if (len < 3) return false;
  if (written.replace(/\d/g, '') === meant.replace(/\d/g, '')) return false;
  const [short, long] = written.length < meant.length ? [written, meant] : [meant, written];
  if (long.length - short.length > 1 && (long.startsWith(short) || long.endsWith(short))) return false;
  return editDistance(written, meant) <= (len >= 8 ? 2 : 1);
}

interface NearMiss {
  workload: Workload;
  range: Range;
  what: string;
}

/**
 * Evidence that the Service was written for a workload of the workspace and misses it: a selector label
 * misspelt (key or value), a label the workload carries on itself but not on its pods, or, failing that,
 * a workload named like the Service.
 */
function nearMiss(svc: ServiceInfo, candidates: readonly Workload[]): NearMiss | undefined {
  const res = svc.resource;
  const selector = svc.selector!;
  let sameName: Workload | undefined;
  for (const w of candidates) {
    const runtime = RUNTIME_POD_LABELS[w.resource.kind] ?? [];
    const missed = Object.entries(selector).filter(([k, v]) => w.podLabels[k] !== v && !(runtime.includes(k) && !(k in w.podLabels)));
    const who = `${w.resource.kind} ${w.resource.name}`;
    if (missed.length === 1) {
      const [key, value] = missed[0];
      const have = w.podLabels[key];
      if (have !== undefined && looksMisspelt(value, have)) {
        return { workload: w, range: res.rangeOf([...svc.selectorPath, key]), what: `${key}=${value}, but the pods of ${who} carry ${key}=${have}` };
      }
      if (have === undefined) {
        const similarKey = Object.keys(w.podLabels).find((k) => w.podLabels[k] === value && looksMisspelt(key, k));
        if (similarKey) {
          return { workload: w, range: res.keyRange([...svc.selectorPath, key]), what: `${key}=${value}, but the pods of ${who} carry ${similarKey}=${value}` };
        }
        if (w.metadataLabels[key] === value && w.resource.kind !== 'Pod') {
          return { workload: w, range: res.keyRange([...svc.selectorPath, key]), what: `${key}=${value}, which ${who} carries in its own metadata.labels but not in its pod template (pods get only the template's labels)` };
        }
      }
    }
    if (!sameName && w.resource.name === res.name && w.resource.kind !== 'Job' && w.resource.kind !== 'CronJob') sameName = w;
  }
  if (sameName) {
    return {
      workload: sameName,
      range: res.keyRange(svc.selectorPath),
      what: `${formatLabels(selector)}, but the pods of ${sameName.resource.kind} ${sameName.resource.name}, named like this Service, carry ${formatLabels(sameName.podLabels) || 'no labels'}`,
    };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'service-selector-unmatched',
    severity: 'error',
    description: 'A Service selects no pod template of its namespace, although a workload next to it was evidently meant.',
    why: 'A Service whose selector matches no pod has no endpoints: every connection to it fails, and `kubectl apply` does not say so. Pods are often defined elsewhere (another repository, a Helm chart, an operator), so opex reports a Service only when a workload of its namespace in the workspace is evidently the one meant: the selector misses its pod labels by one misspelt key or value, or by a label the workload carries on itself but not in its pod template, or the workload has the Service\'s name. Labels controllers add to pods (`pod-template-hash`, `statefulset.kubernetes.io/pod-name`, …) count as present. ExternalName Services and Services without selector are not checked.',
    fixable: false,
    criteria: [],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const svc = serviceOf(res);
      if (!svc?.selector) continue;
      if (podsSelectedBy(ctx.index, res.namespace, asSelector(svc.selector)).length > 0) continue;
      const inNs = ctx.index.workloadsIn(res.namespace);
      if (inNs.length === 0) continue;
      const miss = nearMiss(svc, inNs);
      if (!miss) continue;
      const w = miss.workload;
      ctx.report({
        resource: res,
        range: miss.range,
        message: `Service ${res.name} selects no pods in namespace ${res.namespace}: its selector requires ${miss.what}. Without matching pods the Service has no endpoints and every connection to it fails.`,
        related: [resourceRelated(w.resource, `Pod labels of ${w.resource.kind} ${w.resource.name}: ${formatLabels(w.podLabels) || 'none'}`, w.resource.keyRange(w.podLabelsPath))],
      });
    }
  },
});
