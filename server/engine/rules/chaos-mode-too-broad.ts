import { chaosPodSelectors, experimentName, selectedWorkloads } from '../chaos';
import { replaceValue } from '../edit';
import { hpasTargeting } from '../autoscaling';
import type { Resource } from '../resource';
import type { WorkspaceIndex } from '../workspace';
import { styledScalar } from '../styled';
import { defineRule, resourceRelated, specRelated } from './rule';
import * as YAML from 'yaml';

export default defineRule({
  meta: {
    id: 'chaos-mode-too-broad',
    severity: 'warning',
    description: 'A chaos experiment takes most replicas at once: mode `all`, a percentage of 50 or more, or a fixed count of at least half the target\'s replicas.',
    why: 'The spec\'s resilience criteria are about surviving a single pod failure (SC-008: recovery within the target; SC-009: no 5xx; SC-010: latency held). An experiment that fails all pods, or half of them, at once measures an outage instead: the service has nothing left to serve with, the criteria fail for the wrong reason, and in a shared namespace other workloads suffer too. Use `mode: one` to kill exactly one pod. A `fixed` count is compared with the replicas of the workloads the selector matches in the workspace.',
    fixable: true,
    criteria: ['SC-008', 'SC-009', 'SC-010'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const sel = chaosPodSelectors(res).find((s) => s.role === 'selector');
      if (!sel || sel.mode === undefined) continue;
      const loaded = ctx.specFor(res.file);
      if (!loaded) continue;
      const who = experimentName(sel.experiment);
      const modePath = [...sel.ownerPath, 'mode'];
      const value = sel.value !== undefined && /^\s*\d+\s*$/.test(sel.value) ? Number(sel.value) : undefined;
      let why: string | undefined;
      const verb = sel.experiment.kind === 'PodChaos' ? 'fails' : 'injects the fault into';
      let related = specRelated(loaded, 'resilience.podKillRecovery', 'The spec measures recovery from a single pod failure');
      if (sel.mode === 'all') {
        why = `it ${verb} every pod the selector matches at once`;
      } else if ((sel.mode === 'fixed-percent' || sel.mode === 'random-max-percent') && value !== undefined && value >= 50) {
        why = `it ${verb} ${sel.mode === 'fixed-percent' ? '' : 'up to '}${value}% of the matched pods at once`;
      } else if (sel.mode === 'fixed' && value !== undefined && value >= 2) {
        const workloads = selectedWorkloads(ctx.index, sel);
        const replicas = totalReplicas(ctx.index, workloads.map((w) => w.resource), workloads.map((w) => w.replicas));
        if (replicas !== undefined && replicas > 0 && value * 2 >= replicas) {
          why = `it ${verb} ${value} pods at once, ${value >= replicas ? 'every one' : 'at least half'} of the ${replicas} replica${replicas === 1 ? '' : 's'} the selector matches`;
          related = [...related, ...workloads.slice(0, 3).map((w) => resourceRelated(w.resource, `${w.resource.kind} ${w.resource.name}: ${w.replicas ?? 1} replica${(w.replicas ?? 1) === 1 ? '' : 's'}`, w.resource.rangeOf(['spec', 'replicas'])))];
        }
      }
      if (!why) continue;
      const node = res.lookup(modePath).node;
      const edit = replaceValue(res, modePath, styledScalar('one', YAML.isScalar(node) ? node : undefined));
      ctx.report({
        resource: res,
        range: res.rangeOf(modePath),
        message: `${who} uses mode ${sel.mode}${sel.mode === 'all' ? '' : ` with value ${sel.value}`}: ${why}, so the experiment measures an outage, not the single pod failure the spec's resilience criteria describe (SC-008, SC-009). Use mode: one.`,
        related,
        fix: edit && { title: 'Set mode to one (one pod at a time)', edits: [edit], preferred: true },
      });
    }
  },
});

/**
 * The replicas of the matched workloads together, or undefined when one of them has no fixed count (a DaemonSet, a
 * Job, or a workload an HPA scales).
 */
function totalReplicas(index: WorkspaceIndex, workloads: readonly Resource[], replicas: readonly (number | undefined)[]): number | undefined {
  if (workloads.length === 0) return undefined;
  let total = 0;
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i];
    if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Pod'].includes(w.kind)) return undefined;
    const scaled = hpasTargeting(index, w.namespace, w.kind, w.name).length > 0;
    if (scaled) return undefined;
    total += w.kind === 'Pod' ? 1 : replicas[i] ?? 1;
  }
  return total;
}
