import { addToMap } from '../edit';
import { workloadOf } from '../model';
import { isServiceWorkload } from '../scope';
import { defineRule, specRelated } from './rule';

export default defineRule({
  meta: {
    id: 'cost-labels-missing',
    severity: 'error',
    description: "A service workload's pod template lacks a cost label the spec requires.",
    why: 'OpenCost allocates cost by the labels of pods, not of the Deployment: a label that is only in `metadata.labels` never reaches the pods, so their cost lands in the unallocated bucket and "what does this service cost, and who pays?" has no answer (SC-001, SC-002). The pod template is the only place that counts.',
    fixable: true,
    criteria: ['SC-001', 'SC-002'],
    scope: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const loaded = ctx.specFor(res.file);
      const w = workloadOf(res);
      if (!loaded || !w || !isServiceWorkload(loaded.spec, w)) continue;
      const required = loaded.spec.costLabels;
      const missing = Object.keys(required).filter((k) => !(k in w.podLabels));
      if (missing.length === 0) continue;
      const entries = Object.fromEntries(missing.map((k) => [k, required[k]]));
      const edit = addToMap(res, w.podLabelsPath, entries);
      const list = missing.map((k) => `${k}: ${required[k]}`).join(', ');
      ctx.report({
        resource: res,
        range: res.keyRange(w.podLabelsPath),
        message: `The pod template of ${res.kind} ${res.name} lacks the cost label${missing.length > 1 ? 's' : ''} ${list}. OpenCost reads pod labels, so this service's cost cannot be allocated (spec SC-001).`,
        related: specRelated(loaded, 'costLabels', 'The spec requires these cost labels'),
        fix: edit && { title: `Add cost label${missing.length > 1 ? 's' : ''} ${list} to the pod template`, edits: [edit], preferred: true },
      });
    }
  },
});
