import * as path from 'node:path';
import { checkTimezone, longestGap, parseVeleroCron } from '../cron';
import { formatHumanDuration } from '../duration';
import { LineMap } from '../text';
import type { Range } from '../types';
import { loadMarkdownSpec } from './markdown';
import type { LoadedSpec } from './types';
import { loadYamlSpec } from './yaml';

/** Loads a spec in either form and checks that it does not contradict itself. */
export function loadSpec(file: string, text: string): LoadedSpec {
  const isMarkdown = /\.(md|markdown)$/i.test(path.basename(file));
  const loaded = isMarkdown ? loadMarkdownSpec(file, text) : loadYamlSpec(file, text);
  checkConsistency(loaded, new LineMap(text));
  return loaded;
}

/** Contradictions between fields: each is reported on the field that breaks the other. */
function checkConsistency(loaded: LoadedSpec, lines: LineMap): void {
  const { spec, locations, file } = loaded;
  const at = (field: string): Range => locations[field] ?? lines.lineRange(0);
  const report = (field: string, message: string) =>
    loaded.diagnostics.push({ ruleId: 'spec-invalid', severity: 'error', file, range: at(field), message });
  const r = spec.recovery;
  if (r?.retention !== undefined && r.rpo !== undefined && r.retention < r.rpo) {
    report('recovery.retention', `Retention ${formatHumanDuration(r.retention)} is shorter than the RPO ${formatHumanDuration(r.rpo)}: a backup would expire before the next one exists.`);
  }
  const kill = spec.resilience?.podKillRecovery;
  if (r?.rto !== undefined && kill !== undefined && r.rto < kill) {
    report('recovery.rto', `The RTO ${formatHumanDuration(r.rto)} is shorter than the pod-kill recovery target ${formatHumanDuration(kill)}: a namespace restore cannot be faster than replacing one pod.`);
  }
  if (r?.schedule && r.rpo !== undefined) {
    const zone = checkTimezone(r.timezone);
    const parsed = parseVeleroCron(r.schedule, { defaultTimezone: zone.ok ? zone.zone : 'UTC' });
    if (parsed.ok) {
      const gap = longestGap([parsed.schedule]);
      if (gap.seconds > r.rpo) {
        const gapText = Number.isFinite(gap.seconds) ? `leaves up to ${formatHumanDuration(gap.seconds)} between backups` : 'runs at most once';
        report('recovery.schedule', `The required schedule "${r.schedule}" ${gapText}, more than the RPO of ${formatHumanDuration(r.rpo)}: no Schedule could meet both. Make the schedule run more often or the RPO longer.`);
      }
    }
  }
  const hook = r?.database?.hookTimeout;
  if (hook !== undefined && r?.rpo !== undefined && hook >= r.rpo) {
    report('recovery.database.hookTimeout', `The hook timeout ${formatHumanDuration(hook)} is not shorter than the RPO ${formatHumanDuration(r.rpo)}.`);
  }
}
