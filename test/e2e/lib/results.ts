/** The extension-host suite's results (suite/index.ts appends one JSON line per event to OPEX_E2E_RESULTS). */
import * as fs from 'node:fs';

export interface ResultEvent {
  event: 'pass' | 'fail' | 'pending' | 'end';
  title?: string;
  ms?: number;
  error?: string;
  stats?: { passes: number; failures: number; pending: number; duration: number };
}

export function formatEvent(e: ResultEvent): string | undefined {
  if (e.event === 'pass') return `  ✔ ${e.title} (${e.ms} ms)`;
  if (e.event === 'fail') return `  ✖ ${e.title}\n${(e.error ?? '').replace(/^/gm, '      ')}`;
  if (e.event === 'pending') return `  - ${e.title}`;
  if (e.event === 'end' && e.stats) return `  ${e.stats.passes} passing, ${e.stats.failures} failing, ${e.stats.pending} pending (${(e.stats.duration / 1000).toFixed(1)} s in the extension host)`;
  return undefined;
}

export function readResults(file: string): ResultEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ResultEvent);
}

/** True when the suite ran to its end without a failure. */
export function passed(events: ResultEvent[]): boolean {
  const end = events.find((e) => e.event === 'end');
  return !!end?.stats && end.stats.failures === 0 && !events.some((e) => e.event === 'fail');
}
