import { addToMap } from '../edit';
import { formatHumanDuration } from '../duration';
import type { TextEdit } from '../types';
import { durationSeconds, durationText, governedBy, replaceScalar, schedulesCovering, specFieldRelated } from '../velero';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'backup-ttl-mismatch',
    severity: 'error',
    description: "The ttl of the service's Velero Schedule is missing, not a Go duration, or not the spec's retention.",
    why: 'The ttl decides how long each backup is kept (SC-005). Without one, Velero keeps backups for its server default (720h unless the server was started otherwise), so retention depends on how Velero was installed rather than on the manifest. A ttl such as `30d` is no Go duration (Velero knows h, m and s), and a ttl other than the spec\'s either deletes backups the team expects to restore from or keeps data longer than the retention policy allows.',
    fixable: true,
    criteria: ['SC-005'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      const retention = loaded.spec.recovery?.retention;
      if (retention === undefined) continue;
      const ns = loaded.spec.namespace;
      const covering = schedulesCovering(ctx.index, ns);
      // One Schedule keeping backups for the retention is enough: others (hourly, kept a day) serve other needs.
      if (covering.some((b) => durationSeconds(b.spec.ttl) === retention)) continue;
      const want = durationText(retention);
      const days = formatHumanDuration(retention);
      const related = specFieldRelated(loaded, ['recovery.retention', 'criteria.SC-005'], `The spec's retention: ${days}`);
      for (const b of covering) {
        if (!governedBy(ctx.specFor, b.resource, loaded)) continue;
        const res = b.resource;
        const ttlPath = [...b.specPath, 'ttl'];
        const raw = b.spec.ttl;
        let edit: TextEdit | undefined;
        let message: string;
        if (raw === undefined || raw === null) {
          edit = addToMap(res, b.specPath, { ttl: want });
          message = `Schedule ${res.name} sets no ttl: its backups are kept for the Velero server's default (720h unless the server says otherwise), not the spec's retention of ${days} (SC-005). Set ttl: ${want}.`;
        } else if (typeof raw !== 'string') {
          continue; // a number or a map: the schema rule reports it
        } else {
          const seconds = durationSeconds(raw);
          edit = replaceScalar(res, ttlPath, want);
          if (seconds === undefined) {
            message = `The ttl "${raw}" of Schedule ${res.name} is not a Go duration: Velero reads ttl with Go's time.ParseDuration (units h, m, s; no d), so it cannot read this Schedule. The spec's retention of ${days} is ${want} (SC-005).`;
          } else {
            const verdict = seconds < retention
              ? `backups are deleted after ${formatHumanDuration(seconds)}, before the spec's retention of ${days} is over`
              : `backups are kept ${formatHumanDuration(seconds)}, longer than the spec's retention of ${days} (storage cost, and a retention limit may be a compliance limit)`;
            message = `Schedule ${res.name} has ttl ${raw}: ${verdict} (SC-005). Set ttl: ${want}.`;
          }
        }
        ctx.report({
          resource: res,
          range: raw === undefined || raw === null ? res.keyRange(ttlPath) : res.rangeOf(ttlPath),
          message,
          related,
          fix: edit && { title: `Set ttl: ${want}`, edits: [edit], preferred: true },
        });
      }
    }
  },
});
