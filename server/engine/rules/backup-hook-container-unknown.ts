import { closest, listNames } from '../similar';
import { workloadOf } from '../model';
import { annotationHooksOf, hookResourcesOf, veleroBackupOf, workloadsOfHook } from '../velero';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-hook-container-unknown',
    severity: 'error',
    description: "A backup exec hook names a container that the pods it runs on do not have.",
    why: 'Velero execs the hook command in the named container; when a selected pod has no such container the hook fails on that pod ("no such container"), so the dump never happens, and with `onError: Fail` the backup ends PartiallyFailed every night (SC-006). It happens when the database container is renamed, or a hook is copied from another chart. Without `container`, Velero uses the pod\'s first container. Checked for hooks in Schedules and Backups and for the `hook.backup.velero.io/container` pod annotations.',
    fixable: false,
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
      for (const h of hookResourcesOf(b)) {
        const hooks = [...h.pre, ...h.post].filter((x) => x.container !== undefined);
        if (hooks.length === 0) continue;
        const targets = workloadsOfHook(h, ctx.index);
        for (const hook of hooks) {
          const lacking = targets.filter((w) => !w.containers.some((c) => c.name === hook.container));
          if (lacking.length === 0) continue;
          const names = [...new Set(lacking.flatMap((w) => w.containers.map((c) => c.name)).filter(Boolean))];
          const near = closest(hook.container!, names);
          ctx.report({
            resource: res,
            range: res.rangeOf([...hook.path, 'container']),
            message: `The ${hook.phase} hook of "${h.name}" in ${b.kind} ${res.name} execs into container "${hook.container}", which the pods of ${lacking.map((w) => `${w.resource.kind} ${w.resource.name}`).join(', ')} do not have (containers: ${listNames(names) || 'none'}): Velero fails the hook on those pods and the dump never happens (SC-006).${near ? ` Did you mean "${near}"?` : ''}`,
            related: lacking.slice(0, 3).map((w) => resourceRelated(w.resource, `The containers of ${w.resource.kind} ${w.resource.name}`, w.resource.keyRange([...w.templatePath, 'spec', 'containers']))),
          });
        }
      }
    }
    for (const r of ctx.resources) {
      const w = workloadOf(r);
      if (!w) continue;
      for (const ah of annotationHooksOf(w)) {
        if (!ah.container || w.containers.some((c) => c.name === ah.container)) continue;
        const names = w.containers.map((c) => c.name).filter(Boolean);
        const near = closest(ah.container, names);
        ctx.report({
          resource: w.resource,
          range: w.resource.rangeOf([...ah.annotationsPath, `${ah.prefix}container`]),
          message: `The ${ah.phase}-backup hook annotation of ${w.resource.kind} ${w.resource.name} names container "${ah.container}", which its pods do not have (containers: ${listNames(names) || 'none'}): Velero fails the hook and the dump never happens (SC-006).${near ? ` Did you mean "${near}"?` : ''}`,
        });
      }
    }
  },
});
