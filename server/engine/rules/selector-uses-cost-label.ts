import { workloadOf, type Workload } from '../model';
import type { NodePath, Resource } from '../resource';
import { isServiceWorkload } from '../scope';
import { asSelector, serviceOf } from '../selection';
import { podsSelectedBy } from '../views';
import type { LoadedSpec } from '../spec/types';
import { defineRule, resourceRelated, specRelated, type RuleContext } from './rule';

function stableNote(loaded: LoadedSpec): string {
  const stable = loaded.spec.constraints.stableSelectorLabels;
  return stable.length > 0 ? `the spec allows only ${stable.join(', ')} in selectors` : 'the spec allows no cost label in selectors';
}

function related(loaded: LoadedSpec) {
  const r = specRelated(loaded, 'constraints.stableSelectorLabels', 'Cost labels allowed in selectors');
  return r.length > 0 ? r : specRelated(loaded, 'costLabels', 'The spec\'s cost labels');
}

/** Reports every unstable cost label used by the selector written at `path` (a LabelSelector, or a plain map). */
function reportKeys(ctx: RuleContext, res: Resource, path: NodePath, plain: boolean, unstable: Set<string>, message: (key: string) => string, loaded: LoadedSpec, extra: ReturnType<typeof resourceRelated>[] = []): void {
  const sel = res.get(path);
  if (!sel || typeof sel !== 'object') return;
  const labels = plain ? sel : sel.matchLabels;
  if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const key of Object.keys(labels)) {
      if (!unstable.has(key)) continue;
      const labelsPath = plain ? path : [...path, 'matchLabels'];
      ctx.report({ resource: res, range: res.keyRange([...labelsPath, key]), message: message(key), related: [...related(loaded), ...extra] });
    }
  }
  if (!plain && Array.isArray(sel.matchExpressions)) {
    sel.matchExpressions.forEach((e: any, i: number) => {
      if (!e || typeof e.key !== 'string' || !unstable.has(e.key)) return;
      ctx.report({ resource: res, range: res.rangeOf([...path, 'matchExpressions', i, 'key']), message: message(e.key), related: [...related(loaded), ...extra] });
    });
  }
}

export default defineRule({
  meta: {
    id: 'selector-uses-cost-label',
    severity: 'warning',
    description: "A selector of the service (its workload's or a Service's) uses a cost label the spec does not list as stable.",
    why: 'Cost labels change with the organisation: teams are renamed, cost centers merge. A workload selector is immutable, so once a Deployment selects on `team`, relabelling its pods is rejected ("selector does not match template labels") and the Deployment has to be deleted and recreated; a Service that selects on it loses its endpoints the moment the pods are relabelled. The chapter\'s constraint says "cost labels must not conflict with existing selectors": select on stable labels only (`constraints.stableSelectorLabels`, by default `app`).',
    fixable: false,
    criteria: ['SC-001'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: true,
  },
  check(ctx) {
    const isServiceOfItsSpec = (w: Workload) => {
      const loaded = ctx.specFor(w.resource.file);
      return loaded !== undefined && isServiceWorkload(loaded.spec, w);
    };
    const unstableFor = (loaded: LoadedSpec) =>
      new Set(Object.keys(loaded.spec.costLabels).filter((k) => !loaded.spec.constraints.stableSelectorLabels.includes(k)));

    for (const res of ctx.resources) {
      const loaded = ctx.specFor(res.file);
      if (!loaded) continue;
      const unstable = unstableFor(loaded);
      if (unstable.size === 0) continue;
      const w = workloadOf(res);
      if (w && w.selectorPath && isServiceWorkload(loaded.spec, w)) {
        reportKeys(ctx, res, w.selectorPath, res.kind === 'ReplicationController', unstable, (key) =>
          `The selector of ${res.kind} ${res.name} uses the cost label ${key}, but ${stableNote(loaded)}. A selector cannot be changed: when ${key} changes, the pods cannot be relabelled without deleting and recreating the ${res.kind}.`, loaded);
        continue;
      }
      const svc = serviceOf(res);
      if (!svc?.selector || res.namespace !== loaded.spec.namespace) continue;
      const selected = podsSelectedBy(ctx.index, res.namespace, asSelector(svc.selector)).filter(isServiceOfItsSpec);
      if (selected.length === 0 && res.name !== loaded.spec.service) continue;
      const extra = selected.slice(0, 1).map((sw) => resourceRelated(sw.resource, `Selects the pods of ${sw.resource.kind} ${sw.resource.name}`, sw.resource.keyRange(sw.podLabelsPath)));
      reportKeys(ctx, res, svc.selectorPath, true, unstable, (key) =>
        `Service ${res.name} selects the service's pods by the cost label ${key}, but ${stableNote(loaded)}. When ${key} changes on the pods, this Service stops reaching them until its selector is changed too: an outage during the rollout.`, loaded, extra);
    }
  },
});
