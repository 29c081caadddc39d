import { describeSchedule, longestGap, parseVeleroCron } from '../cron';
import { veleroBackupOf } from '../velero';
import { defineRule, specRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-cron-invalid',
    severity: 'error',
    description: "A Velero Schedule's `schedule` is not a cron expression Velero accepts, or it never runs.",
    why: 'Velero parses `spec.schedule` with robfig/cron: exactly five fields (minute hour day-of-month month day-of-week), the descriptors `@daily`, `@hourly`, `@weekly`, `@monthly`, `@yearly`, `@every <Go duration>`, and an optional `CRON_TZ=<zone>` prefix. Anything else (a seconds field, `L`, `#`, `7` for Sunday, `@every 1d`) puts the Schedule in phase FailedValidation: it exists, but it takes no backups, and nothing fails loudly until the day a restore is needed (SC-004).',
    fixable: false,
    criteria: ['SC-004'],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const b = veleroBackupOf(res);
      if (!b || b.kind !== 'Schedule' || typeof b.cron !== 'string') continue; // absent or not a string: the schema rule says so
      const loaded = ctx.specFor(res.file);
      const related = loaded?.spec.recovery?.schedule
        ? specRelated(loaded, 'recovery.schedule', `The spec requires "${loaded.spec.recovery.schedule}"`)
        : [];
      const range = res.rangeOf(['spec', 'schedule']);
      const parsed = parseVeleroCron(b.cron);
      if (!parsed.ok) {
        ctx.report({
          resource: res,
          range,
          message: `Velero cannot parse the schedule "${b.cron}" of Schedule ${res.name}: ${parsed.error}. The Schedule goes to phase FailedValidation and takes no backups.`,
          related,
        });
        continue;
      }
      const gap = longestGap([parsed.schedule]);
      if (gap.never) {
        ctx.report({
          resource: res,
          range,
          message: `The schedule "${b.cron}" of Schedule ${res.name} never runs: no date matches it (${describeSchedule(parsed.schedule)}). Velero's cron library then finds no next run, and Velero treats the Schedule as due at every check, backing up continuously instead of on a schedule.`,
          related,
        });
      }
    }
  },
});
