#!/usr/bin/env node
// Bundles the extension-host test module (suite/index.ts and every suite/*.test.ts) into out/suite/, CommonJS for
// VS Code's extension host. `vscode` is the host's and mocha is loaded from test/e2e/node_modules; everything else
// (helpers, the loopback Kubernetes API server, yaml) is bundled, so the module runs from any extension host.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suite = join(here, 'suite');
const entries = readdirSync(suite).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(suite, f));
rmSync(join(here, 'out'), { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: join(here, 'out', 'suite'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
  mainFields: ['module', 'main'],
});
console.log(`e2e: built ${entries.length} modules into test/e2e/out/suite`);
