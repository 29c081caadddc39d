/**
 * What the UI tests (test/e2e/ui) share: the browser and code-server the runner started, a fresh workbench page on
 * a fresh workspace copy, the command palette, and screenshots into test/e2e/screenshots/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { newContext } from './browser';
import { ROOT, workbenchUrl, type CodeServer, type SandboxDirs } from './codeServer';
import { prepareWorkspace } from './workspace';

/** A plain copy of examples/task-api (no deliberate mistakes). */
function copyExample(dest: string): string {
  fs.cpSync(path.join(ROOT, 'examples', 'task-api'), dest, { recursive: true });
  return dest;
}

export interface UiContext {
  browser: Browser;
  server: CodeServer;
  dirs: SandboxDirs;
  /** The repository, loaded as the window's development extension; undefined when the installed .vsix is tested. */
  developmentPath?: string;
  screenshots: string;
}

let current: UiContext | undefined;
/** The page the last openWorkbench opened (a failing test's screenshot is taken of it). */
export let lastPage: Page | undefined;

export function setUiContext(ctx: UiContext): void {
  current = ctx;
}

export function ui(): UiContext {
  if (!current) throw new Error('the UI tests run from test/e2e/run.ts (npm run test:e2e)');
  return current;
}

export type Theme = 'light' | 'dark';
const THEMES: Record<Theme, string> = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

export interface Workbench {
  page: Page;
  context: BrowserContext;
  workspace: string;
  close(): Promise<void>;
}

let copies = 0;

/**
 * A workbench on a fresh copy of the broken task-api workspace, in the given colour theme, once the opex status bar
 * item shows that the language server has linted the workspace.
 */
export async function openWorkbench(opts: { theme?: Theme; clean?: boolean } = {}): Promise<Workbench> {
  const { browser, server, dirs, developmentPath } = ui();
  const theme = opts.theme ?? 'light';
  const dest = path.join(dirs.root, `task-api-${++copies}`);
  const workspace = opts.clean ? copyExample(dest) : prepareWorkspace(ROOT, dest);
  const context = await newContext(browser, { colorScheme: theme });
  const page = await context.newPage();
  lastPage = page;
  await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: developmentPath }));
  try {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await statusItem(page).filter({ hasText: /opex: (?!indexing)\S/ }).first().waitFor({ timeout: 60_000 });
    // Only now: the user settings (with the theme the last window chose) are applied by then.
    await setTheme(page, theme);
  } catch (err) {
    await page.screenshot({ path: path.join(ui().screenshots, `failure-open-workbench-${copies}.tmp.png`) }).catch(() => undefined);
    throw err;
  }
  return {
    page,
    context,
    workspace,
    async close() {
      await context.close();
    },
  };
}

/**
 * Switches the colour theme the way a user does ("Preferences: Color Theme"), unless it is on already. (code-server
 * reads the user settings once, so writing settings.json between windows is not enough.)
 */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  const workbench = page.locator('.monaco-workbench');
  const isOn = async () => ((await workbench.getAttribute('class')) ?? '').split(/\s+/).includes(theme === 'dark' ? 'vs-dark' : 'vs');
  if (await isOn()) return;
  await runCommand(page, 'Preferences: Color Theme');
  // The picker lists the installed themes once they are loaded; filter only then.
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Light Modern' }).first().waitFor();
  const input = page.locator('.quick-input-widget input');
  const label = THEMES[theme].replace(/^Default /, ''); // the picker lists "Dark Modern"
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first().waitFor();
  await input.press('Enter');
  for (let i = 0; i < 50 && !(await isOn()); i++) await page.waitForTimeout(100);
  if (!(await isOn())) throw new Error(`the ${theme} theme did not apply`);
}

/** The opex item of the status bar. */
export function statusItem(page: Page) {
  return page.locator('.statusbar-item').filter({ hasText: /opex/i });
}

/**
 * Runs a command from the command palette (F1): types its title, moves the selection onto the row whose label is
 * that title (fuzzy matching may rank another first) and presses Enter.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  await rows.filter({ hasText: exact }).first().waitFor();
  for (let i = 0; i < 20; i++) {
    const focused = await rows.and(page.locator('.focused')).first().innerText().catch(() => '');
    if (exact.test(focused)) {
      await input.press('Enter');
      return;
    }
    await input.press('ArrowDown');
  }
  throw new Error(`the command palette did not select "${title}"`);
}

/** Saves a screenshot as test/e2e/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string, opts: { clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<string> {
  const file = path.join(ui().screenshots, `${name}.png`);
  await page.screenshot({ path: file, clip: opts.clip });
  return file;
}

/** The frame of a webview whose document contains `selector` (webviews are nested iframes in the workbench). */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(200);
  }
}
