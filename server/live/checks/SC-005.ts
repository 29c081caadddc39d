/** SC-005: the Schedule's backups are kept for exactly the spec's retention (ttl). */
import { formatGoDuration, formatHumanDuration, parseGoDuration } from '../../engine/duration';
import { backupsOf, coveringSchedules, fail, pass, scheduleRef, type Check } from './common';

const check: Check = {
  id: 'SC-005',
  title: 'Backup retention',
  disruptive: false,
  specFields: ['recovery.retention'],
  notApplicable: (spec) => (spec.recovery?.retention === undefined ? 'the spec states no retention' : undefined),
  target: (spec) => formatGoDuration(spec.recovery!.retention!),
  async run(ctx) {
    const retention = ctx.spec.recovery!.retention!;
    const schedules = await coveringSchedules(ctx);
    if (schedules.length === 0) return fail('No schedule', `no Velero Schedule in ${ctx.settings.velero.namespace} backs up namespace ${ctx.spec.namespace}`);
    const s = schedules[0];
    const objects = [scheduleRef(s)];
    const details: string[] = [];
    let ttlText: string | undefined = s.spec?.template?.ttl;
    if (ttlText === undefined) {
      const [newest] = await backupsOf(ctx, s.metadata?.name);
      ttlText = newest?.spec?.ttl;
      details.push(`Schedule ${s.metadata?.name} sets no ttl${ttlText ? `; its newest backup got the server default ${ttlText}` : ''}`);
      if (!ttlText) return fail('No ttl', `Schedule ${s.metadata?.name} sets no ttl (Velero then keeps backups for its server default, usually 30 days): set ttl: ${formatGoDuration(retention)}`, { details, objects });
    } else {
      details.push(`Schedule ${s.metadata?.namespace}/${s.metadata?.name}: ttl ${ttlText}`);
    }
    const ttl = parseGoDuration(String(ttlText));
    if (ttl === undefined) return fail(String(ttlText), `ttl "${ttlText}" is no duration`, { details, objects });
    const actual = formatGoDuration(ttl);
    const data = { schedule: s.metadata?.name, ttl: ttlText, ttlSeconds: ttl };
    if (Math.abs(ttl - retention) > 0.5) {
      return fail(actual, `backups are kept ${formatHumanDuration(ttl)}, the spec's retention is ${formatHumanDuration(retention)}`, { details, objects, data });
    }
    return pass(actual, { details, objects, data });
  },
};
export default check;
