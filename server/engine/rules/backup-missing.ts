import * as path from 'node:path';
import { formatHumanDuration } from '../duration';
import { workloadOf } from '../model';
import type { Resource } from '../resource';
import { scaffold } from '../scaffold';
import { isServiceWorkload } from '../scope';
import type { LoadedSpec } from '../spec/types';
import type { TextEdit } from '../types';
import { governedResources, governedSchedules, meantForService, schedulesCovering, specRange, veleroBackupOf, veleroSchedules } from '../velero';
import type { WorkspaceIndex } from '../workspace';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-missing',
    severity: 'warning',
    description: "The spec has an RPO but no Velero Schedule in the workspace backs up the service's namespace.",
    why: 'An RPO is a promise about how much data a failure may lose; without a Schedule there is no backup at all, and the first restore attempt is the moment the team finds out. It is reported on the spec, since no manifest is wrong; the fix adds a Schedule built from the spec (the RPO or the exact schedule, the retention, and the database hook). A Schedule that exists but misses the namespace is reported as backup-namespace-not-covered instead.',
    fixable: true,
    criteria: ['SC-004', 'SC-005', 'SC-007'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      const rpo = loaded.spec.recovery?.rpo;
      if (rpo === undefined) continue;
      const ns = loaded.spec.namespace;
      if (schedulesCovering(ctx.index, ns).length > 0) continue;
      // Only a Schedule the spec governs can be meant for its service (meantForService).
      if (governedSchedules(ctx.index, loaded, ctx.specFor).some((b) => meantForService(b, loaded, ctx.specFor))) continue; // backup-namespace-not-covered
      const schedules = veleroSchedules(ctx.index);
      const elsewhere = schedules.slice(0, 5).map((b) => resourceRelated(b.resource, `Schedule ${b.resource.name} backs up other namespaces`, b.resource.rangeOf([...b.specPath, 'includedNamespaces'], 'key')));
      const edit = appendSchedule(ctx.index, loaded, ctx.specFor);
      ctx.report({
        file: loaded.file,
        range: specRange(loaded, ['recovery.rpo', 'criteria.SC-004', 'recovery']),
        message: `No Velero Schedule in the workspace backs up namespace ${ns}, so nothing meets the RPO of ${formatHumanDuration(rpo)} (SC-004): after a failure there would be nothing to restore.${schedules.length > 0 ? ` The ${schedules.length === 1 ? 'Schedule found covers' : `${schedules.length} Schedules found cover`} other namespaces.` : ''}`,
        related: elsewhere,
        fix: edit && { title: `Add a Velero Schedule for ${ns} to ${path.basename(edit.file)}`, edits: [edit], preferred: true },
      });
    }
  },
});

/** A Schedule built from the spec, appended as a new document to a manifest file under the spec. */
function appendSchedule(index: WorkspaceIndex, loaded: LoadedSpec, specFor: (file: string) => LoadedSpec | undefined): TextEdit | undefined {
  // Never into a file the parser cannot read: a document appended after a broken one (an unclosed `{`) is swallowed by it.
  const governed: Resource[] = governedResources(index, loaded, specFor).filter((r) => index.file(r.file)?.syntax.length === 0);
  if (governed.length === 0) return undefined;
  const target = governed.find((r) => veleroBackupOf(r))
    ?? governed.find((r) => {
      const w = workloadOf(r);
      return w !== undefined && isServiceWorkload(loaded.spec, w);
    })
    ?? [...governed].sort((a, b) => a.file.localeCompare(b.file))[0];
  let text: string | undefined;
  try {
    text = scaffold(loaded.spec, { database: false, specName: path.basename(loaded.file) }).find((f) => f.kinds.includes('Schedule'))?.text;
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  const recovery = loaded.spec.recovery;
  if (recovery?.schedule && recovery.timezone !== 'UTC' && !/^(CRON_)?TZ=/.test(recovery.schedule)) {
    // Velero runs a cron in its server's clock (UTC) unless it names its zone.
    text = text.replace(`schedule: ${JSON.stringify(recovery.schedule)}`, `schedule: ${JSON.stringify(`CRON_TZ=${recovery.timezone} ${recovery.schedule}`)}`);
  }
  const lines = target.lines;
  const eol = lines.eol;
  const all = lines.text;
  const end = lines.position(all.length);
  const sep = all.length === 0 || all.endsWith('\n') ? '' : eol;
  const body = text.replace(/\r?\n/g, eol);
  return { file: target.file, range: { start: end, end }, newText: `${sep}---${eol}${body}` };
}
