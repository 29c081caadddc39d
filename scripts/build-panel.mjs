// Bundles the side panel's page for the webview (browser, IIFE) into dist/panel/: panel.js (the page script with
// @vscode-elements/elements), panel.css, codicon.css with its font, and the activity bar icon. Everything the page
// loads comes from this folder (the webview's localResourceRoots): no remote content.
import * as esbuild from 'esbuild';

export function panelOptions(production = false) {
  return {
    entryPoints: [
      { in: 'client/panel/page/main.ts', out: 'panel' },
      { in: 'client/panel/page/panel.css', out: 'panel' },
      { in: 'node_modules/@vscode/codicons/dist/codicon.css', out: 'codicon' },
      { in: 'client/panel/media/opex.svg', out: 'opex' },
    ],
    outdir: 'dist/panel',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // VS Code 1.100 runs Electron 34 (Chromium 132).
    target: ['chrome120'],
    loader: { '.ttf': 'file', '.svg': 'copy' },
    assetNames: '[name]',
    sourcemap: production ? false : 'linked',
    minify: production,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export async function buildPanel({ watch = false, production = false } = {}) {
  if (watch) {
    const ctx = await esbuild.context(panelOptions(production));
    await ctx.watch();
    return;
  }
  const result = await esbuild.build({ ...panelOptions(production), metafile: true });
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.map')) console.log(`esbuild: ${file} ${(info.bytes / 1024).toFixed(0)} KB`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildPanel({ watch: process.argv.includes('--watch'), production: process.argv.includes('--production') });
}
