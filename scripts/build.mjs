#!/usr/bin/env node
// Bundles the CLI, the language server and the VS Code client with esbuild (CommonJS, Node 20).
// `--watch` rebuilds on change; `--production` minifies without source maps (the .vsix build).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const entries = [
  { in: 'server/cli/main.ts', out: 'cli' },
  { in: 'server/lsp/main.ts', out: 'server' },
  { in: 'client/extension.ts', out: 'client' },
].filter((e) => existsSync(e.in));

const options = {
  entryPoints: entries.map((e) => ({ in: e.in, out: e.out })),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // vscode is the host's. @kubernetes/client-node (16 MB bundled) is needed only by the live checks and is
  // loaded on first use from node_modules, so `opex lint` and the language server start fast.
  external: ['vscode', '@kubernetes/client-node'],
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`esbuild: watching ${entries.map((e) => e.in).join(', ')}`);
} else {
  const result = await esbuild.build({ ...options, metafile: true });
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
  for (const [file, info] of outputs) console.log(`esbuild: ${file} ${(info.bytes / 1024).toFixed(0)} KB`);
}
