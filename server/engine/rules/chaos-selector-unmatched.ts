import { chaosPodSelectors, experimentName, selectedWorkloads } from '../chaos';
import { formatLabels, formatSelector, type Workload } from '../model';
import { editDistance, listNames } from '../similar';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'chaos-selector-unmatched',
    severity: 'warning',
    description: "A chaos experiment's selector matches no pod template of a workload in the namespaces it reaches.",
    why: 'Chaos Mesh selects pods by namespace and labels when the experiment starts. A selector that matches nothing (a typo in a label, a label that only the Deployment carries and not its pods, the wrong namespace) makes the experiment fail with "no pod is selected", and the resilience criteria (SC-008 to SC-010) are never exercised. The rule only judges namespaces whose workloads the workspace defines: pods deployed from elsewhere (a Helm chart, another repository) cannot be seen, so it stays quiet there.',
    fixable: false,
    criteria: ['SC-008', 'SC-009', 'SC-010'],
    scope: 'workspace',
    needsSpec: false,
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: staging
spec:
  replicas: 3
  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels: {app: task-api}
    spec:
      containers:
        - name: task-api
          image: task-api:1
---
apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: task-api-pod-kill
  namespace: staging
spec:
  action: pod-kill
  mode: one
  selector:
    namespaces: [staging]
    labelSelectors:
      app: taskapi
`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: staging
spec:
  replicas: 3
  selector:
    matchLabels: {app: task-api}
  template:
    metadata:
      labels: {app: task-api}
    spec:
      containers:
        - name: task-api
          image: task-api:1
---
apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: task-api-pod-kill
  namespace: staging
spec:
  action: pod-kill
  mode: one
  selector:
    namespaces: [staging]
    labelSelectors:
      app: task-api
`,
    },
  },
  check(ctx) {
    for (const res of ctx.resources) {
      for (const sel of chaosPodSelectors(res)) {
        if (sel.pods) continue;
        const byNamespace = sel.namespaces.map((ns) => ctx.index.workloadsIn(ns));
        // A namespace without any workload in the workspace is deployed from elsewhere: nothing can be concluded.
        if (byNamespace.length === 0 || byNamespace.some((list) => list.length === 0)) continue;
        if (selectedWorkloads(ctx.index, sel).length > 0) continue;
        const candidates = byNamespace.flat();
        const near = nearest(candidates, sel.labels.matchLabels);
        const field = sel.role === 'target' ? 'target.selector' : 'selector';
        const labelsPath = sel.labels.matchExpressions.length > 0 && Object.keys(sel.labels.matchLabels).length === 0 ? 'expressionSelectors' : 'labelSelectors';
        const where = sel.namespaces.length === 1 ? `namespace ${sel.namespaces[0]}` : `namespaces ${sel.namespaces.join(', ')}`;
        const listed = listNames(candidates.map((w) => `${w.resource.name} (${formatLabels(w.podLabels) || 'no labels'})`), 4);
        ctx.report({
          resource: res,
          range: res.keyRange([...sel.path, labelsPath]),
          message: `${experimentName(sel.experiment)} selects pods with ${formatSelector(sel.labels)} in ${where} (${field}), but no workload there has a pod template with these labels: Chaos Mesh would select no pod and the experiment fails without testing anything.${near ? ` Did you mean ${formatLabels(near.labels)} (${near.workload.resource.kind} ${near.workload.resource.name})?` : ` Workloads there: ${listed}.`}`,
          related: near ? [resourceRelated(near.workload.resource, `Pod template labels of ${near.workload.resource.kind} ${near.workload.resource.name}`, near.workload.resource.keyRange(near.workload.podLabelsPath))] : [],
        });
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
