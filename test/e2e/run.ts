/**
 * `npm run test:e2e`: the extension in a real VS Code. Starts code-server (VS Code 1.100.3's server build) on
 * 127.0.0.1 with throwaway folders, opens the workbench in Debian's Chromium (playwright-core) on a fresh copy of
 * the broken task-api workspace, and
 *   1. runs the extension-host suite (test/e2e/suite, mocha, the `vscode` API) through the workbench URL's
 *      `payload` (extensionDevelopmentPath + extensionTestsPath), and
 *   2. runs the UI tests (test/e2e/ui, mocha in this process, Playwright on the workbench), which save
 *      screenshots under test/e2e/screenshots/.
 *
 *   npm run test:e2e [-- --vsix opex-0.1.0.vsix] [--grep TEXT] [--only suite|ui] [--keep]
 *
 * With --vsix the package is installed with `code-server --install-extension` and tested instead of the
 * repository folder. --keep leaves the sandbox (user data, logs, workspace copies) in the temp folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchBrowser, newContext, runInWorkbench } from './lib/browser';
import { checkInstalled, E2E, installVsix, ROOT, sandbox, startCodeServer, workbenchUrl, type SandboxDirs } from './lib/codeServer';
import { startBrokenCluster } from './lib/cluster';
import { formatEvent, passed, readResults, type ResultEvent } from './lib/results';
import { lastPage, setUiContext } from './lib/ui';
import { prepareWorkspace } from './lib/workspace';

const SCREENSHOTS = path.join(E2E, 'screenshots');

interface Options {
  vsix?: string;
  grep?: string;
  only?: 'suite' | 'ui';
  keep: boolean;
  build: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      vsix: { type: 'string' },
      grep: { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  });
  if (values.only && values.only !== 'suite' && values.only !== 'ui') throw new Error(`--only ${values.only}: give suite or ui`);
  return {
    vsix: values.vsix ? path.resolve(values.vsix) : undefined,
    grep: values.grep,
    only: values.only as Options['only'],
    keep: values.keep ?? false,
    build: !values['no-build'],
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The extension under test: the repository folder, or the .vsix installed into the sandbox. */
interface Target {
  /** Where VS Code must load opex from (the suite checks it). */
  extensionPath: string;
  /** The development extension of the window: the repository, or an empty stub when testing the installed package. */
  developmentPath: string;
}

function target(dirs: SandboxDirs, vsix: string | undefined): Target {
  if (!vsix) return { extensionPath: ROOT, developmentPath: ROOT };
  const started = Date.now();
  const out = installVsix(dirs, vsix);
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const extensionPath = path.join(dirs.extensions, `opex-dev.opex-${version}`);
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) throw new Error(`the .vsix did not install into ${extensionPath}:\n${out}`);
  console.log(`e2e: installed ${path.relative(process.cwd(), vsix)} with code-server --install-extension in ${seconds(Date.now() - started)}`);
  return { extensionPath, developmentPath: path.join(E2E, 'host-stub') };
}

async function runSuite(browser: Browser, opts: Options): Promise<boolean> {
  const started = Date.now();
  const dirs = sandbox();
  const t = target(dirs, opts.vsix);
  const workspace = prepareWorkspace(ROOT, path.join(dirs.root, 'task-api'));
  const results = path.join(dirs.root, 'results.jsonl');
  const server = await startCodeServer(dirs, {
    env: { OPEX_E2E_RESULTS: results, OPEX_E2E_EXTENSION_PATH: t.extensionPath, ...(opts.grep ? { OPEX_E2E_GREP: opts.grep } : {}) },
  });
  const context = await newContext(browser);
  const page = await context.newPage();
  const log: string[] = [];
  let ok = false;
  try {
    const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: t.developmentPath, extensionTestsPath: path.join(E2E, 'out', 'suite', 'index.js') });
    const result = await runInWorkbench(page, url, {
      timeoutMs: 10 * 60_000,
      onLog: (line) => {
        log.push(line);
        const m = /opex-e2e (\{.*\})\s*$/.exec(line);
        const text = m ? formatEvent(JSON.parse(m[1]) as ResultEvent) : undefined;
        if (text) console.log(text);
      },
    });
    ok = result.code === 0 && passed(readResults(results));
    if (!fs.existsSync(results)) console.log('e2e: the suite reported no results (did the extension host start?)');
  } catch (err) {
    console.log(`e2e: ${(err as Error).message}`);
  } finally {
    if (!ok) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-suite.tmp.png') }).catch(() => undefined);
      fs.writeFileSync(path.join(dirs.root, 'workbench.log'), log.join('\n'));
      fs.writeFileSync(path.join(dirs.root, 'code-server.log'), server.output.join(''));
      console.log(`e2e: logs and the workspace are kept in ${dirs.root} (screenshot: test/e2e/screenshots/failure-suite.tmp.png)`);
    }
    await context.close();
    await server.stop();
    if (ok && !opts.keep) fs.rmSync(dirs.root, { recursive: true, force: true });
  }
  console.log(`e2e: extension-host suite ${ok ? 'passed' : 'FAILED'} in ${seconds(Date.now() - started)} (code-server start, workbench, tests)`);
  return ok;
}

