import { chaosPodSelectors, experimentName, selectedWorkloads } from '../chaos';
import { formatLabels, formatSelector, selectorMatches, type Workload } from '../model';
import { editDistance } from '../similar';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'chaos-selector-unmatched',
    severity: 'warning',
    description: "A chaos experiment's selector matches no pod template of a workload in the namespaces it reaches.",
    why: 'Chaos Mesh selects pods by namespace and labels when the experiment starts. A selector that matches nothing (a typo in a label, a label that only the Deployment carries and not its pods, the wrong namespace) makes the experiment fail with "no pod is selected", and the resilience criteria (SC-008 to SC-010) are never exercised. Pods deployed from elsewhere (a Helm chart, an operator, another repository) cannot be seen, so the rule only speaks when it is sure: in namespaces whose workloads the workspace defines, when a pod template there carries the same label keys with a value one typo away, or when only a workload\'s own metadata (not its pod template) carries the selected labels.',
    fixable: false,
    criteria: ['SC-008', 'SC-009', 'SC-010'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      for (const sel of chaosPodSelectors(res)) {
        // Pods listed by name, or pods of another cluster (remoteCluster), are not the workspace's to judge.
        if (sel.pods || sel.experiment.spec.remoteCluster) continue;
        const byNamespace = sel.namespaces.map((ns) => ctx.index.workloadsIn(ns));
        // A namespace without any workload in the workspace is deployed from elsewhere: nothing can be concluded.
        if (byNamespace.length === 0 || byNamespace.some((list) => list.length === 0)) continue;
        if (selectedWorkloads(ctx.index, sel).length > 0) continue;
        const candidates = byNamespace.flat();
        // Labels nobody here carries may belong to pods deployed from elsewhere (another chart, an operator): only a
        // near miss is sure: a typo in a value, or labels that only a workload's own metadata carries.
        const near = nearest(candidates, sel.labels.matchLabels);
        const positive = Object.keys(sel.labels.matchLabels).length > 0 || sel.labels.matchExpressions.some((e) => e.operator === 'In' || e.operator === 'Exists');
        const metadataOnly = near || !positive ? undefined : candidates.find((w) => selectorMatches(sel.labels, w.metadataLabels));
        if (!near && !metadataOnly) continue;
        const field = sel.role === 'target' ? 'target.selector' : 'selector';
        const labelsPath = sel.labels.matchExpressions.length > 0 && Object.keys(sel.labels.matchLabels).length === 0 ? 'expressionSelectors' : 'labelSelectors';
        const where = sel.namespaces.length === 1 ? `namespace ${sel.namespaces[0]}` : `namespaces ${sel.namespaces.join(', ')}`;
        const head = `${experimentName(sel.experiment)} selects pods with ${formatSelector(sel.labels)} in ${where} (${field}), but no workload there has a pod template with these labels: Chaos Mesh would select no pod and the experiment fails without testing anything.`;
        if (near) {
          const w = near.workload.resource;
          ctx.report({
            resource: res,
            range: res.keyRange([...sel.path, labelsPath]),
            message: `${head} Did you mean ${formatLabels(near.labels)} (${w.kind} ${w.name})?`,
            related: [resourceRelated(w, `Pod template labels of ${w.kind} ${w.name}`, w.keyRange(near.workload.podLabelsPath))],
          });
        } else if (metadataOnly) {
          const w = metadataOnly.resource;
          ctx.report({
            resource: res,
            range: res.keyRange([...sel.path, labelsPath]),
            message: `${head} Only the metadata of ${w.kind} ${w.name} carries them, and Chaos Mesh selects pods: select its pod labels (${formatLabels(metadataOnly.podLabels) || 'none'}) or add the labels to its pod template.`,
            related: [resourceRelated(w, `Labels of ${w.kind} ${w.name} itself, not of its pods`, w.keyRange(['metadata', 'labels']))],
          });
        }
      }
    }
  },
});

/** The workload whose pod labels have every key of the selector with values closest to it (a typo), for "did you mean". */
function nearest(workloads: readonly Workload[], wanted: Record<string, string>): { workload: Workload; labels: Record<string, string> } | undefined {
  const keys = Object.keys(wanted);
  if (keys.length === 0) return undefined;
  const budget = Math.max(1, Math.floor(keys.reduce((n, k) => n + wanted[k].length, 0) / 3));
  let best: { workload: Workload; distance: number } | undefined;
  for (const w of workloads) {
    if (!keys.every((k) => k in w.podLabels)) continue;
    const distance = keys.reduce((n, k) => n + editDistance(wanted[k], w.podLabels[k]), 0);
    if (distance <= budget && (!best || distance < best.distance)) best = { workload: w, distance };
  }
  return best && { workload: best.workload, labels: Object.fromEntries(keys.map((k) => [k, best.workload.podLabels[k]])) };
}
