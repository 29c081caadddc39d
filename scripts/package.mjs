#!/usr/bin/env node
// `npm run package`: the VS Code extension as opex-<version>.vsix, with @vscode/vsce, from production bundles
// (`node scripts/build.mjs --production`: minified, no source maps). .vscodeignore says what stays out.
//
// vsce packs from a staging folder (.opex-tmp/vsix) holding what the extension needs at run time: package.json,
// README, LICENSE, the icon, dist/, snippets/, schemas/, docs/ (the rule pages diagnostics link to, the
// walkthrough) and bin/. The staged package.json drops "files": that list is the npm package's (the CLI), and vsce
// refuses a folder that has both "files" and a .vscodeignore. Afterwards the development bundles (with source maps)
// are built again, unless --keep-production.
//
//   npm run package [-- --out FILE] [--keep-production]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import yauzl from 'yauzl';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string' }, 'keep-production': { type: 'boolean', default: false } } });
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.resolve(values.out ?? path.join(root, `${manifest.name}-${manifest.version}.vsix`));
const STAGED = ['README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'images', 'dist', 'snippets', 'schemas', 'docs', 'bin'];

const run = (args, cwd = root) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit' });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const started = Date.now();
run([path.join(root, 'scripts', 'build.mjs'), '--production']);

const stage = path.join(root, '.opex-tmp', 'vsix');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const staged = { ...manifest };
delete staged.files;
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(staged, null, 2) + '\n');
for (const item of STAGED) {
  const from = path.join(root, item);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, item), { recursive: true });
}

fs.rmSync(out, { force: true });
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run([vsce, 'package', '--no-dependencies', '--no-update-package-json', '--no-git-tag-version', '--out', out], stage);

/** The entries of the .vsix with their sizes (uncompressed, compressed). */
function entries(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const list = [];
      zip.on('entry', (e) => {
        list.push({ name: e.fileName, size: e.uncompressedSize, packed: e.compressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(list));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const GOAL = 2 * 1024 * 1024;
const list = (await entries(out)).filter((e) => !e.name.endsWith('/'));
const width = Math.max(...list.map((e) => e.name.length));
const size = fs.statSync(out).size;
console.log(`\n${path.relative(process.cwd(), out)}: ${kb(size)}, ${list.length} files`);
for (const e of list.sort((a, b) => a.name.localeCompare(b.name))) {
  console.log(`  ${e.name.padEnd(width)}  ${kb(e.size).padStart(10)}  ${kb(e.packed).padStart(10)} packed`);
}
if (size > GOAL) console.warn(`package: warning: the .vsix is over the 2 MB goal by ${kb(size - GOAL)}; see the largest files above and .vscodeignore`);
if (!values['keep-production']) run([path.join(root, 'scripts', 'build.mjs')]);
console.log(`package: ${((Date.now() - started) / 1000).toFixed(1)} s`);
