/**
 * `opex lint` as a user runs it, for fuzzing: a child process on a temporary folder, and the checks every run must
 * pass (exit status 0/1/2, no stack trace or Node warning on the terminal, JSON that parses with every range inside
 * its file). The built CLI (bin/opex.js) when it is newer than the sources, else the sources through tsx.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rangeProblem, ROOT } from './corpus';

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(full));
    else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(full).mtimeMs);
  }
  return t;
}

/** node arguments that run the CLI: the bundle when it is current, else server/cli/main.ts through tsx. */
export function cliCommand(): string[] {
  const bundle = path.join(ROOT, 'dist', 'cli.js');
  const forced = process.env.OPEX_CLI;
  const source = ['--import', pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, path.join(ROOT, 'server', 'cli', 'main.ts')];
  if (forced === 'source') return source;
  if (forced === 'bundle') return [path.join(ROOT, 'bin', 'opex.js')];
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newest(path.join(ROOT, 'server'))) return [path.join(ROOT, 'bin', 'opex.js')];
  return source;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(args: string[], cwd: string, timeoutMs = 60_000): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.OPEX_DEBUG;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [...cliCommand(), ...args], { cwd, encoding: 'utf8', env, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}

export function tempFolder(prefix = 'opex-fuzz-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** What the terminal must never show: a stack trace, an internal error, a Node warning. */
export function terminalProblems(text: string): string[] {
  const out: string[] = [];
  if (/^\s+at .+:\d+:\d+\)?$/m.test(text)) out.push(`a stack trace: ${text.slice(0, 400)}`);
  if (/node:internal|\(node:\d+\)|Warning:/.test(text)) out.push(`a Node message: ${text.slice(0, 400)}`);
  if (/internal error|internal-error/.test(text)) out.push(`an internal error: ${text.slice(0, 400)}`);
  return out;
}

/** The checks of one `opex lint --format json` run over files whose texts are known. */
export function lintRunProblems(run: CliRun, texts: ReadonlyMap<string, string>, cwd: string): string[] {
  const problems: string[] = [];
  if (run.signal) problems.push(`killed by ${run.signal} after ${run.ms} ms`);
  if (run.code !== 0 && run.code !== 1 && run.code !== 2) problems.push(`exit status ${run.code}`);
  problems.push(...terminalProblems(run.stderr));
  if (run.code === 2) {
    if (!/^opex( lint)?: /.test(run.stderr)) problems.push(`exit 2 without a message: ${run.stderr.slice(0, 200)}`);
    return problems;
  }
  let report: { version: number; files: Array<{ path: string; diagnostics: Array<{ ruleId: string; range: any; message: string }> }> };
  try {
    report = JSON.parse(run.stdout);
  } catch {
    problems.push(`stdout is not JSON: ${run.stdout.slice(0, 200)}`);
    return problems;
  }
  if (report.version !== 1) problems.push(`version ${report.version}`);
  for (const f of report.files) {
    const text = texts.get(path.resolve(cwd, f.path));
    for (const d of f.diagnostics) {
      if (d.ruleId === 'internal-error') problems.push(`internal-error in ${f.path}: ${d.message}`);
      if (text === undefined) continue;
      const p = rangeProblem(text, d.range);
      if (p) problems.push(`${d.ruleId} in ${f.path}: ${p}`);
    }
  }
  return problems;
}
