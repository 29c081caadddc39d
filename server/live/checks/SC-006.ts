/** SC-006: the newest finished backup of the Schedule completed, with its hooks run and none failed. */
import { ageOf, backupRef, backupsOf, coveringSchedules, fail, formatSeconds, pass, scheduleRef, TERMINAL_BACKUP, type Check } from './common';

const check: Check = {
  id: 'SC-006',
  title: 'Pre-backup hook success',
  disruptive: false,
  specFields: ['recovery.database'],
  notApplicable: (spec) => (spec.recovery?.database ? undefined : 'the spec names no database: no pre-backup hook is required'),
  target: () => 'Runs',
  async run(ctx) {
    const db = ctx.spec.recovery!.database!;
    const schedules = await coveringSchedules(ctx);
    if (schedules.length === 0) return fail('No schedule', `no Velero Schedule in ${ctx.settings.velero.namespace} backs up namespace ${ctx.spec.namespace}`);
    const s = schedules[0];
    ctx.step(`reading the backups of Schedule ${s.metadata?.name}`);
    const backups = await backupsOf(ctx, s.metadata?.name);
    const objects = [scheduleRef(s)];
    if (backups.length === 0) return fail('No backup', `Schedule ${s.metadata?.name} has made no backup yet`, { objects });
    const finished = backups.find((b) => TERMINAL_BACKUP.has(b.status?.phase));
    const details: string[] = [];
    if (backups[0] !== finished) details.push(`backup ${backups[0].metadata?.name} is still ${backups[0].status?.phase ?? 'New'}; judging the newest finished one`);
    if (!finished) return fail('In progress', `no backup of Schedule ${s.metadata?.name} has finished yet`, { details, objects });
    objects.push(backupRef(finished));
    const st = finished.status ?? {};
    const attempted = Number(st.hookStatus?.hooksAttempted ?? 0);
    const failed = Number(st.hookStatus?.hooksFailed ?? 0);
    const age = ageOf(st.completionTimestamp ?? st.startTimestamp, ctx.now());
    details.push(`backup ${finished.metadata?.name}: ${st.phase}${age !== undefined ? ` ${formatSeconds(age)} ago` : ''}; hooks attempted ${attempted}, failed ${failed}${st.errors ? `; ${st.errors} errors` : ''}${st.warnings ? `; ${st.warnings} warnings` : ''}`);
    const data = { backup: finished.metadata?.name, phase: st.phase, hooksAttempted: attempted, hooksFailed: failed };
    if (st.phase !== 'Completed') {
      return fail(String(st.phase), `backup ${finished.metadata?.name} ended ${st.phase}${st.failureReason ? `: ${st.failureReason}` : ''}${failed ? ` (${failed} hook${failed === 1 ? '' : 's'} failed)` : ''}`, { details, objects, data });
    }
    if (attempted === 0) {
      const excluded: string[] = finished.spec?.excludedResources ?? [];
      const hint = excluded.includes('pods')
        ? ': the backup excludes pods, and Velero runs hooks only in pods it backs up'
        : `: does the hook's labelSelector match the ${Object.entries(db.selector).map(([k, v]) => `${k}=${v}`).join(',')} pods?`;
      return fail('Not run', `no hook ran in backup ${finished.metadata?.name}${hint}`, { details, objects, data });
    }
    if (failed > 0) return fail(`${failed} of ${attempted} failed`, `${failed} of ${attempted} hooks failed in backup ${finished.metadata?.name}: the database dump may be inconsistent`, { details, objects, data });
    return pass(`Succeeded (${attempted} hook${attempted === 1 ? '' : 's'})`, { details, objects, data });
  },
};
export default check;
