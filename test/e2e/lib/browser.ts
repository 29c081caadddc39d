/**
 * Chromium for the end-to-end tests: the system's (Debian's `chromium`, or CHROMIUM_PATH) driven by
 * playwright-core, which downloads no browser of its own.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(', ')}): install Debian's chromium or set CHROMIUM_PATH`);
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: process.env.OPEX_E2E_HEADED ? false : true,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
  });
}

/** A browser context with a fixed, screenshot-friendly viewport; clipboard access for the workbench. */
export async function newContext(browser: Browser, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: opts.colorScheme ?? 'light',
  });
}

export interface TestRunResult {
  code: number;
  logs: string[];
}

/**
 * Opens a workbench URL that carries `extensionTestsPath` and resolves with the exit code the workbench reports
 * through `codeAutomationExit` once the test module's `run()` settles (0: it resolved). `codeAutomationLog` and the
 * page's console are collected; both functions are exposed before the page loads, as the workbench looks them up
 * on `window`.
 */
export async function runInWorkbench(page: Page, url: string, opts: { timeoutMs: number; onLog?: (line: string) => void }): Promise<TestRunResult> {
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    opts.onLog?.(line);
  };
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown[]) => {
    log(`[${String(type)}] ${Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : String(args)}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exit(Number(code));
  });
  page.on('pageerror', (err) => log(`[pageerror] ${err.message}`));
  await page.goto(url);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the extension tests did not finish within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  });
  try {
    const code = await Promise.race([exited, timeout]);
    return { code, logs };
  } finally {
    clearTimeout(timer);
  }
}
