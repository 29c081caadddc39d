#!/usr/bin/env node
// Bundles the CLI, the language server and the VS Code client with esbuild (CommonJS, Node 20).
// `--watch` rebuilds on change; `--production` minifies without source maps (the .vsix build).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { buildPanel } from './build-panel.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const entries = [
  { in: 'server/cli/main.ts', out: 'cli' },
  { in: 'server/lsp/main.ts', out: 'server' },
  { in: 'client/extension.ts', out: 'client' },
].filter((e) => existsSync(e.in));

// @kubernetes/client-node is needed only by the live checks. The bundles import it as `./live.js`, a separate minified
// bundle of the library (3.5 MB) loaded on first use, so `opex lint` and the language server start fast and the
// packaged extension (.vsix, which ships no node_modules) has it.
const LIVE_MODULE = '@kubernetes/client-node';
const liveAsSibling = {
  name: 'live-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './live.js', external: true }));
  },
};
const liveOptions = {
  stdin: { contents: `export * from '${LIVE_MODULE}';`, resolveDir: process.cwd(), loader: 'js', sourcefile: 'live.js' },
  outfile: 'dist/live.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};

const options = {
  entryPoints: entries.map((e) => ({ in: e.in, out: e.out })),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // vscode is the host's; @kubernetes/client-node is dist/live.js (above).
  external: ['vscode'],
  plugins: [liveAsSibling],
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};

if (watch) {
  await esbuild.build(liveOptions);
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`esbuild: watching ${entries.map((e) => e.in).join(', ')}`);
} else {
  const [result, live] = await Promise.all([esbuild.build({ ...options, metafile: true }), esbuild.build({ ...liveOptions, metafile: true })]);
  const outputs = [...Object.entries(result.metafile.outputs), ...Object.entries(live.metafile.outputs)].filter(([f]) => f.endsWith('.js'));
  for (const [file, info] of outputs) console.log(`esbuild: ${file} ${(info.bytes / 1024).toFixed(0)} KB`);
}

// The side panel's page (a browser bundle, its CSS and the codicons) into dist/panel/.
await buildPanel({ watch, production });
