import { addToMap } from '../edit';
import { setLabelValue } from '../labels';
import { workloadOf } from '../model';
import { isServiceWorkload } from '../scope';
import { defineRule, resourceRelated, specRelated } from './rule';

export default defineRule({
  meta: {
    id: 'cost-labels-inconsistent',
    severity: 'warning',
    description: "A service workload's own metadata.labels lack a cost label its pod template carries, or give it another value.",
    why: 'The chapter puts the cost labels on both the workload and its pods: OpenCost reads the pods, while people, dashboards and `kubectl get -l team=…` read the Deployment. When the two disagree, the Deployment tells another story than the bill. This rule only fires when the pod template is already right (a wrong or missing pod label is `cost-label-value-mismatch` or `cost-labels-missing`), and its fix always changes `metadata.labels`, never the pod template: changing the template would roll out new pods, and the template is the side that counts.',
    fixable: true,
    criteria: ['SC-001'],
    scope: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      if (res.kind === 'Pod') continue; // a Pod's labels are its pod labels
      const loaded = ctx.specFor(res.file);
      const w = workloadOf(res);
      if (!loaded || !w || !isServiceWorkload(loaded.spec, w)) continue;
      const templateLabels = resourceRelated(res, 'The pod template carries the spec\'s values', res.keyRange(w.podLabelsPath));
      const missing: Record<string, string> = {};
      for (const [key, want] of Object.entries(loaded.spec.costLabels)) {
        // Only where the pod template is right: other cases are other rules' (one cause, one diagnostic).
        if (w.podLabels[key] !== want) continue;
        const meta = w.metadataLabels[key];
        if (meta === undefined) {
          missing[key] = want;
          continue;
        }
        if (meta === want) continue;
        const edit = setLabelValue(res, ['metadata', 'labels', key], want);
        ctx.report({
          resource: res,
          range: res.rangeOf(['metadata', 'labels', key]),
          message: `${res.kind} ${res.name} is labelled ${key}: ${meta}, but its pods (and the spec) say ${key}: ${want}. OpenCost bills the pods' value; the ${res.kind}'s label misleads whoever reads it.`,
          related: [templateLabels, ...specRelated(loaded, `costLabels.${key}`, `The spec requires ${key}: ${want}`)],
          fix: edit && { title: `Set ${key}: ${want} on the ${res.kind}`, edits: [edit], preferred: true },
        });
      }
      const keys = Object.keys(missing);
      if (keys.length === 0) continue;
      const list = keys.map((k) => `${k}: ${missing[k]}`).join(', ');
      const edit = addToMap(res, ['metadata', 'labels'], missing);
      ctx.report({
        resource: res,
        range: res.keyRange(['metadata', 'labels']),
        message: `The labels of ${res.kind} ${res.name} lack the cost label${keys.length > 1 ? 's' : ''} ${list} that its pod template carries. Keep both in line, as the spec's manifests do, so that the ${res.kind} shows who pays for it.`,
        related: [templateLabels, ...specRelated(loaded, 'costLabels', 'The spec\'s cost labels')],
        fix: edit && { title: `Add ${list} to the ${res.kind}'s labels`, edits: [edit], preferred: true },
      });
    }
  },
});
