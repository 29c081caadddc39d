import {
  findTarget,
  hpaResourceMetrics,
  hpaTargetRef,
  hpasTargeting,
  isVpa,
  sameTarget,
  UPDATE_MODE_PATH,
  vpaControlledResources,
  vpaControls,
  vpaTargetRef,
  vpaUpdateModeOf,
  type HpaResourceMetric,
} from '../autoscaling';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'vpa-hpa-conflict',
    severity: 'error',
    description: 'An HPA scales the same workload on cpu or memory while the VPA may change those requests (updateMode is not Off).',
    why: 'An HPA scaling on cpu or memory utilization measures usage against the pods\' requests, and a VPA that is not in Off mode changes exactly those requests. Each VPA change moves the HPA\'s target, the HPA adds or removes replicas, which changes usage per pod, which changes the next VPA recommendation: the two autoscalers fight and replicas and requests oscillate. Keep the VPA in Off mode (recommendations only), let it control only resources the HPA does not scale on (`controlledResources`, or `mode: "Off"` for the container), or scale the HPA on a custom or external metric. An HPA without metrics scales on 80% average CPU, which counts too.',
    fixable: false,
    criteria: ['SC-003', 'SC-009'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const vpa of ctx.resources) {
      if (!isVpa(vpa)) continue;
      const um = vpaUpdateModeOf(vpa);
      if (um.booleanTrap || um.mode === undefined || um.mode === 'Off') continue;
      const ref = vpaTargetRef(vpa);
      if (!ref) continue;
      const target = findTarget(ctx.index, vpa.namespace, ref);
      const containers = target?.containers.map((c) => c.name);
      const controlled = vpaControlledResources(vpa, containers);
      for (const hpa of hpasTargeting(ctx.index, vpa.namespace, ref.kind, ref.name)) {
        if (hpa.namespace !== vpa.namespace) continue;
        const href = hpaTargetRef(hpa);
        if (!href || !sameTarget(ref, href)) continue;
        const clashes = hpaResourceMetrics(hpa).filter((m: HpaResourceMetric) =>
          m.container !== undefined ? vpaControls(vpa, m.container).has(m.resource) : controlled.has(m.resource),
        );
        if (clashes.length === 0) continue;
        const resources = [...new Set(clashes.map((m) => m.resource))];
        const first = clashes[0];
        const how = first.implicit
          ? `has no metrics and so scales on 80% average CPU utilization (the Kubernetes default)`
          : `scales it on ${resources.join(' and ')}${first.container ? ` of container ${first.container}` : ''}`;
        const mode = um.written ? `updateMode ${um.mode}` : 'no updateMode, so Auto';
        ctx.report({
          resource: vpa,
          range: um.written ? vpa.rangeOf(UPDATE_MODE_PATH) : vpa.keyRange(UPDATE_MODE_PATH),
          message: `VerticalPodAutoscaler ${vpa.name} (${mode}) changes the ${resources.join(' and ')} requests of ${ref.kind} ${ref.name}, while HorizontalPodAutoscaler ${hpa.name} ${how}: both react to the same usage and HPA utilization is measured against the requests the VPA moves, so the two autoscalers fight and replicas and requests oscillate. Set updateMode "Off", leave ${resources.join(' and ')} out of the VPA's controlledResources, or scale the HPA on another metric.`,
          related: [resourceRelated(hpa, `HorizontalPodAutoscaler ${hpa.name} scales ${ref.kind} ${ref.name} on ${resources.join(' and ')}`, first.implicit ? hpa.keyRange(first.path) : hpa.rangeOf(first.path))],
        });
      }
    }
  },
});
