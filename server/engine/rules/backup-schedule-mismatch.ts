import { describeSchedule, parseVeleroCron, sameRuns, type VeleroSchedule } from '../cron';
import { governedBy, replaceScalar, schedulesCovering, specFieldRelated, type VeleroBackup } from '../velero';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-schedule-mismatch',
    severity: 'error',
    description: "The Velero Schedule backing up the service's namespace does not run on the spec's required schedule.",
    why: 'When the spec states an exact schedule (SC-004: "runs daily at 2 AM UTC"), the backup window was chosen for a reason: low traffic, after batch jobs, before the storage snapshot window. A Schedule that runs at other times breaks that agreement even when it runs as often. Schedules are compared by when they run, so `0 2 * * *`, `0 2 * * 0-6` and `CRON_TZ=UTC 0 2 * * *` are the same schedule; a spec timezone other than UTC needs the `CRON_TZ=` prefix, because Velero otherwise runs the cron in its server\'s clock (UTC).',
    fixable: true,
    criteria: ['SC-004'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      const recovery = loaded.spec.recovery;
      if (!recovery?.schedule) continue;
      const required = parseVeleroCron(recovery.schedule, { defaultTimezone: recovery.timezone });
      if (!required.ok) continue; // the spec's own problem
      const ns = loaded.spec.namespace;
      const covering: Array<{ b: VeleroBackup; s: VeleroSchedule }> = [];
      for (const b of schedulesCovering(ctx.index, ns)) {
        if (typeof b.cron !== 'string') continue;
        const p = parseVeleroCron(b.cron);
        if (p.ok) covering.push({ b, s: p.schedule });
      }
      if (covering.some(({ s }) => sameRuns(s, required.schedule))) continue;
      const expected = required.schedule.explicitTimezone || required.schedule.timezone === 'UTC'
        ? recovery.schedule
        : `CRON_TZ=${required.schedule.timezone} ${recovery.schedule}`;
      const wanted = describeSchedule(required.schedule);
      for (const { b, s } of covering) {
        if (!governedBy(ctx.specFor, b.resource, loaded)) continue;
        const res = b.resource;
        const edit = replaceScalar(res, ['spec', 'schedule'], expected);
        const others = covering.filter((o) => o.b !== b).map((o) => resourceRelated(o.b.resource, `Schedule ${o.b.resource.name} also backs up ${ns}, on "${String(o.b.cron)}"`, o.b.resource.rangeOf(['spec', 'schedule'])));
        ctx.report({
          resource: res,
          range: res.rangeOf(['spec', 'schedule']),
          message: `Schedule ${res.name} backs up ${ns} on "${String(b.cron)}", ${lower(describeSchedule(s))}, but the spec requires "${expected}", ${lower(wanted)} (SC-004). Backups taken at other times break the agreed backup window even when they run as often.`,
          related: [...specFieldRelated(loaded, ['recovery.schedule', 'criteria.SC-004'], `The spec requires "${recovery.schedule}" ${recovery.timezone}`), ...others],
          fix: edit && { title: `Set the schedule to "${expected}"`, edits: [edit], preferred: true },
        });
      }
    }
  },
});

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
