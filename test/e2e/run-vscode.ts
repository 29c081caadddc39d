/**
 * `npm run test:vscode`: the same extension-host suite as `npm run test:e2e`, in desktop VS Code through
 * @vscode/test-electron — the standard route on a developer's machine. It downloads VS Code (1.100.3, the version
 * the e2e runtime bundles; OPEX_VSCODE_VERSION=stable for the newest) into test/e2e/.vscode-test, so it needs the
 * internet; CI machines without it run `npm run test:e2e` instead. On a Linux machine without a display, run it
 * under `xvfb-run -a`.
 *
 *   npm run test:vscode [-- --vsix opex-0.1.0.vsix] [--grep TEXT] [--keep]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { E2E, ROOT, sandbox } from './lib/codeServer';
import { formatEvent, passed, readResults } from './lib/results';
import { prepareWorkspace } from './lib/workspace';

const VERSION = process.env.OPEX_VSCODE_VERSION ?? '1.100.3';

async function main(): Promise<number> {
  const started = Date.now();
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { vsix: { type: 'string' }, grep: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  if (!fs.existsSync(path.join(E2E, 'node_modules', '@vscode', 'test-electron'))) {
    throw new Error('@vscode/test-electron is not installed in test/e2e: run `npm run e2e:install` (or `npm ci` in test/e2e) first');
  }
  const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = await import('@vscode/test-electron');
  const vsix = values.vsix ? path.resolve(values.vsix) : undefined;
  if (vsix && !fs.existsSync(vsix)) throw new Error(`--vsix ${vsix}: no such file (run \`npm run package\` first)`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('test:vscode: no display; on a headless Linux machine run `xvfb-run -a npm run test:vscode`');
  }
  if (!vsix) spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  spawnSync(process.execPath, [path.join(E2E, 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });

  // Desktop VS Code shows native file dialogs; the suite answers VS Code's own (simple) dialog instead.
  const dirs = sandbox({ 'files.simpleDialog.enable': true, 'window.dialogStyle': 'custom' });
  const vscodeExecutablePath = await downloadAndUnzipVSCode({ version: VERSION, cachePath: path.join(E2E, '.vscode-test') });
  let extensionPath = ROOT;
  let extensionDevelopmentPath = ROOT;
  if (vsix) {
    const [cli, ...args] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    const own = args.filter((a) => !a.startsWith('--extensions-dir') && !a.startsWith('--user-data-dir'));
    const r = spawnSync(cli, [...own, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', vsix, '--force'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (r.status !== 0) throw new Error(`code --install-extension ${vsix} failed:\n${r.stdout}${r.stderr}`);
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    extensionPath = path.join(dirs.extensions, `opex-dev.opex-${version}`);
    extensionDevelopmentPath = path.join(E2E, 'host-stub'); // tests run only in a development window
  }

  const workspace = prepareWorkspace(ROOT, path.join(dirs.root, 'task-api'));
  const results = path.join(dirs.root, 'results.jsonl');
  let code = 1;
  try {
    code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath: path.join(E2E, 'out', 'suite', 'index.js'),
      launchArgs: [
        workspace,
        '--user-data-dir', dirs.userData,
        '--extensions-dir', dirs.extensions,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-telemetry',
        '--disable-gpu',
      ],
      extensionTestsEnv: {
        OPEX_E2E_RESULTS: results,
        OPEX_E2E_EXTENSION_PATH: extensionPath,
        ...(values.grep ? { OPEX_E2E_GREP: values.grep } : {}),
      },
    });
  } catch (err) {
    console.error(`test:vscode: ${(err as Error).message}`);
  }
  const events = readResults(results);
  for (const e of events) {
    const line = formatEvent(e);
    if (line) console.log(line);
  }
  const ok = code === 0 && passed(events);
  if (ok && !values.keep) fs.rmSync(dirs.root, { recursive: true, force: true });
  else console.log(`test:vscode: the sandbox is kept in ${dirs.root}`);
  console.log(`test:vscode: ${ok ? 'passed' : 'FAILED'} in VS Code ${VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s${vsix ? ` (installed ${path.basename(vsix)})` : ''}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:vscode: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
