/** One cold measurement in a fresh process: `parse` (bare yaml, the floor) or `lint` (opex: read, index, all rules). */
import * as fs from 'node:fs';
import * as YAML from 'yaml';
import { discoverFiles } from '../server/engine/discover';
import { loadWorkspace } from '../server/cli/workspace';

const [mode, dir] = process.argv.slice(2);
const started = process.hrtime.bigint();
let files = 0;
let docs = 0;
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
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({ files, docs, ms, rssMb: process.memoryUsage().rss / 1048576 }));
