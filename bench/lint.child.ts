/**
 * One cold measurement in a fresh process (bundled by lint.bench.ts, as `opex lint` is: no TypeScript compiler on
 * the way): `parse` (bare yaml, the floor), `lint` (opex: read, index, all rules), or `edits` (after a lint, single-file
 * edits of every kind of file, each followed by the incremental lint: the engine's share of an edit in the editor).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { loadWorkspace } from '../server/cli/workspace';
import { discoverFiles } from '../server/engine/discover';

const [mode, dir, editsArg] = process.argv.slice(2);
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let files = 0;
let docs = 0;
let edits: number[] | undefined;
if (mode === 'parse') {
  const found = discoverFiles(dir);
  for (const f of found.manifests) {
    const text = fs.readFileSync(f, 'utf8');
    files++;
    for (const d of YAML.parseAllDocuments(text) as YAML.Document[]) {
      d.toJS();
      docs++;
    }
  }
} else {
  const ws = loadWorkspace([dir]);
  const results = ws.linter.lintAll();
  files = ws.files.length;
  docs = ws.index.resources().length;
  if (results.size === 0) throw new Error('nothing linted');
  if (mode === 'edits') {
    // Edits spread over the workspace and over the kinds of files: a label value, replicas, a schedule, a selector.
    const kinds: Array<[string, RegExp, string]> = [
      ['deployment.yaml', /app: (svc-\d+)\n/, 'app: $1-x\n'],
      ['deployment.yaml', /replicas: \d+/, 'replicas: 2'],
      ['schedule.yaml', /schedule: "[^"]*"/, 'schedule: "0 */6 * * *"'],
      ['vpa.yaml', /updateMode: .*/, 'updateMode: Auto'],
      ['database.yaml', /app: (svc-\d+)-db, team/, 'app: $1-dbx, team'],
      ['podchaos.yaml', /mode: one/, 'mode: all'],
      ['configmap.yaml', /LOG_LEVEL: info/, 'LOG_LEVEL: debug'],
      ['opex.yaml', /rpo: 24h/, 'rpo: 12h'],
    ];
    const services = fs.readdirSync(dir).filter((d) => d.startsWith('svc-')).sort();
    edits = [];
    const count = Number(editsArg ?? 120);
    for (let i = 0; i < count; i++) {
      const [name, re, to] = kinds[i % kinds.length];
      const file = path.join(dir, services[(i * 37) % services.length], name);
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      // Every other edit of a file puts it back: the workspace goes on being the generated one.
      const edited = Math.floor(i / kinds.length) % 2 === 0 ? text.replace(re, to) : text;
      const t = process.hrtime.bigint();
      // opex.yaml is a spec and a YAML file of the index, as in the language server.
      if (name === 'opex.yaml') ws.specs.setFile(file, edited);
      ws.index.setFile(file, edited);
      ws.linter.lintAll();
      edits.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ files, docs, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 1048576, edits }));
