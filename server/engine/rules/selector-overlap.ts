import { formatSelector, selectorIsEmpty, selectorMatches, workloadOf, type Workload } from '../model';
import { podsSelectedBy } from '../views';
import * as path from 'node:path';
import { defineRule, resourceRelated } from './rule';

/** Are two files deployed together? In one folder, or one in a folder above the other; sibling folders (separate samples, alternative overlays) are not compared. */
function relatedFolders(a: string, b: string): boolean {
  const da = path.dirname(a);
  const db = path.dirname(b);
  return da === db || da.startsWith(db + path.sep) || db.startsWith(da + path.sep);
}

/** Workloads named as related information of one diagnostic at most. */
const MAX_RELATED = 10;

/** Controllers whose selector the user writes and that keep a set of pods alive. Jobs get generated selectors; Pods have none. */
const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

export default defineRule({
  meta: {
    id: 'selector-overlap',
    severity: 'warning',
    description: "Two workloads in one namespace have selectors that each select the other's pods.",
    why: 'A controller manages the pods its selector selects: when two Deployments (or a Deployment and a StatefulSet…) in one namespace both select `app: web`, each counts the other\'s pods as its own, and every Service, PodDisruptionBudget or chaos experiment selecting `app: web` reaches both. Give each workload a label of its own in its selector and template. Both workloads are reported, each with the other as related information. Left out: Jobs, CronJobs and bare Pods (no selector of their own), two workloads of one name (one application written twice), workloads in sibling folders, and files that also define a same object (variants of a sample, deployed separately).',
    fixable: false,
    criteria: [],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    // Files that define the same object are alternatives of each other (variants of one sample), not deployed together.
    const objectsOf = new Map<string, Set<string>>();
    const objects = (file: string) => {
      let set = objectsOf.get(file);
      if (!set) {
        objectsOf.set(file, (set = new Set()));
        for (const r of ctx.index.file(file)?.resources ?? []) set.add(`${r.kind}|${r.namespace}|${r.name}`);
      }
      return set;
    };
    const alternatives = (a: string, b: string) => {
      if (a === b) return false;
      const sa = objects(a);
      for (const id of objects(b)) if (sa.has(id)) return true;
      return false;
    };
    const candidate = (w: Workload) => CONTROLLERS.has(w.resource.kind) && !!w.selector && !!w.selectorPath && !selectorIsEmpty(w.selector);
    for (const res of ctx.resources) {
      const a = workloadOf(res);
      if (!a || !candidate(a)) continue;
      const ra = a.resource;
      const others: Workload[] = [];
      // Workloads whose pods a's selector reaches: an index lookup, not a scan of the namespace.
      for (const b of podsSelectedBy(ctx.index, a.resource.namespace, a.selector!)) {
        if (a === b || !candidate(b)) continue;
        const rb = b.resource;
        // The same name is one application written twice (duplicate-resource, or alternatives such as a Deployment
        // and a DaemonSet variant of one controller), not two applications fighting.
        if (ra.name === rb.name) continue;
        if (!relatedFolders(ra.file, rb.file) || alternatives(ra.file, rb.file)) continue;
        if (!selectorMatches(a.selector!, b.podLabels) || !selectorMatches(b.selector!, a.podLabels)) continue;
        others.push(b);
        if (others.length > MAX_RELATED) break;
      }
      if (others.length === 0) continue;
      // One diagnostic per workload, however many others it fights with (n copies of one workload would
      // otherwise give n² diagnostics); the first few are named as related information.
      const [b] = others;
      const rb = b.resource;
      const count = others.length > MAX_RELATED ? `at least ${others.length - 1}` : `${others.length - 1}`;
      const more = others.length > 1 ? ` (and ${count} other workload${others.length > 2 ? 's' : ''})` : '';
      ctx.report({
        resource: ra,
        range: ra.keyRange(a.selectorPath!),
        message: `The selector of ${ra.kind} ${ra.name} (${formatSelector(a.selector!)}) also selects the pods of ${rb.kind} ${rb.name}${more}, whose selector (${formatSelector(b.selector!)}) selects these pods in turn: both controllers claim the same pods, and anything selecting them (Services, PodDisruptionBudgets, chaos experiments) reaches both. Add a label that tells them apart to each selector and template.`,
        related: others.slice(0, MAX_RELATED).map((o) => resourceRelated(o.resource, `${o.resource.kind} ${o.resource.name} selects ${formatSelector(o.selector!)}`, o.resource.keyRange(o.selectorPath!))),
      });
    }
  },
});
