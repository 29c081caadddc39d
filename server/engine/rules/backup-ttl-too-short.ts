import { longestGap, parseVeleroCron } from '../cron';
import { formatHumanDuration } from '../duration';
import { DEFAULT_BACKUP_TTL, durationSeconds, veleroBackupOf } from '../velero';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'backup-ttl-too-short',
    severity: 'warning',
    description: "A Velero Schedule's ttl is shorter than the longest gap between its runs, so at times no backup exists.",
    why: 'Each backup is deleted when its ttl runs out. If that happens before the next run, there are stretches with no backup of the Schedule at all: a weekly Schedule with a 24h ttl has nothing to restore for six days of every week. The comparison uses the longest gap over a whole cycle (weekends, month ends), and a missing ttl counts as Velero\'s default of 720h (a monthly Schedule outlives it). A ttl equal to the gap is fine.',
    fixable: false,
    criteria: ['SC-004', 'SC-005'],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const b = veleroBackupOf(res);
      if (!b || b.kind !== 'Schedule' || typeof b.cron !== 'string') continue;
      const parsed = parseVeleroCron(b.cron);
      if (!parsed.ok) continue;
      const gap = longestGap([parsed.schedule]);
      if (gap.never || !Number.isFinite(gap.seconds)) continue;
      const raw = b.spec.ttl;
      let ttl: number;
      let written: string;
      if (raw === undefined || raw === null) {
        // A spec with a retention reports the missing ttl itself (backup-ttl-mismatch).
        if (ctx.specFor(res.file)?.spec.recovery?.retention !== undefined) continue;
        ttl = DEFAULT_BACKUP_TTL;
        written = 'no ttl, so Velero\'s default of 720h';
      } else {
        const seconds = durationSeconds(raw);
        if (seconds === undefined) continue; // not a duration: backup-ttl-mismatch or the schema says so
        ttl = seconds === 0 ? DEFAULT_BACKUP_TTL : seconds;
        written = seconds === 0 ? 'ttl 0, so Velero\'s default of 720h' : `ttl ${raw}`;
      }
      if (ttl >= gap.seconds) continue;
      const ttlPath = [...b.specPath, 'ttl'];
      ctx.report({
        resource: res,
        range: raw === undefined || raw === null ? res.keyRange(ttlPath) : res.rangeOf(ttlPath),
        message: `Schedule ${res.name} keeps each backup ${formatHumanDuration(ttl)} (${written}), but up to ${formatHumanDuration(gap.seconds)} pass between its runs ("${b.cron}"): each backup expires before the next one is taken, leaving up to ${formatHumanDuration(gap.seconds - ttl)} at a time with no backup to restore from. Keep backups at least ${formatHumanDuration(gap.seconds)}.`,
      });
    }
  },
});
