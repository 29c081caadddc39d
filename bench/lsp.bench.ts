/**
 * The language servers side by side: the built opex server (dist/server.js) and redhat's yaml-language-server (the
 * devDependency, with the project's Kubernetes schemas as one local JSON Schema, no network), on generated workspaces
 * of 1,000 and 5,000 files, with the same client and the same edits.
 *
 *   npm run bench:lsp               1,000 and 5,000 files
 *   npm run bench:lsp -- 1000       one size
 *   OPEX_BENCH_EDITS=200 npm run bench:lsp
 *
 * What is measured, per server:
 * - startup: opex reads and checks every file of the workspace and publishes diagnostics for all of them;
 *   yaml-language-server checks only documents the editor opens, so its column shows the first diagnostics of the
 *   one file opened, and, separately, the time to diagnostics for every file once all of them are opened.
 * - requests during startup: hover requests sent every 50 ms from the start until the first diagnostics (opex lints
 *   in slices so that requests are answered meanwhile): the slowest answer.
 * - edit → diagnostics: single-file edits of one open Deployment (its replicas toggled between 3 and "3", a type
 *   error for both servers' schemas), from the didChange sent to the publishDiagnostics that reflects it, p50/p95/max
 *   over OPEX_BENCH_EDITS edits (default 120). Both servers wait before checking after a change: opex its
 *   `opex.lintDelay` (default 15 ms), yaml-language-server a fixed 200 ms; the table gives opex with lintDelay 0 (the
 *   work itself) and with its default, and yaml-language-server as it ships.
 * - memory: the server's resident set right after the edits and once the user paused (VmRSS), and its peak (VmHWM).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { generateWorkspace } from './generate';
import { writeKubernetesSchema } from './k8s-schema';
import { Session, uriOf, type Published } from './lsp-session';

const ROOT = path.resolve(__dirname, '..');
const EDITS = Number(process.env.OPEX_BENCH_EDITS ?? 120);
const OPEX = [path.join(ROOT, 'dist', 'server.js'), '--stdio'];
const YAML_LS = [path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'];

interface Stats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1], n: s.length };
}

const ms = (v: number | undefined) => (v === undefined ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const lat = (s: Stats | undefined) => (s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}` : '—');
const mb = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(0)} MB`);

/** The document edited: a Deployment with `replicas: 3` (svc-0123 of the generator, or one of the first in a small workspace). */
function target(dir: string): { file: string; text: string; line: number; start: number } {
  const services = fs.readdirSync(dir).filter((d) => d.startsWith('svc-')).length;
  let i = Math.min(123, Math.floor(services / 2));
  if (i % 5 === 0) i++; // every fifth service runs 1 replica
  const file = path.join(dir, `svc-${String(i).padStart(4, '0')}`, 'deployment.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => /^\s*replicas: 3\s*$/.test(l));
  if (line < 0) throw new Error(`no "replicas: 3" in ${file}`);
  return { file, text, line, start: lines[line].indexOf('3') };
}

const onLine = (diags: Diagnostic[], line: number) => diags.some((d) => d.range.start.line === line);

/**
 * Edits the target `count` times, toggling `3` ↔ `"3"`, each time waiting for the diagnostics that reflect the edit
 * (a problem on that line after an odd edit, none after an even one). Returns each edit's latency.
 */
async function editSeries(s: Session, t: ReturnType<typeof target>, count: number, version: { v: number }, quoted: { on: boolean }): Promise<number[]> {
  const uri = uriOf(t.file);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const range = { start: { line: t.line, character: t.start }, end: { line: t.line, character: t.start + (quoted.on ? 3 : 1) } };
    quoted.on = !quoted.on;
    const from = s.published.length;
    const sent = performance.now();
    await s.change(t.file, ++version.v, range, quoted.on ? '"3"' : '3');
    const want = quoted.on;
    const got = await s.waitFor<Published>(() => {
      for (let j = from; j < s.published.length; j++) {
        const p = s.published[j];
        if (p.uri === uri && onLine(p.diagnostics, t.line) === want) return p;
      }
      return undefined;
    }, 60_000, `diagnostics after edit ${i + 1}`);
    out.push(got.at - sent);
  }
  return out;
}

/** Hover requests every 50 ms until `until` settles: the slowest answer (ms). */
function probeDuring(s: Session, t: ReturnType<typeof target>, until: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  return (async () => {
    while (!done) {
      times.push(await s.timed('textDocument/hover', { textDocument: { uri: uriOf(t.file) }, position: { line: t.line, character: 4 } }));
      await new Promise((r) => setTimeout(r, 50));
    }
    return times;
  })();
}

interface Result {
  startup?: number;
  filesDiagnosed?: number;
  firstForOpened?: number;
  allOpened?: number;
  probes?: Stats;
  editsNoDelay?: Stats;
  editsDefault?: Stats;
  rss?: number;
  rssIdle?: number;
  peak?: number;
  rssAllOpened?: number;
}

/** The server's resident set once the user has paused for IDLE_MS (opex compacts its heap after 1.5 s of quiet). */
const IDLE_MS = 2500;
async function idleRss(s: Session): Promise<number> {
  await new Promise((res) => setTimeout(res, IDLE_MS));
  return s.memory().rssMb;
}

