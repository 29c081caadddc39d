import { findTarget, isIndexedTarget, isVpa, vpaTargetRef } from '../autoscaling';
import { workloadOf, type Workload } from '../model';
import { closest, listNames } from '../similar';
import { resourcesNamedAnywhere } from '../views';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'vpa-target-not-found',
    severity: 'warning',
    description: "A VerticalPodAutoscaler's targetRef names no workload of its namespace in the workspace.",
    why: 'A VPA whose targetRef points at nothing is accepted by the API server and then does nothing at all: no recommendation ever appears and SC-003 fails silently. The usual causes are a renamed Deployment, a wrong kind (a StatefulSet referenced as a Deployment) or a VPA in another namespace than its workload. The rule only judges workload kinds opex reads (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob), and only when it sees a mistake: the same name with another kind, the workload in another namespace, a name one typo away, or a file that defines the VPA beside workloads that are not its target. VPAs for workloads deployed from elsewhere (a Helm chart, another repository) are left alone.',
    fixable: false,
    criteria: ['SC-003'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      if (!isVpa(res)) continue;
      const ref = vpaTargetRef(res);
      if (!ref || !isIndexedTarget(ref)) continue;
      if (findTarget(ctx.index, res.namespace, ref)) continue;
      const inNamespace = ctx.index.workloadsIn(res.namespace).filter((w) => w.resource.kind !== 'Pod');
      // Nothing of this namespace is defined here: its workloads come from elsewhere, opex cannot judge.
      if (inNamespace.length === 0) continue;
      const sameName = inNamespace.find((w) => w.resource.name === ref.name && w.resource.kind !== ref.kind);
      if (sameName) {
        ctx.report({
          resource: res,
          range: res.rangeOf(['spec', 'targetRef', 'kind']),
          message: `VerticalPodAutoscaler ${res.name} targets ${ref.kind} ${ref.name}, but ${ref.name} in namespace ${res.namespace} is a ${sameName.resource.kind}: the VPA finds no ${ref.kind} and never produces a recommendation. Set kind: ${sameName.resource.kind}${sameName.resource.apiVersion ? ` (apiVersion ${sameName.resource.apiVersion})` : ''}.`,
          related: [resourceRelated(sameName.resource, `${sameName.resource.kind} ${ref.name}`, sameName.resource.rangeOf(['metadata', 'name']))],
        });
        continue;
      }
      const elsewhere = resourcesNamedAnywhere(ctx.index, ref.kind, ref.name)
        .map((r) => workloadOf(r))
        .filter((w): w is Workload => w !== undefined && w.resource.namespace !== res.namespace);
      const sameKind = inNamespace.filter((w) => w.resource.kind === ref.kind).map((w) => w.resource);
      const close = closest(ref.name, sameKind.map((r) => r.name));
      // Without a sign of a mistake the target is probably deployed from elsewhere (a chart, another repository):
      // report only a workload in another namespace, a near-miss name, or a file that defines the VPA beside
      // workloads of that kind which are not its target.
      const sameFile = sameKind.filter((r) => r.file === res.file);
      let hint: string;
      if (elsewhere.length > 0) {
        hint = ` ${ref.kind} ${ref.name} exists in namespace ${elsewhere[0].resource.namespace}: a VPA only targets workloads of its own namespace.`;
      } else if (close) {
        hint = ` Did you mean ${close}?`;
      } else if (sameFile.length > 0) {
        hint = ` This file defines ${ref.kind} ${listNames(sameFile.map((r) => r.name))}.`;
      } else {
        continue;
      }
      const related = elsewhere.length > 0
        ? [resourceRelated(elsewhere[0].resource, `${ref.kind} ${ref.name} in namespace ${elsewhere[0].resource.namespace}`, elsewhere[0].resource.rangeOf(['metadata', 'name']))]
        : (close ? sameKind.filter((r) => r.name === close) : sameFile.slice(0, 1)).map((r) => resourceRelated(r, `${ref.kind} ${r.name}`, r.rangeOf(['metadata', 'name'])));
      ctx.report({
        resource: res,
        range: res.rangeOf(['spec', 'targetRef', 'name']),
        message: `VerticalPodAutoscaler ${res.name} targets ${ref.kind} ${ref.name}, which is not defined in namespace ${res.namespace}: the VPA would never produce a recommendation (SC-003).${hint}`,
        related,
      });
    }
  },
});
