import { findTarget, isIndexedTarget, isVpa, sameTarget, vpaTargetRef } from '../autoscaling';
import { chaosPodSelectors, type ChaosPodSelector } from '../chaos';
import { defineView } from '../deps';
import { workloadsWithAppOrName } from '../views';
import { formatLabels, selectorMatches, type Labels, type Workload } from '../model';
import type { Resource } from '../resource';
import { isServiceWorkload } from '../scope';
import { CRITERIA } from '../spec/criteria';
import type { LoadedSpec } from '../spec/types';
import type { CriterionId, Range } from '../types';
import { defineRule, type RuleContext } from './rule';

export default defineRule({
  meta: {
    id: 'spec-criterion-uncovered',
    severity: 'warning',
    description: 'No manifest in the workspace carries out a statically checkable success criterion of the spec (reported on the criterion in the spec).',
    why: 'Every other rule checks the manifests that exist; this one notices the manifest that is missing. A spec that promises cost labels on the service\'s pods (SC-001), VPA recommendations (SC-003) or a pod-kill experiment in staging (SC-008, or SC-009 when the spec has no SC-008) while no workload, VerticalPodAutoscaler or PodChaos in the workspace carries it out is a promise nobody keeps, and the live check will fail. Backups (SC-004 to SC-006) are checked by the backup rules, which report a missing Schedule as backup-missing. Manifests anywhere in the workspace count, not only those below the spec.',
    fixable: false,
    criteria: ['SC-001', 'SC-003', 'SC-008', 'SC-009'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    const facts = lookups(ctx);
    for (const loaded of ctx.specs) checkSpec(ctx, facts, loaded);
  },
});

/** What the criteria look for, looked up in the workspace. */
interface Facts {
  workloadsByNamespace: { get(ns: string): readonly Workload[] | undefined };
  /** The workloads of a namespace whose pods carry `app: <app>` or that are named `name` (a subset of workloadsByNamespace). */
  appOrName(ns: string, app: string, name: string): readonly Workload[];
  vpasByNamespace: { get(ns: string): readonly Resource[] | undefined };
  /** The selectors of PodChaos experiments (direct or scheduled), by the `app` label they require ('' for none). */
  podChaosByApp: { get(app: string): readonly ChaosPodSelector[] | undefined };
}

const VPAS = defineView<Resource>('vpa-ns', (r) => (isVpa(r) ? [[r.namespace, r]] : undefined));

const POD_CHAOS = defineView<ChaosPodSelector>('podchaos-app', (r) => {
  const out: Array<[string, ChaosPodSelector]> = [];
  for (const sel of chaosPodSelectors(r)) {
    if (sel.role === 'selector' && sel.experiment.kind === 'PodChaos') out.push([sel.labels.matchLabels.app ?? '', sel]);
  }
  return out;
});

function lookups(ctx: RuleContext): Facts {
  return {
    workloadsByNamespace: { get: (ns) => ctx.index.workloadsIn(ns) },
    appOrName: (ns, app, name) => workloadsWithAppOrName(ctx.index, [ns], app, name),
    vpasByNamespace: { get: (ns) => VPAS.get(ctx.index, ns) },
    podChaosByApp: { get: (app) => POD_CHAOS.get(ctx.index, app) },
  };
}

function checkSpec(ctx: RuleContext, facts: Facts, loaded: LoadedSpec): void {
  const spec = loaded.spec;
  const stated = new Set(spec.criteria.map((c) => c.id));
  const report = (id: CriterionId, why: string, todo: string) => {
    ctx.report({
      file: loaded.file,
      range: rangeFor(loaded, id),
      message: `${id} (${CRITERIA[id].title}) is carried out by no manifest in the workspace: ${why}. ${todo}`,
    });
  };
  const app = spec.costLabels.app ?? spec.service;
  // isServiceWorkload: every workload of the namespace with costLabels.scope namespace, else those with app: <app> or named after the service.
  const candidates = spec.costLabelScope === 'namespace' ? facts.workloadsByNamespace.get(spec.namespace) ?? [] : facts.appOrName(spec.namespace, app, spec.service);
  const service = candidates.filter((w) => isServiceWorkload(spec, w));

  if (stated.has('SC-001') && service.length === 0) {
    report(
      'SC-001',
      `no workload of service ${spec.service} is defined in namespace ${spec.namespace} (opex looks for one named ${spec.service} or whose pod template carries app: ${app})`,
      `Add the service's Deployment or StatefulSet with the cost labels on its pod template, or scaffold it from the spec ("opex scaffold").`,
    );
  }

  if (stated.has('SC-003')) {
    const vpas = facts.vpasByNamespace.get(spec.namespace) ?? [];
    const targetsService = (r: Resource) => {
      const ref = vpaTargetRef(r);
      if (!ref) return false;
      if (service.length === 0) return ref.name === spec.service;
      return service.some((w) => sameTarget(ref, { kind: w.resource.kind, name: w.resource.name, apiVersion: w.resource.apiVersion }));
    };
    // A VPA whose target does not exist (a typo) is vpa-target-not-found's: one cause, one diagnostic. (Looked up only
    // when no VPA targets the service, so that the answer depends on the other VPAs' targets only then.)
    const targetMissing = (r: Resource) => {
      const ref = vpaTargetRef(r);
      return ref !== undefined && service.length > 0 && isIndexedTarget(ref) && !findTarget(ctx.index, r.namespace, ref);
    };
    const covered = vpas.some(targetsService) || vpas.some(targetMissing);
    if (!covered) {
      const targets = service.length > 0 ? service.map((w) => `${w.resource.kind} ${w.resource.name}`).join(' or ') : `the ${spec.service} workload`;
      report(
        'SC-003',
        `no VerticalPodAutoscaler in namespace ${spec.namespace} targets ${targets}, so no right-sizing recommendation will ever appear`,
        `Add a VerticalPodAutoscaler with targetRef to ${service[0] ? `${service[0].resource.kind} ${service[0].resource.name}` : spec.service} and updateMode "${spec.constraints.vpaUpdateMode}".`,
      );
    }
  }

  // SC-008 and SC-009 are both exercised by the same pod-kill experiment: report its absence once.
  const chaosId: CriterionId | undefined = stated.has('SC-008') ? 'SC-008' : stated.has('SC-009') ? 'SC-009' : undefined;
  if (chaosId) {
    const allowed = new Set(spec.constraints.chaosNamespaces);
    // The service's pods as they look here, and as they would in the chaos namespaces.
    const labelSets: Labels[] = [{ app }, ...service.map((w) => w.podLabels)];
    for (const ns of allowed) {
      for (const w of facts.appOrName(ns, app, spec.service)) {
        if (w.podLabels.app === app || w.resource.name === spec.service) labelSets.push(w.podLabels);
      }
    }
    const apps = new Set(['', ...labelSets.map((l) => l.app).filter((a): a is string => a !== undefined)]);
    const candidates = [...apps].flatMap((a) => facts.podChaosByApp.get(a) ?? []);
    const covered = candidates.some((sel) => {
      // An experiment on the service in a forbidden namespace is chaos-namespace-forbidden's, where the spec governs it.
      const reachable = sel.namespaces.some((ns) => allowed.has(ns)) || ctx.specFor(sel.experiment.resource.file)?.file === loaded.file;
      if (!reachable) return false;
      if (sel.pods) return true; // pods listed by name: they may well be the service's
      return labelSets.some((labels) => selectorMatches(sel.labels, labels));
    });
    if (!covered) {
      const where = spec.constraints.chaosNamespaces.join(', ');
      report(
        chaosId,
        `no PodChaos in ${where} selects the pods of ${spec.service} (${formatLabels({ app })}), so recovery from a single pod failure is never exercised`,
        `Add a PodChaos with action pod-kill, mode one, a duration and selector.namespaces [${where}] selecting app: ${app}.`,
      );
    }
  }
}

function rangeFor(loaded: LoadedSpec, id: CriterionId): Range {
  return loaded.locations[`criteria.${id}`] ?? loaded.locations.service ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
