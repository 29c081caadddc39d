import { addToMap } from '../edit';
import { formatLabels } from '../model';
import { annotationHooksOf, backupsCovering, databaseWorkloads, hookResourcesOf, hookTargetsDatabase, replaceScalar, specFieldRelated } from '../velero';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'backup-hook-on-error',
    severity: 'error',
    description: "A pre-backup hook on the spec's database has `onError: Continue`, so a failed dump still yields a backup.",
    why: 'With `onError: Continue`, Velero carries on when the pre hook fails: the dump failed (disk full, wrong password, timeout) but the backup completes and is kept as if it were good, and nobody notices until the restore brings back an inconsistent database (SC-006). `Fail` marks the backup PartiallyFailed, which alerting sees the same night. Post hooks (cleanup) may keep `Continue`. Velero\'s default when onError is absent is Fail.',
    fixable: true,
    criteria: ['SC-006'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      const spec = loaded.spec;
      const db = spec.recovery?.database;
      if (!db) continue;
      const dbW = databaseWorkloads(spec, ctx.index);
      const related = specFieldRelated(loaded, ['criteria.SC-006', 'recovery.database'], 'SC-006: the pre-backup hook keeps the database consistent');
      // Only the backups of the spec's namespace can run a hook on its database (hookTargetsDatabase).
      for (const b of backupsCovering(ctx.index, spec.namespace)) {
        const res = b.resource;
        for (const h of hookResourcesOf(b)) {
          if (!hookTargetsDatabase(h, spec, dbW, 'surely')) continue;
          for (const p of h.pre) {
            if (p.onError !== 'Continue') continue;
            const edit = replaceScalar(res, [...p.path, 'onError'], 'Fail');
            ctx.report({
              resource: res,
              range: res.rangeOf([...p.path, 'onError']),
              message: `The pre hook "${h.name}" of ${b.kind} ${res.name} runs on the database pods (${formatLabels(db.selector)}) with onError: Continue: when the dump fails, Velero still completes and keeps the backup, an inconsistent one nobody is told about (SC-006). Use Fail.`,
              related,
              fix: edit && { title: 'Set onError: Fail', edits: [edit], preferred: true },
            });
          }
        }
      }
      for (const w of dbW) {
        for (const ah of annotationHooksOf(w)) {
          if (ah.phase !== 'pre' || ah.onError !== 'Continue') continue;
          const key = `${ah.prefix}on-error`;
          const edit = replaceScalar(w.resource, [...ah.annotationsPath, key], 'Fail') ?? addToMap(w.resource, ah.annotationsPath, { [key]: 'Fail' });
          ctx.report({
            resource: w.resource,
            range: w.resource.rangeOf([...ah.annotationsPath, key]),
            message: `The pre-backup hook annotation of ${w.resource.kind} ${w.resource.name} (the spec's database) says on-error: Continue: when the dump fails, Velero still keeps the backup, an inconsistent one (SC-006). Use Fail.`,
            related,
            fix: edit && { title: 'Set on-error: Fail', edits: [edit], preferred: true },
          });
        }
      }
    }
  },
});
