/**
 * The workspace the end-to-end tests open: a fresh copy of `examples/task-api` (the chapter's service, clean under
 * its markdown spec) with a few deliberate mistakes, so the editor starts with problems a user would see. The
 * extension-host suite reads BREAKAGES for what to expect; every mistake has a quick fix that restores a clean
 * workspace. Plain Node (no vscode), shared by the runners and the suite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Breakage {
  file: string;
  /** Text of the example that is replaced (the first occurrence). */
  from: string;
  /** What replaces it: the problem. */
  to: string;
  ruleId: string;
  severity: 'error' | 'warning';
  /** The text the diagnostic's range covers. */
  covers: string;
  /** The line the fix leaves (trimmed), where the broken line was. */
  fixed: string;
}

export const SPEC = 'task-api-opex-spec.md';
export const DEPLOYMENT = 'task-api-deployment.yaml';
export const VPA = 'task-api-vpa.yaml';
export const SCHEDULE = 'task-api-velero-schedule.yaml';
export const CHAOS = 'task-api-podchaos.yaml';

export const BREAKAGES: Breakage[] = [
  { file: DEPLOYMENT, from: 'replicas: 3', to: 'replicas: 1', ruleId: 'replicas-too-low', severity: 'warning', covers: '1', fixed: 'replicas: 2' },
  { file: VPA, from: 'updateMode: "Off"', to: 'updateMode: Off', ruleId: 'yaml-boolean-trap', severity: 'error', covers: 'Off', fixed: 'updateMode: "Off" # SC-003: Recommendations only' },
  { file: SCHEDULE, from: 'ttl: 720h', to: 'ttl: 240h', ruleId: 'backup-ttl-mismatch', severity: 'error', covers: '240h', fixed: 'ttl: 720h # SC-005: 30-day retention' },
  { file: SCHEDULE, from: 'onError: Fail', to: 'onError: Continue', ruleId: 'backup-hook-on-error', severity: 'error', covers: 'Continue', fixed: 'onError: Fail # SC-006: Fail backup if hook fails' },
  { file: CHAOS, from: '- staging # Per spec', to: '- production # Per spec', ruleId: 'chaos-namespace-forbidden', severity: 'error', covers: 'production', fixed: '- staging # Per spec: staging only' },
];

/** Copies examples/task-api into `dest` and applies BREAKAGES (a missing `from` is an error: the example changed). */
export function prepareWorkspace(root: string, dest: string): string {
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(path.join(root, 'examples', 'task-api'), dest, { recursive: true });
  for (const b of BREAKAGES) {
    const file = path.join(dest, b.file);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(b.from)) throw new Error(`examples/task-api/${b.file} no longer contains "${b.from}": update test/e2e/lib/workspace.ts`);
    fs.writeFileSync(file, text.replace(b.from, b.to));
  }
  return dest;
}

/** 0-based line of the first occurrence of `needle` in `text` (after `after`, if given). */
export function lineOf(text: string, needle: string, after?: string): number {
  const start = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, Math.max(0, start));
  if (i < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, i).split('\n').length - 1;
}
