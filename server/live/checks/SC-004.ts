/** SC-004: a Velero Schedule covering the namespace is Enabled, runs on the spec's cron, and ran within the RPO. */
import { formatHumanDuration } from '../../engine/duration';
import { ageOf, coveringSchedules, fail, formatSeconds, pass, scheduleRef, skip, type Check } from './common';
import { longestGap, normalizeCron, sameCron } from './schedule-util';

const check: Check = {
  id: 'SC-004',
  title: 'Velero schedule',
  disruptive: false,
  specFields: ['recovery.schedule', 'recovery.rpo', 'recovery.timezone'],
  notApplicable: (spec) => (spec.recovery?.schedule || spec.recovery?.rpo !== undefined ? undefined : 'the spec states no backup schedule or RPO'),
  target: (spec) => {
    const r = spec.recovery!;
    const when = r.schedule ? `${r.schedule} ${r.timezone}` : `every ≤ ${formatSeconds(r.rpo!)}`;
    return r.rpo !== undefined ? `${when}, last ≤ ${formatSeconds(r.rpo)} ago` : when;
  },
  async run(ctx) {
    const r = ctx.spec.recovery!;
    const ns = ctx.spec.namespace;
    const schedules = await coveringSchedules(ctx);
    const objects = schedules.map(scheduleRef);
    if (schedules.length === 0) return fail('No schedule', `no Velero Schedule in ${ctx.settings.velero.namespace} backs up namespace ${ns}`);
    const details = schedules.map((s) => `Schedule ${s.metadata?.namespace}/${s.metadata?.name}: "${s.spec?.schedule}", phase ${s.status?.phase ?? '(none)'}, last backup ${s.status?.lastBackup ?? 'never'}`);
    const enabled = schedules.filter((s) => s.status?.phase === 'Enabled' && !s.spec?.paused);
    if (enabled.length === 0) {
      const s = schedules[0];
      const why = s.spec?.paused ? 'paused' : `phase ${s.status?.phase ?? 'unset'}${s.status?.validationErrors?.length ? `: ${s.status.validationErrors.join('; ')}` : ''}`;
      return fail(s.spec?.paused ? 'Paused' : s.status?.phase ?? 'Not enabled', `Schedule ${s.metadata?.name} is not Enabled (${why}): no backups are taken`, { details, objects });
    }
    let chosen = enabled;
    if (r.schedule) {
      chosen = enabled.filter((s) => sameCron(String(s.spec?.schedule ?? ''), r.schedule!));
      if (chosen.length === 0) {
        const s = enabled[0];
        return fail(String(s.spec?.schedule), `Schedule ${s.metadata?.name} runs on "${s.spec?.schedule}", the spec requires "${r.schedule}" (${r.timezone})`, { details, objects });
      }
      const tz = normalizeCron(String(chosen[0].spec?.schedule)).tz;
      if (r.timezone !== 'UTC' && !tz) details.push(`Velero reads crons in its server's timezone (UTC in the official image), not ${r.timezone}: prefix the cron with CRON_TZ=${r.timezone}`);
    } else if (r.rpo !== undefined) {
      const gap = longestGap(enabled.map((s) => String(s.spec?.schedule ?? '')), r.timezone, ctx.now());
      if (gap === undefined) return fail('Invalid cron', `the Schedule's cron "${enabled[0].spec?.schedule}" cannot be read`, { details, objects });
      details.push(`longest gap between runs: ${formatHumanDuration(gap)}`);
      if (gap > r.rpo) return fail(`gap ${formatSeconds(gap)}`, `backups can be ${formatHumanDuration(gap)} apart, longer than the RPO ${formatHumanDuration(r.rpo)}`, { details, objects });
    }
    const cron = String(chosen[0].spec?.schedule);
    if (r.rpo === undefined) return pass(`${cron}, Enabled`, { details, objects });
    const ages = chosen.map((s) => ageOf(s.status?.lastBackup, ctx.now())).filter((a): a is number => a !== undefined);
    if (ages.length === 0) {
      const created = Math.min(...chosen.map((s) => ageOf(s.metadata?.creationTimestamp, ctx.now()) ?? Infinity));
      if (created < r.rpo) return skip(`Schedule ${chosen[0].metadata?.name} is ${formatSeconds(created)} old and has not run yet; run again after its first backup`, { details, objects });
      return fail(`${cron}, never ran`, `Schedule ${chosen[0].metadata?.name} has no last backup although it exists for ${formatSeconds(created)}`, { details, objects });
    }
    const age = Math.min(...ages);
    const actual = `${cron}, last ${formatSeconds(age)} ago`;
    const data = { schedule: chosen[0].metadata?.name, cron, lastBackupAgeSeconds: age };
    if (age > r.rpo) return fail(actual, `the last backup is ${formatSeconds(age)} old, older than the RPO ${formatHumanDuration(r.rpo)}: the schedule stopped producing backups`, { details, objects, data });
    return pass(actual, { details, objects, data });
  },
};
export default check;
