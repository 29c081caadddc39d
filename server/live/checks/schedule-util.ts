/** Cron arithmetic for the Velero checks (Velero reads 5-field crons and @every/@daily descriptors). */
import { Cron } from 'croner';
import { parseGoDuration } from '../../engine/duration';

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** A cron as five space-separated fields with its CRON_TZ prefix split off; descriptors expanded. */
export function normalizeCron(expr: string): { cron: string; tz?: string; every?: number } {
  let text = expr.trim().replace(/\s+/g, ' ');
  let tz: string | undefined;
  const m = /^(?:CRON_TZ|TZ)=(\S+) (.*)$/.exec(text);
  if (m) {
    tz = m[1];
    text = m[2];
  }
  const every = /^@every (\S+)$/.exec(text);
  if (every) return { cron: text, tz, every: parseGoDuration(every[1]) };
  return { cron: DESCRIPTORS[text] ?? text, tz };
}

export function sameCron(a: string, b: string): boolean {
  const x = normalizeCron(a);
  const y = normalizeCron(b);
  return x.cron === y.cron;
}

/** The longest gap (seconds) between runs of several crons merged, over the next `days` days. */
export function longestGap(crons: string[], timezone: string, from: Date, days = 35): number | undefined {
  const horizon = from.getTime() + days * 86400_000;
  const runs: number[] = [];
  for (const c of crons) {
    const n = normalizeCron(c);
    if (n.every !== undefined) {
      if (n.every <= 0) return undefined;
      for (let t = from.getTime(); t <= horizon && runs.length < 20000; t += n.every * 1000) runs.push(t);
      continue;
    }
    let job: Cron;
    try {
      job = new Cron(n.cron, { timezone: n.tz ?? timezone, paused: true });
    } catch {
      return undefined;
    }
    let next = job.nextRun(from);
    let count = 0;
    while (next && next.getTime() <= horizon && count++ < 5000) {
      runs.push(next.getTime());
      next = job.nextRun(next);
    }
    job.stop();
  }
  if (runs.length < 2) return undefined;
  runs.sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, (runs[i] - runs[i - 1]) / 1000);
  return gap;
}
