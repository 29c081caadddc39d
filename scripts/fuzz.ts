/**
 * `npm run fuzz`: the long fuzzing run behind the figures in README.md's Reliability section. The test suite runs the same
 * properties with a small budget (test/fuzz); this runs them on ≥100,000 documents.
 *
 *   engine   fuzzed manifests (mutations of the examples, random text) with a spec: parseFile and the whole catalog
 *            never throw, no rule crashes, every range inside its document, the same output from scratch, again
 *            and through a linter's caches; every Nth document also goes through every fix (test/fuzz/engine-harness).
 *   sweep    every seed manifest with every node replaced by every wrong-typed value (deterministic).
 *   cli      `opex lint --format json` and `--fix` on fuzzed folders (a process per run).
 *   lsp      the language server: fuzzed documents opened and edited, every feature asked at random positions.
 *
 * Options: --docs N (100000) --seed S --jobs J (CPU count) --fix-every N (10) --cli N (300) --lsp N (3000 steps)
 *          --only engine,sweep,cli,lsp --json FILE (the figures as JSON)
 * Exit status 1 when any property failed; failing cases are written to .opex-tmp/fuzz/.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { TEST_SPEC } from '../server/engine/testing';
import { caseArb, documentArb, MANIFEST_SEEDS, mutate, ROOT, specArb, WRONG_VALUES } from '../test/fuzz/corpus';
import { fixCase, lintCase, parseProblems, type FuzzWorkspace } from '../test/fuzz/engine-harness';
import { lintRunProblems, runCli, tempFolder, writeFiles } from '../test/fuzz/cli-harness';
import { lspStepArb, runLspSteps } from '../test/fuzz/lsp-fuzz';
import { copyFixture, TestClient } from '../test/lsp/harness';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20240607' },
    jobs: { type: 'string', default: String(Math.max(1, os.cpus().length)) },
    'fix-every': { type: 'string', default: '10' },
    cli: { type: 'string', default: '300' },
    lsp: { type: 'string', default: '3000' },
    only: { type: 'string' },
    json: { type: 'string' },
    worker: { type: 'string' },
    from: { type: 'string' },
    count: { type: 'string' },
  },
});

const SEED = Number(values.seed);
const CHUNK = 500;
const PROGRESS_MARK = '@fuzz-done ';
const OUT = path.join(ROOT, '.opex-tmp', 'fuzz');

interface EngineFigures {
  documents: number;
  lints: number;
  diagnostics: number;
  fixCases: number;
  fixesApplied: number;
  fixAllPasses: number;
  secondPass: Record<string, number>;
  rulesFired: Record<string, number>;
  worstCaseMs: number;
  failures: Array<{ problems: string[]; file: string }>;
  failed: number;
}

function emptyFigures(): EngineFigures {
  return { documents: 0, lints: 0, diagnostics: 0, fixCases: 0, fixesApplied: 0, fixAllPasses: 0, secondPass: {}, rulesFired: {}, worstCaseMs: 0, failures: [], failed: 0 };
}

function recordFailure(f: EngineFigures, problems: string[], input: unknown, tag: string): void {
  f.failed++;
  if (f.failures.length >= 20) return;
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${tag}-${process.pid}-${f.failed}.json`);
  fs.writeFileSync(file, JSON.stringify({ problems, input }, null, 2));
  f.failures.push({ problems: problems.slice(0, 5), file: path.relative(ROOT, file) });
}

/** A worker tells the main process how many more cases it has done (a line on stderr the main process reads). */
function reportDone(n: number): void {
  process.stderr.write(`${PROGRESS_MARK}${n}\n`);
}

