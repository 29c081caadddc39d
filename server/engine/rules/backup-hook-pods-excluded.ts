import { appendToSeq } from '../edit';
import { formatLabels, formatSelector, toLabelSelector } from '../model';
import {
  annotatedWorkloadsCoveredBy, backupSelectsLabels, hookResourcesOf, podsFilteredOut, removeListEntry, veleroBackupOf,
  workloadsOfHook,
} from '../velero';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-hook-pods-excluded',
    severity: 'error',
    description: 'A Velero Schedule/Backup has pod exec hooks but its own filters leave the pods out, so the hooks never run.',
    why: 'Velero runs backup hooks while it backs up each pod: a pod the backup does not include never gets its hook. With `excludedResources: [pods]`, an `includedResources` list without `pods` (or `*`), or a backup labelSelector that the hooked pods do not match, the pg_dump pre hook silently never runs and every backup is taken without a consistent dump (SC-006). The chapter\'s own Schedule has this bug: it excludes pods while relying on its pg_dump hook. Volumes are still snapshotted, so nothing looks wrong until a restore.',
    fixable: true,
    criteria: ['SC-006'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const r of ctx.resources) {
      const b = veleroBackupOf(r);
      if (!b) continue;
      const res = b.resource;
      const hooks = hookResourcesOf(b).filter((h) => h.appliesToPods && h.pre.length + h.post.length > 0);
      const annotated = annotatedWorkloadsCoveredBy(ctx.index, b);
      if (hooks.length === 0 && annotated.length === 0) continue;
      const names = [
        ...hooks.map((h) => `"${h.name}"`),
        ...annotated.map((w) => `the annotation hooks of ${w.resource.kind} ${w.resource.name}`),
      ].join(', ');
      const what = `${b.kind} ${res.name}`;
      const problem = podsFilteredOut(b);
      if (problem) {
        const excluded = problem.index !== undefined;
        const edit = excluded ? removeListEntry(res, problem.path, problem.index!) : appendToSeq(res, problem.path, 'pods');
        ctx.report({
          resource: res,
          range: excluded ? res.rangeOf([...problem.path, problem.index!]) : res.keyRange(problem.path),
          message: `${what} ${excluded ? `excludes pods (${problem.field})` : `backs up only the resources in ${problem.field}, without pods`}, but has backup hooks (${names}): Velero runs hooks only on pods it backs up, so they never run and every backup is taken without them (SC-006). ${excluded ? 'Remove pods from the exclusions' : 'Add pods to the list'}; the pods' volumes are backed up either way.`,
          related: hooks.slice(0, 3).map((h) => resourceRelated(res, `hook "${h.name}"`, res.keyRange([...h.path, h.pre.length > 0 ? 'pre' : 'post']))),
          fix: edit && { title: excluded ? 'Back up pods (remove them from the exclusions)' : 'Back up pods (add them to the list)', edits: [edit], preferred: true },
        });
        continue;
      }
      // The backup's label filter: hooked pods it does not select are not backed up either.
      const field = b.spec.labelSelector ? 'labelSelector' : Array.isArray(b.spec.orLabelSelectors) ? 'orLabelSelectors' : undefined;
      if (!field) continue;
      for (const h of hooks) {
        const targets = workloadsOfHook(h, ctx.index);
        if (targets.length === 0 || targets.some((w) => backupSelectsLabels(b, w.podLabels))) continue;
        const sel = field === 'labelSelector' ? formatSelector(toLabelSelector(b.spec.labelSelector) ?? { matchLabels: {}, matchExpressions: [] }) : 'its orLabelSelectors';
        ctx.report({
          resource: res,
          range: res.keyRange([...b.specPath, field]),
          message: `${what} backs up only objects matching ${sel}, which leaves out the pods hook "${h.name}" runs in (${targets.map((w) => `${w.resource.kind} ${w.resource.name}: ${formatLabels(w.podLabels)}`).join('; ')}): Velero runs hooks only on pods it backs up, so this hook never runs (SC-006).`,
          related: targets.slice(0, 3).map((w) => resourceRelated(w.resource, `${w.resource.kind} ${w.resource.name}'s pod labels`, w.resource.keyRange(w.podLabelsPath))),
        });
        break;
      }
    }
  },
});
