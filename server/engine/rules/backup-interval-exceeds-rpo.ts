import { cronFromRpo, describeSchedule, formatInZone, longestGap, parseVeleroCron, sameRuns, type VeleroSchedule } from '../cron';
import { formatHumanDuration } from '../duration';
import { replaceValue } from '../edit';
import { governedBy, replaceScalar, schedulesCovering, specFieldRelated, type VeleroBackup } from '../velero';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-interval-exceeds-rpo',
    severity: 'error',
    description: "The longest gap between backups of the service's namespace is longer than the spec's RPO.",
    why: 'The RPO is the most data the service may lose: a failure just before the next backup loses everything since the previous one. What counts is the longest gap between two runs over a whole cycle, not the usual interval: `0 0 * * 1-5` runs daily but leaves the weekend (72 hours) uncovered, `0 0 31 * *` skips whole months, and the chapter\'s own "6-hour backup frequency (RPO: 4 hours)" can lose six hours of data. Several Schedules backing up the namespace are judged together; the limit is inclusive.',
    fixable: true,
    criteria: ['SC-004'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      const recovery = loaded.spec.recovery;
      const rpo = recovery?.rpo;
      if (!recovery || rpo === undefined) continue;
      const ns = loaded.spec.namespace;
      const valid: Array<{ b: VeleroBackup; s: VeleroSchedule }> = [];
      for (const b of schedulesCovering(ctx.index, ns)) {
        if (typeof b.cron !== 'string') continue;
        const p = parseVeleroCron(b.cron);
        if (p.ok) valid.push({ b, s: p.schedule });
      }
      if (valid.length === 0) continue; // no Schedule (backup-missing) or none readable (backup-cron-invalid)
      if (recovery.schedule) {
        const required = parseVeleroCron(recovery.schedule, { defaultTimezone: recovery.timezone });
        if (required.ok) {
          // The spec's exact schedule decides: either a Schedule runs it (and any gap is the spec's own), or
          // backup-schedule-mismatch reports the Schedule to change.
          if (valid.some(({ s }) => sameRuns(s, required.schedule))) continue;
          if (valid.some(({ b }) => governedBy(ctx.specFor, b.resource, loaded))) continue;
        }
      }
      const rpoText = formatHumanDuration(rpo);
      const rpoRelated = specFieldRelated(loaded, ['recovery.rpo', 'criteria.SC-004'], `The spec's RPO: ${rpoText}`);
      const governedFirst = (a: { b: VeleroBackup }, c: { b: VeleroBackup }) =>
        Number(governedBy(ctx.specFor, c.b.resource, loaded)) - Number(governedBy(ctx.specFor, a.b.resource, loaded));
      const enabled = valid.filter(({ b }) => !b.paused);
      if (enabled.length === 0) {
        const target = [...valid].sort(governedFirst)[0].b;
        const res = target.resource;
        const edit = replaceValue(res, ['spec', 'paused'], 'false');
        ctx.report({
          resource: res,
          range: res.rangeOf(['spec', 'paused']),
          message: `Schedule ${res.name} is paused, and no other Schedule backs up ${ns}: no backup is taken at all, so the RPO of ${rpoText} cannot hold (SC-004).`,
          related: rpoRelated,
          fix: edit && { title: 'Unpause the Schedule', edits: [edit], preferred: true },
        });
        continue;
      }
      const gap = longestGap(enabled.map(({ s }) => s));
      if (gap.never || gap.seconds <= rpo) continue;
      // Report on the Schedule whose change fixes it: the service's own, most frequent one.
      const own = enabled.map((e) => ({ ...e, gap: longestGap([e.s]).seconds }));
      own.sort((a, c) => governedFirst(a, c) || a.gap - c.gap);
      const target = own[0];
      const res = target.b.resource;
      const cron = cronFromRpo(rpo);
      const edit = replaceScalar(res, ['spec', 'schedule'], cron);
      const zone = recovery.timezone;
      // Show where the longest gap falls when it is not the plain interval (weekends, month ends, clock changes).
      const irregular = gap.seconds >= 86400 || enabled.some(({ s }) => s.timezone !== 'UTC');
      const where = irregular && gap.from && gap.to ? ` (from ${formatInZone(gap.from, zone)} to ${formatInZone(gap.to, zone)})` : '';
      const gapText = Number.isFinite(gap.seconds) ? `up to ${formatHumanDuration(gap.seconds)}` : 'years';
      const subject = enabled.length === 1
        ? `Schedule ${res.name} runs "${String(target.b.cron)}", ${lower(describeSchedule(target.s))}: ${gapText} can pass between two backups`
        : `The ${enabled.length} Schedules backing up ${ns} (${enabled.map(({ b }) => b.resource.name).join(', ')}) together leave ${gapText} between two backups`;
      const phase = gap.phaseUnknown && enabled.length > 1 ? ' An @every schedule counts from its previous backup, so only its own interval is certain.' : '';
      ctx.report({
        resource: res,
        range: res.rangeOf(['spec', 'schedule']),
        message: `${subject}${where}, longer than the RPO of ${rpoText}: a failure just before a backup loses more data than the spec allows (SC-004). "${cron}" meets it.${phase}`,
        related: [
          ...rpoRelated,
          ...enabled.filter((e) => e.b !== target.b).map(({ b }) => resourceRelated(b.resource, `Schedule ${b.resource.name} also backs up ${ns}`, b.resource.rangeOf(['spec', 'schedule']))),
        ],
        fix: edit && { title: `Run every ${formatHumanDuration(longestGap([parseOrThrow(cron)]).seconds)}: "${cron}"`, edits: [edit], preferred: true },
      });
    }
  },
});

function parseOrThrow(text: string): VeleroSchedule {
  const p = parseVeleroCron(text);
  if (!p.ok) throw new Error(`cronFromRpo produced "${text}": ${p.error}`);
  return p.schedule;
}

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
