import { addToMap } from '../edit';
import { formatHumanDuration } from '../duration';
import type { TextEdit } from '../types';
import {
  annotationHooksOf, databaseWorkloads, DEFAULT_HOOK_TIMEOUT, durationSeconds, durationText, hookResourcesOf,
  hookTargetsDatabase, replaceScalar, specFieldRelated, backupsCovering,
} from '../velero';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'backup-hook-timeout',
    severity: 'warning',
    description: "The database pre hook's timeout is missing (Velero waits 30s) or shorter than the spec's hookTimeout.",
    why: 'Velero stops waiting for an exec hook after its timeout, 30 seconds when none is set, and treats it as failed: a dump that grows with the database outgrows that limit one day, and from then on every backup either fails or (with onError: Continue) is kept without a dump. The spec states how long the database hook needs (`recovery.database.hookTimeout`); the hook must allow at least that. Specs without a hookTimeout are not checked.',
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
      const need = db?.hookTimeout;
      if (!db || need === undefined) continue;
      const dbW = databaseWorkloads(spec, ctx.index);
      const want = durationText(need);
      const related = specFieldRelated(loaded, ['recovery.database.hookTimeout', 'recovery.database', 'criteria.SC-006'], `The spec's database hook needs ${formatHumanDuration(need)}`);
      // Only the backups of the spec's namespace can run a hook on its database (hookTargetsDatabase).
      for (const b of backupsCovering(ctx.index, spec.namespace)) {
        const res = b.resource;
        for (const h of hookResourcesOf(b)) {
          if (!hookTargetsDatabase(h, spec, dbW, 'surely')) continue;
          for (const p of h.pre) {
            const raw = p.timeout;
            if (raw !== undefined && raw !== null && typeof raw !== 'string') continue; // the schema rule reports it
            const written = typeof raw === 'string' ? durationSeconds(raw) : undefined;
            if (typeof raw === 'string' && written === undefined) {
              const edit = replaceScalar(res, [...p.path, 'timeout'], want);
              ctx.report({
                resource: res,
                range: res.rangeOf([...p.path, 'timeout']),
                message: `The timeout "${raw}" of the pre hook "${h.name}" in ${b.kind} ${res.name} is not a Go duration (units h, m, s), so Velero cannot read it; the spec's database hook needs ${want} (SC-006).`,
                related,
                fix: edit && { title: `Set timeout: ${want}`, edits: [edit], preferred: true },
              });
              continue;
            }
            const effective = written === undefined || written === 0 ? DEFAULT_HOOK_TIMEOUT : written;
            if (effective >= need) continue;
            const missing = written === undefined || written === 0;
            const edit: TextEdit | undefined = missing && raw === undefined
              ? addToMap(res, p.path, { timeout: want })
              : replaceScalar(res, [...p.path, 'timeout'], want);
            ctx.report({
              resource: res,
              range: raw === undefined || raw === null ? res.keyRange(p.path) : res.rangeOf([...p.path, 'timeout']),
              message: `The pre hook "${h.name}" of ${b.kind} ${res.name} ${missing ? 'sets no timeout, so Velero gives it 30 seconds' : `times out after ${formatHumanDuration(written!)}`}, less than the ${formatHumanDuration(need)} the spec allows the database dump (SC-006): a dump that takes longer is cut off and the backup fails or goes on without it.`,
              related,
              fix: edit && { title: `Set timeout: ${want}`, edits: [edit], preferred: true },
            });
          }
        }
      }
      for (const w of dbW) {
        for (const ah of annotationHooksOf(w)) {
          if (ah.phase !== 'pre') continue;
          const written = ah.timeout ? durationSeconds(ah.timeout) : undefined;
          const effective = written === undefined || written === 0 ? DEFAULT_HOOK_TIMEOUT : written;
          if (effective >= need) continue;
          const key = `${ah.prefix}timeout`;
          const edit = ah.timeout !== undefined
            ? replaceScalar(w.resource, [...ah.annotationsPath, key], want)
            : addToMap(w.resource, ah.annotationsPath, { [key]: want });
          ctx.report({
            resource: w.resource,
            range: ah.timeout !== undefined ? w.resource.rangeOf([...ah.annotationsPath, key]) : w.resource.rangeOf([...ah.annotationsPath, `${ah.prefix}command`], 'key'),
            message: `The pre-backup hook annotations of ${w.resource.kind} ${w.resource.name} (the spec's database) ${ah.timeout === undefined ? 'set no timeout, so Velero gives the hook 30 seconds' : written === undefined ? `set timeout "${ah.timeout}", which is no Go duration, so Velero uses 30 seconds` : `set a timeout of ${formatHumanDuration(written)}`}: less than the ${formatHumanDuration(need)} the spec allows the dump (SC-006).`,
            related,
            fix: edit && { title: `Set ${key}: ${want}`, edits: [edit], preferred: true },
          });
        }
      }
    }
  },
});
