/**
 * Lint throughput: a cold `opex lint` of generated workspaces of 1,000 and 5,000 files and of the examples,
 * beside the time the bare `yaml` parse of the same files takes (the floor). Each measurement runs in a fresh
 * process (cold: no JIT warm-up, no caches), three times; the median is printed.
 *   npm run bench            all sizes
 *   npm run bench -- 1000    one size
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateWorkspace } from './generate';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 3;

interface Sample {
  files: number;
  docs: number;
  ms: number;
  rssMb: number;
}

function child(mode: 'parse' | 'lint', dir: string): Sample {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lint.child.ts'), mode, dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

function median(samples: Sample[]): Sample {
  return [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)];
}

function measure(label: string, dir: string): void {
  const parse = median(Array.from({ length: RUNS }, () => child('parse', dir)));
  const lint = median(Array.from({ length: RUNS }, () => child('lint', dir)));
  const ratio = lint.ms / parse.ms;
  console.log(
    `| ${label} | ${lint.files} | ${lint.docs} | ${parse.ms.toFixed(0)} ms | ${lint.ms.toFixed(0)} ms | ${(lint.files / (lint.ms / 1000)).toFixed(0)} files/s, ${(lint.docs / (lint.ms / 1000)).toFixed(0)} docs/s | ${ratio.toFixed(2)}× | ${lint.rssMb.toFixed(0)} MB |`,
  );
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-bench-'));
try {
  console.log(`opex lint benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, median of ${RUNS} cold runs\n`);
  console.log('| workspace | files | documents | bare yaml parse | opex lint (index + all rules) | throughput | lint / parse | peak RSS |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const ex of ['task-api', 'chapter-as-written', 'order-service']) measure(`examples/${ex}`, path.join(ROOT, 'examples', ex));
  for (const n of sizes.length ? sizes : [1000, 5000]) {
    const dir = path.join(work, `ws-${n}`);
    generateWorkspace(dir, n);
    measure(`generated ${n.toLocaleString('en')}`, dir);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