/** Prints `what: done/total` on stderr each time another tenth of the work is done. */
function progressPrinter(what: string, total: number): (n: number) => void {
  let done = 0;
  let shown = 0;
  console.error(`${what}: 0/${total.toLocaleString('en-US')}…`);
  return (n) => {
    done += n;
    const tenth = Math.floor((done / total) * 10);
    if (tenth > shown && done < total) {
      shown = tenth;
      console.error(`${what}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
    }
  };
}

/** Engine documents [from, from+count): chunks of CHUNK cases, each chunk sampled with its own seed. */
function engineWorker(from: number, count: number, fixEvery: number): EngineFigures {
  const f = emptyFigures();
  let reused: FuzzWorkspace | undefined;
  for (let start = from; start < from + count; start += CHUNK) {
    const n = Math.min(CHUNK, from + count - start);
    const cases = fc.sample(caseArb, { seed: SEED + start / CHUNK, numRuns: n });
    cases.forEach((c, i) => {
      const t0 = Date.now();
      const problems: string[] = [];
      try {
        problems.push(...parseProblems(c.manifest));
        const fresh = lintCase(c);
        problems.push(...fresh.problems);
        const again = lintCase(c);
        if (JSON.stringify(again.diagnostics) !== JSON.stringify(fresh.diagnostics)) problems.push('a second lint from scratch gave another result');
        const inc = lintCase(c, reused);
        reused = inc.ws;
        if (JSON.stringify(inc.diagnostics) !== JSON.stringify(fresh.diagnostics)) problems.push('a linter that linted other inputs before gave another result');
        f.lints += 3;
        f.diagnostics += fresh.diagnostics.length;
        for (const d of fresh.diagnostics) f.rulesFired[d.ruleId] = (f.rulesFired[d.ruleId] ?? 0) + 1;
        if ((start + i) % fixEvery === 0) {
          const r = fixCase({ ...c, spec: c.spec ?? { name: 'opex.yaml', text: TEST_SPEC } });
          problems.push(...r.problems);
          f.fixCases++;
          f.fixesApplied += r.single;
          f.fixAllPasses += r.passes;
          r.secondPass.forEach((rule) => (f.secondPass[rule] = (f.secondPass[rule] ?? 0) + 1));
        }
      } catch (err) {
        problems.push(`threw: ${(err as Error)?.stack ?? String(err)}`);
      }
      f.documents++;
      f.worstCaseMs = Math.max(f.worstCaseMs, Date.now() - t0);
      if (problems.length > 0) recordFailure(f, problems, c, 'engine');
    });
    reportDone(n);
  }
  return f;
}

/** Every seed, every node, every wrong value: a slice of the (seed × node × value) list for one worker. */
function sweepCases(): Array<{ seed: number; at: number; value: number }> {
  const out: Array<{ seed: number; at: number; value: number }> = [];
  MANIFEST_SEEDS.forEach((s, seed) => {
    // The number of value nodes of the seed: mutate with at = k until it wraps around (nodesOf is internal to corpus).
    const seen = new Set<string>();
    for (let at = 0; at < 2000; at++) {
      const probe = mutate(s.text, { op: 'wrongType', at, value: 0 });
      if (seen.has(probe)) break;
      seen.add(probe);
      for (let value = 0; value < WRONG_VALUES.length; value++) out.push({ seed, at, value });
    }
  });
  return out;
}

function sweepWorker(from: number, count: number): EngineFigures {
  const f = emptyFigures();
  const all = sweepCases().slice(from, from + count);
  for (const [n, k] of all.entries()) {
    if (n > 0 && n % CHUNK === 0) reportDone(CHUNK);
    const manifest = mutate(MANIFEST_SEEDS[k.seed].text, { op: 'wrongType', at: k.at, value: k.value });
    const t0 = Date.now();
    let problems: string[] = [];
    try {
      const r = lintCase({ manifest, spec: { name: 'opex.yaml', text: TEST_SPEC } });
      problems = r.problems;
      f.diagnostics += r.diagnostics.length;
      for (const d of r.diagnostics) f.rulesFired[d.ruleId] = (f.rulesFired[d.ruleId] ?? 0) + 1;
    } catch (err) {
      problems = [`threw: ${(err as Error)?.stack ?? String(err)}`];
    }
    f.documents++;
    f.lints++;
    f.worstCaseMs = Math.max(f.worstCaseMs, Date.now() - t0);
    if (problems.length > 0) recordFailure(f, problems, { ...k, manifest }, 'sweep');
  }
  return f;
}

function merge(a: EngineFigures, b: EngineFigures): EngineFigures {
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    documents: a.documents + b.documents,
    lints: a.lints + b.lints,
    diagnostics: a.diagnostics + b.diagnostics,
    fixCases: a.fixCases + b.fixCases,
    fixesApplied: a.fixesApplied + b.fixesApplied,
    fixAllPasses: a.fixAllPasses + b.fixAllPasses,
    secondPass: add(a.secondPass, b.secondPass),
    rulesFired: add(a.rulesFired, b.rulesFired),
    worstCaseMs: Math.max(a.worstCaseMs, b.worstCaseMs),
    failures: [...a.failures, ...b.failures].slice(0, 20),
    failed: a.failed + b.failed,
  };
}

/** Runs `kind` over [0, total) in `jobs` child processes. */
async function parallel(kind: 'engine' | 'sweep', total: number, jobs: number): Promise<EngineFigures> {
  const per = Math.ceil(total / jobs / CHUNK) * CHUNK;
  const runs: Array<Promise<EngineFigures>> = [];
  const progress = progressPrinter(`${kind} (${jobs} workers)`, total);
  for (let from = 0; from < total; from += per) {
    const count = Math.min(per, total - from);
    runs.push(
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--worker', kind, '--from', String(from), '--count', String(count), '--seed', String(SEED), '--fix-every', values['fix-every']!], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        readline.createInterface({ input: child.stderr }).on('line', (line) => {
          if (line.startsWith(PROGRESS_MARK)) progress(Number(line.slice(PROGRESS_MARK.length)));
          else console.error(line);
        });
        child.on('exit', (code) => {
          try {
            resolve(JSON.parse(out.slice(out.lastIndexOf('\n{"') + 1)));
          } catch {
            reject(new Error(`${kind} worker ${from} exited ${code} without figures: ${out.slice(-500)}`));
          }
        });
      }),
    );
  }
  return (await Promise.all(runs)).reduce(merge, emptyFigures());
}

async function cliPart(total: number): Promise<{ runs: number; folders: number; fixRuns: number; worstMs: number; failed: number; failures: string[] }> {
  const figures = { runs: 0, folders: 0, fixRuns: 0, worstMs: 0, failed: 0, failures: [] as string[] };
  const arb = fc.record({ manifests: fc.array(documentArb, { minLength: 1, maxLength: 4 }), spec: specArb });
  const cases = fc.sample(arb, { seed: SEED + 7, numRuns: total });
  const progress = progressPrinter('cli folders', total);
  for (const c of cases) {
    progress(1);
    const dir = tempFolder();
    const files: Record<string, string> = {};
    c.manifests.forEach((text, i) => (files[`${i % 2 ? 'sub/' : ''}m${i}.yaml`] = text));
    if (c.spec) files[c.spec.name] = c.spec.text;
    writeFiles(dir, files);
    const texts = new Map(Object.entries(files).map(([n, t]) => [path.join(dir, n), t]));
    const problems: string[] = [];
    const a = runCli(['lint', '--format', 'json', '.'], dir);
    problems.push(...lintRunProblems(a, texts, dir));
    const b = runCli(['lint', '--format', 'json', '.'], dir);
    if (b.stdout !== a.stdout || b.code !== a.code) problems.push('the same folder gave another output');
    const fix = runCli(['lint', '--fix', '--format', 'text', '.'], dir);
    if (![0, 1, 2].includes(fix.code ?? -1)) problems.push(`--fix exit ${fix.code}`);
    const after = runCli(['lint', '--format', 'json', '.'], dir);
    const textsAfter = new Map([...texts.keys()].map((f) => [f, fs.readFileSync(f, 'utf8')]));
    problems.push(...lintRunProblems(after, textsAfter, dir).map((p) => `after --fix: ${p}`));
    figures.runs += 4;
    figures.fixRuns++;
    figures.folders++;
    figures.worstMs = Math.max(figures.worstMs, a.ms, b.ms, fix.ms, after.ms);
    if (problems.length > 0) {
      figures.failed++;
      fs.mkdirSync(OUT, { recursive: true });
      const file = path.join(OUT, `cli-${figures.failed}.json`);
      fs.writeFileSync(file, JSON.stringify({ problems, files }, null, 2));
      if (figures.failures.length < 20) figures.failures.push(`${problems[0]} (${path.relative(ROOT, file)})`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

async function lspPart(totalSteps: number): Promise<{ documents: number; changes: number; requests: number; worstMs: number; failed: number; failures: string[]; restarts: number }> {
  const stats = { documents: 0, changes: 0, requests: 0, worstMs: 0 };
  const failures: string[] = [];
  let failed = 0;
  let restarts = 0;
  const BATCH = 25;
  let c = await TestClient.start({ folder: copyFixture() });
  await c.ready();
  const progress = progressPrinter('lsp steps', totalSteps);
  for (let i = 0; i * BATCH < totalSteps; i++) {
    progress(BATCH);
    // A fresh server every 40 batches: the open documents pile up (each batch opens new files).
    if (i > 0 && i % 40 === 0) {
      await c.stop();
      c = await TestClient.start({ folder: copyFixture() });
      await c.ready();
      restarts++;
    }
    const steps = fc.sample(fc.array(lspStepArb, { minLength: BATCH, maxLength: BATCH }), { seed: SEED + 100_000 + i, numRuns: 1 })[0];
    const problems = await runLspSteps(c, steps, stats, `f${i}`);
    c.logs.length = 0;
    if (problems.length > 0) {
      failed++;
      fs.mkdirSync(OUT, { recursive: true });
      const file = path.join(OUT, `lsp-${i}.json`);
      fs.writeFileSync(file, JSON.stringify({ problems, seed: SEED + 100_000 + i, steps }, null, 2));
      if (failures.length < 20) failures.push(`${problems[0].slice(0, 300)} (${path.relative(ROOT, file)})`);
      if (c.proc.exitCode !== null) {
        c = await TestClient.start({ folder: copyFixture() });
        await c.ready();
      }
    }
  }
  await c.stop();
  return { ...stats, failed, failures, restarts };
}

async function main(): Promise<void> {
  if (values.worker) {
    const from = Number(values.from);
    const count = Number(values.count);
    const f = values.worker === 'sweep' ? sweepWorker(from, count) : engineWorker(from, count, Number(values['fix-every']));
    process.stdout.write(`\n${JSON.stringify(f)}\n`);
    return;
  }
  const only = new Set((values.only ?? 'engine,sweep,cli,lsp').split(','));
  const jobs = Number(values.jobs);
  const report: Record<string, unknown> = { seed: SEED, node: process.version, cpus: os.cpus().length, started: new Date().toISOString() };
  let failed = 0;
  const t0 = Date.now();
  if (only.has('engine')) {
    const t = Date.now();
    const f = await parallel('engine', Number(values.docs), jobs);
    report.engine = { ...f, seconds: Math.round((Date.now() - t) / 1000) };
    failed += f.failed;
    console.log(`engine: ${f.documents.toLocaleString('en-US')} documents, ${f.lints.toLocaleString('en-US')} lints, ${f.diagnostics.toLocaleString('en-US')} diagnostics from ${Object.keys(f.rulesFired).length} rules, ${f.fixCases.toLocaleString('en-US')} documents through every fix (${f.fixesApplied.toLocaleString('en-US')} single fixes), worst case ${f.worstCaseMs} ms, ${f.failed} failed (${Math.round((Date.now() - t) / 1000)} s)`);
    if (Object.keys(f.secondPass).length) console.log(`  fix-all needed a second pass: ${JSON.stringify(f.secondPass)}`);
    f.failures.forEach((x) => console.log(`  FAIL ${x.problems[0].slice(0, 300)} (${x.file})`));
  }
  if (only.has('sweep')) {
    const t = Date.now();
    const total = sweepCases().length;
    const f = await parallel('sweep', total, jobs);
    report.sweep = { ...f, seconds: Math.round((Date.now() - t) / 1000) };
    failed += f.failed;
    console.log(`sweep: ${f.documents.toLocaleString('en-US')} documents (${MANIFEST_SEEDS.length} seeds × every value node × ${WRONG_VALUES.length} wrong values), worst case ${f.worstCaseMs} ms, ${f.failed} failed (${Math.round((Date.now() - t) / 1000)} s)`);
    f.failures.forEach((x) => console.log(`  FAIL ${x.problems[0].slice(0, 300)} (${x.file})`));
  }
  if (only.has('cli')) {
    const t = Date.now();
    const f = await cliPart(Number(values.cli));
    report.cli = { ...f, seconds: Math.round((Date.now() - t) / 1000) };
    failed += f.failed;
    console.log(`cli: ${f.folders} folders, ${f.runs} runs of opex lint (${f.fixRuns} with --fix), slowest ${f.worstMs} ms, ${f.failed} failed (${Math.round((Date.now() - t) / 1000)} s)`);
    f.failures.forEach((x) => console.log(`  FAIL ${x}`));
  }
  if (only.has('lsp')) {
    const t = Date.now();
    const f = await lspPart(Number(values.lsp));
    report.lsp = { ...f, seconds: Math.round((Date.now() - t) / 1000) };
    failed += f.failed;
    console.log(`lsp: ${f.documents.toLocaleString('en-US')} documents opened, ${f.changes.toLocaleString('en-US')} edits, ${f.requests.toLocaleString('en-US')} requests answered (slowest ${f.worstMs} ms), ${f.failed} failed batches (${Math.round((Date.now() - t) / 1000)} s)`);
    f.failures.forEach((x) => console.log(`  FAIL ${x}`));
  }
  report.seconds = Math.round((Date.now() - t0) / 1000);
  report.failed = failed;
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(report, null, 2));
  console.log(failed === 0 ? `fuzz: all properties held (${report.seconds} s)` : `fuzz: ${failed} failing case(s); see .opex-tmp/fuzz/`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
