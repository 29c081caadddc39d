/**
 * Lint throughput: a cold `opex lint` of generated workspaces of 1,000 and 5,000 files and of the examples, beside the
 * time the bare `yaml` parse of the same files takes (the floor), and the engine's time for single-file edits after
 * that. Each measurement runs in a fresh process (cold: no JIT warm-up, no caches) from one esbuild bundle, as the
 * CLI ships; parse and lint runs alternate, five of each, and the medians are printed.
 *   npm run bench            all sizes
 *   npm run bench -- 1000    one size
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { generateWorkspace } from './generate';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.OPEX_BENCH_RUNS ?? 5);

interface Sample {
  files: number;
  docs: number;
  ms: number;
  cpuMs: number;
  rssMb: number;
  edits?: number[];
}

function child(script: string, mode: 'parse' | 'lint' | 'edits', dir: string): Sample {
  const r = spawnSync(process.execPath, [script, mode, dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

function median(samples: Sample[], key: 'ms' | 'cpuMs' = 'ms'): Sample {
  return [...samples].sort((a, b) => a[key] - b[key])[Math.floor(samples.length / 2)];
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

function measure(script: string, label: string, dir: string, withEdits: boolean): void {
  const parses: Sample[] = [];
  const lints: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    parses.push(child(script, 'parse', dir));
    lints.push(child(script, 'lint', dir));
  }
  const parse = median(parses);
  const lint = median(lints);
  const cpuRatio = median(lints, 'cpuMs').cpuMs / median(parses, 'cpuMs').cpuMs;
  let editCol = '—';
  if (withEdits) {
    const e = child(script, 'edits', dir).edits ?? [];
    editCol = `${quantile(e, 0.5).toFixed(1)} / ${quantile(e, 0.95).toFixed(1)} / ${Math.max(...e).toFixed(1)} ms (${e.length})`;
  }
  console.log(
    `| ${label} | ${lint.files} | ${lint.docs} | ${parse.ms.toFixed(0)} ms | ${lint.ms.toFixed(0)} ms | ${(lint.files / (lint.ms / 1000)).toFixed(0)} files/s, ${(lint.docs / (lint.ms / 1000)).toFixed(0)} docs/s | ${(lint.ms / parse.ms).toFixed(2)}× (CPU ${cpuRatio.toFixed(2)}×) | ${lint.rssMb.toFixed(0)} MB | ${editCol} |`,
  );
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-bench-'));
  try {
    const script = path.join(work, 'lint.child.js');
    await esbuild.build({ entryPoints: [path.join(__dirname, 'lint.child.ts')], outfile: script, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', external: ['@kubernetes/client-node'] });
    console.log(`opex lint benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, median of ${RUNS} cold runs\n`);
    console.log('| workspace | files | documents | bare yaml parse | opex lint (index + all rules) | throughput | lint / parse | peak RSS | edit → lint p50 / p95 / max |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const ex of ['task-api', 'chapter-as-written', 'order-service']) measure(script, `examples/${ex}`, path.join(ROOT, 'examples', ex), false);
    for (const n of sizes.length ? sizes : [1000, 5000]) {
      const dir = path.join(work, `ws-${n}`);
      generateWorkspace(dir, n);
      measure(script, `generated ${n.toLocaleString('en')}`, dir, true);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
