/**
 * What a Velero cron means, for hovers: its English text (cronstrue), its next runs (croner) and the longest
 * gap between two runs. Velero reads 5-field crons and the descriptors @yearly … @hourly and `@every <d>`,
 * evaluated in UTC unless prefixed with `CRON_TZ=<zone>`.
 */
import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { formatHumanDuration, parseGoDuration } from '../engine/duration';

export interface CronInfo {
  /** English, e.g. "At 02:00, every day". */
  text: string;
  /** The zone the cron is evaluated in (UTC unless CRON_TZ/TZ says otherwise). */
  zone: string;
  next: Date[];
  /** Longest gap between two consecutive runs, in seconds (over about a year of runs). */
  longestGap: number;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** At most this many runs are walked to find the longest gap. */
const MAX_RUNS = 4000;

export function cronInfo(expr: string, count = 3, from: Date = new Date()): CronInfo | { error: string } {
  let text = expr.trim();
  let zone = 'UTC';
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (tz) {
    zone = tz[1];
    text = tz[2].trim();
  }
  const every = /^@every\s+(\S+)$/.exec(text);
  if (every) {
    const seconds = parseGoDuration(every[1]);
    if (seconds === undefined || seconds <= 0) return { error: `\`${every[1]}\` is no Go duration (e.g. 6h, 90m).` };
    const next = Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * seconds * 1000));
    return { text: `Every ${formatHumanDuration(seconds)}, counted from when the Schedule was created or last ran`, zone, next, longestGap: seconds };
  }
  const pattern = DESCRIPTORS[text] ?? text;
  if (pattern.split(/\s+/).length !== 5) return { error: 'Velero reads a cron of 5 fields (minute hour day-of-month month day-of-week) or @daily, @hourly, @every 6h…' };
  let cron: Cron;
  try {
    cron = new Cron(pattern, { timezone: zone, paused: true, legacyMode: true });
  } catch (err) {
    return { error: (err as Error).message };
  }
  let english: string;
  try {
    english = cronstrue.toString(pattern, { use24HourTimeFormat: true, verbose: true });
  } catch {
    english = pattern;
  }
  const next = cron.nextRuns(count, from);
  let longestGap = 0;
  let prev: Date | null = cron.nextRun(from);
  const horizon = (prev?.getTime() ?? from.getTime()) + 366 * 86400 * 1000;
  for (let i = 0; prev && i < MAX_RUNS; i++) {
    const n: Date | null = cron.nextRun(prev);
    if (!n) break;
    longestGap = Math.max(longestGap, (n.getTime() - prev.getTime()) / 1000);
    if (n.getTime() > horizon) break;
    prev = n;
  }
  return { text: english, zone, next, longestGap };
}

/** A run time as people read it in a zone: "Tue, Jan 7, 2025, 02:00 UTC". */
export function formatRun(d: Date, zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).format(d);
  } catch {
    return d.toISOString();
  }
}