async function runOpex(dir: string, files: number): Promise<Result> {
  const t = target(dir);
  const settings = { opex: { lintDelay: 0 } };
  const started = performance.now();
  const s = await Session.start('opex', OPEX, dir, settings);
  const r: Result = {};
  try {
    await s.open(t.file, t.text);
    const ready = s.waitFor(() => s.notifications.find((n) => n.method === 'opex/status' && (n.params as any).state === 'ready' && (n.params as any).lintPass >= 1), 600_000, 'the first lint');
    const probes = probeDuring(s, t, ready);
    const status = await ready;
    r.startup = status.at - started;
    r.probes = stats(await probes);
    r.filesDiagnosed = (status.params as any).files;
    void files;
    const version = { v: 1 };
    const quoted = { on: false };
    r.editsNoDelay = stats(await editSeries(s, t, EDITS, version, quoted));
    await s.configure({ opex: {} }); // the default lintDelay
    await new Promise((res) => setTimeout(res, 300));
    r.editsDefault = stats(await editSeries(s, t, Math.max(20, Math.round(EDITS / 3)), version, quoted));
    const m = s.memory();
    r.rss = m.rssMb;
    r.peak = m.peakMb;
    r.rssIdle = await idleRss(s);
  } finally {
    await s.stop();
  }
  return r;
}

async function runYamlLs(dir: string, schemaFile: string, manifests: string[]): Promise<Result> {
  const t = target(dir);
  const yaml = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false, url: '' },
    schemas: { [uriOf(schemaFile)]: ['*.yaml', '*.yml'] },
  };
  const settings = { yaml, http: {}, '[yaml]': {}, editor: {}, files: {} };
  const started = performance.now();
  const s = await Session.start('yaml-language-server', YAML_LS, dir, settings);
  const r: Result = {};
  try {
    await s.configure(settings);
    const opened = performance.now();
    await s.open(t.file, t.text);
    const uri = uriOf(t.file);
    const first = s.waitFor(() => s.published.find((p) => p.uri === uri), 120_000, 'the first diagnostics');
    const probes = probeDuring(s, t, first);
    const got = await first;
    r.firstForOpened = got.at - opened;
    r.startup = got.at - started;
    r.probes = stats(await probes);
    const version = { v: 1 };
    const quoted = { on: false };
    r.editsDefault = stats(await editSeries(s, t, EDITS, version, quoted));
    const m = s.memory();
    r.rss = m.rssMb;
    r.peak = m.peakMb;
    r.rssIdle = await idleRss(s);
    // Every file opened: the time until each has its diagnostics (what opex gives at startup).
    const others = manifests.filter((f) => f !== t.file);
    const before = s.published.length;
    const allStart = performance.now();
    for (const f of others) await s.open(f, fs.readFileSync(f, 'utf8'));
    const wanted = new Set(others.map(uriOf));
    let seen = 0;
    const last = await s.waitFor(() => {
      for (; before + seen < s.published.length; seen++) wanted.delete(s.published[before + seen].uri);
      return wanted.size === 0 ? s.published[s.published.length - 1] : undefined;
    }, 1_800_000, 'diagnostics for every opened file');
    r.allOpened = last.at - allStart;
    r.rssAllOpened = s.memory().rssMb;
    r.peak = s.memory().peakMb;
  } finally {
    await s.stop();
  }
  return r;
}

function table(size: number, opex: Result, yls: Result): string {
  const ratio = (a?: number, b?: number) => (a && b ? ` (${(b / a).toFixed(b / a < 10 ? 1 : 0)}×)` : '');
  const rows: Array<[string, string, string]> = [
    [`diagnostics for every file at startup (${size.toLocaleString('en')} files)`, `${ms(opex.startup)} (${opex.filesDiagnosed} files)`, '— (checks open documents only)'],
    ['first diagnostics for the one file opened at startup', `${ms(opex.startup)} (with every file)`, ms(yls.firstForOpened)],
    ['diagnostics for every file, all of them opened', `${ms(opex.startup)} (not needed: at startup)`, `${ms(yls.allOpened)}${ratio(opex.startup, yls.allOpened)}`],
    ['hover answered during startup: p50 / p95 / max', lat(opex.probes), lat(yls.probes)],
    ['edit → diagnostics, no delay (opex lintDelay 0): p50 / p95 / max', lat(opex.editsNoDelay), '—'],
    ['edit → diagnostics, as shipped (opex 15 ms delay, yaml-language-server 200 ms): p50 / p95 / max', lat(opex.editsDefault), `${lat(yls.editsDefault)}${ratio(opex.editsDefault?.p50, yls.editsDefault?.p50)}`],
    ['memory after the edits (RSS), one file open', mb(opex.rss), mb(yls.rss)],
    [`memory ${IDLE_MS / 1000} s after the last edit (RSS), one file open`, mb(opex.rssIdle), mb(yls.rssIdle)],
    ['memory with every file opened (RSS)', mb(opex.rssIdle), mb(yls.rssAllOpened)],
    ['peak memory (VmHWM)', mb(opex.peak), mb(yls.peak)],
  ];
  return ['| generated workspace, ' + size.toLocaleString('en') + ' files | opex | yaml-language-server 1.19.2 |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'opex-lsp-bench-')));
  try {
    const schemaFile = writeKubernetesSchema(path.join(work, 'kubernetes.schema.json'));
    console.log(`LSP benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${EDITS} edits per series\n`);
    for (const n of sizes.length ? sizes : [1000, 5000]) {
      const dir = path.join(work, `ws-${n}`);
      const files = generateWorkspace(dir, n);
      const manifests = files.filter((f) => path.basename(f) !== 'opex.yaml');
      const opex = await runOpex(dir, files.length);
      const yls = await runYamlLs(dir, schemaFile, manifests);
      console.log(table(n, opex, yls));
      console.log('');
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