async function runUi(browser: Browser, opts: Options): Promise<boolean> {
  const started = Date.now();
  const dirs = sandbox();
  const t = target(dirs, opts.vsix);
  // The side panel's tests run against the loopback API server; the language server finds it through KUBECONFIG.
  const cluster = await startBrokenCluster();
  const server = await startCodeServer(dirs, { env: { KUBECONFIG: cluster.kubeconfigPath } });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  setUiContext({ browser, server, dirs, developmentPath: opts.vsix ? undefined : t.developmentPath, screenshots: SCREENSHOTS });
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, slow: 15_000, reporter: 'spec', color: false });
  if (opts.grep) mocha.grep(opts.grep);
  mocha.suite.afterEach(async function () {
    const test = this.currentTest;
    if (test?.state !== 'failed' || !lastPage || lastPage.isClosed()) return;
    const file = path.join(SCREENSHOTS, `failure-${test.fullTitle().replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}.tmp.png`);
    await lastPage.screenshot({ path: file }).catch(() => undefined);
    console.log(`      (screenshot: ${path.relative(ROOT, file)})`);
  });
  const dir = path.join(E2E, 'ui');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()) mocha.addFile(path.join(dir, f));
  let failures = 1;
  try {
    await mocha.loadFilesAsync();
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } finally {
    await server.stop();
    await cluster.stop();
    if (failures > 0) {
      fs.writeFileSync(path.join(dirs.root, 'code-server.log'), server.output.join(''));
      console.log(`e2e: the UI tests' sandbox is kept in ${dirs.root}`);
    } else if (!opts.keep) fs.rmSync(dirs.root, { recursive: true, force: true });
  }
  console.log(`e2e: UI tests ${failures === 0 ? 'passed' : 'FAILED'} in ${seconds(Date.now() - started)}`);
  return failures === 0;
}

/** The side panel's page script in Chromium under its real CSP (node:test, test/panel/page.browser.e2e.ts). */
function runPanelPage(): boolean {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', path.join(ROOT, 'test', 'panel', 'page.browser.e2e.ts')], { cwd: ROOT, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`e2e: panel page in Chromium ${ok ? 'passed' : 'FAILED'} in ${seconds(Date.now() - started)}`);
  return ok;
}

async function main(): Promise<number> {
  const started = Date.now();
  const opts = options();
  checkInstalled();
  console.log(`e2e: code-server 4.100.3 (VS Code 1.100.3), ${chromiumPath()}, node ${process.version}`);
  if (opts.vsix && !fs.existsSync(opts.vsix)) throw new Error(`--vsix ${opts.vsix}: no such file (run \`npm run package\` first)`);
  if (opts.build && !opts.vsix) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(E2E, 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const browser = await launchBrowser();
  let ok = true;
  try {
    if (opts.only !== 'ui') ok = (await runSuite(browser, opts)) && ok;
    if (opts.only !== 'suite') ok = (await runUi(browser, opts)) && ok;
    if (!opts.only && !opts.vsix) ok = runPanelPage() && ok;
  } finally {
    await browser.close();
  }
  console.log(`e2e: ${ok ? 'all passed' : 'FAILED'} in ${seconds(Date.now() - started)}${opts.vsix ? ` (installed ${path.basename(opts.vsix)})` : ''}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`e2e: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
