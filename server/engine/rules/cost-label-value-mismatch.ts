import { setLabelValue } from '../labels';
import { workloadOf, type LabelSelector } from '../model';
import { isServiceWorkload } from '../scope';
import { servicesSelecting } from '../views';
import type { TextEdit } from '../types';
import { defineRule, resourceRelated, specRelated } from './rule';

function usesKey(sel: LabelSelector | undefined, key: string): boolean {
  return !!sel && (key in sel.matchLabels || sel.matchExpressions.some((e) => e.key === key));
}

export default defineRule({
  meta: {
    id: 'cost-label-value-mismatch',
    severity: 'error',
    description: "A cost label on a service workload's pod template has another value than the spec requires.",
    why: 'OpenCost groups cost by the values of pod labels: a pod labelled `team: platform` instead of the spec\'s `team: product-team` is billed to the wrong team, and the spec\'s query by team label (SC-002) misses it. The fix sets the pod-template label, and the workload\'s own `metadata.labels` when it repeats the same wrong value. When a selector (the workload\'s own, which is immutable, or a Service\'s) uses that label, no fix is offered: changing the pods alone would break the selector, so the selector has to move with it (for a Deployment, by recreating it).',
    fixable: true,
    criteria: ['SC-001', 'SC-002'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const loaded = ctx.specFor(res.file);
      const w = workloadOf(res);
      if (!loaded || !w || !isServiceWorkload(loaded.spec, w)) continue;
      for (const [key, want] of Object.entries(loaded.spec.costLabels)) {
        const have = w.podLabels[key];
        if (have === undefined || have === want) continue;
        const labelPath = [...w.podLabelsPath, key];
        const where = res.kind === 'Pod' ? `Pod ${res.name}` : `The pod template of ${res.kind} ${res.name}`;
        let message = `${where} has the cost label ${key}: ${have}, but the spec requires ${key}: ${want}. OpenCost reads pod labels, so this service's cost is allocated to ${key} "${have}" (spec SC-001).`;
        const related = specRelated(loaded, `costLabels.${key}`, `The spec requires ${key}: ${want}`);
        const pinnedBySelf = usesKey(w.selector, key);
        const pinningServices = servicesSelecting(ctx.index, w).filter((s) => s.selector![key] === have);
        let fix;
        if (pinnedBySelf) {
          message += ` The ${res.kind}'s selector uses ${key} too and a selector cannot be changed: changing the label means recreating the ${res.kind} with a new selector.`;
          if (w.selectorPath) related.push(resourceRelated(res, `The selector uses ${key}`, res.keyRange(w.selectorPath)));
        } else if (pinningServices.length > 0) {
          const names = pinningServices.map((s) => `Service ${s.resource.name}`).join(', ');
          message += ` ${names} select${pinningServices.length > 1 ? '' : 's'} these pods by ${key}=${have}: change ${pinningServices.length > 1 ? 'their selectors' : 'its selector'} together with the label.`;
          for (const s of pinningServices) related.push(resourceRelated(s.resource, `Selects the pods by ${key}=${have}`, s.resource.rangeOf([...s.selectorPath, key])));
        } else {
          const edits: TextEdit[] = [];
          const podEdit = setLabelValue(res, labelPath, want);
          if (podEdit) edits.push(podEdit);
          const meta = w.metadataLabels[key];
          if (res.kind !== 'Pod' && meta !== undefined && meta !== want) {
            const metaEdit = setLabelValue(res, ['metadata', 'labels', key], want);
            if (metaEdit) edits.push(metaEdit);
          }
          if (edits.length > 0) fix = { title: `Set ${key}: ${want}`, edits, preferred: true };
        }
        ctx.report({ resource: res, range: res.rangeOf(labelPath), message, related, fix });
      }
    }
  },
});
