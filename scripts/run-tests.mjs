#!/usr/bin/env node
// Runs every *.test.ts under server/, client/ and test/ (not the e2e suite) on node's built-in runner,
// TypeScript through tsx. Arguments narrow the set: `node scripts/run-tests.mjs server/engine/rules`.
// A test (or hook) that runs past 10 minutes fails rather than holding CI until its limit.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
const skipDirs = new Set(['node_modules', '.git', 'dist', 'e2e', 'fixtures']);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const targets = roots.length > 0 ? roots : ['server', 'client', 'test'];
const files = targets.flatMap((t) => {
  const full = join(root, t);
  try {
    return statSync(full).isDirectory() ? walk(full, []) : [t];
  } catch {
    return [];
  }
}).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...passthrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
