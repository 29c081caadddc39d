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

export interface UiContext {
  browser: Browser;
  server: CodeServer;
  dirs: SandboxDirs;
  /** The repository, loaded as the window's development extension; undefined when the installed .vsix is tested. */
  developmentPath?: string;
  screenshots: string;
}

let current: UiContext | undefined;

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
export async function openWorkbench(opts: { theme?: Theme; prepare?: (workspace: string) => void } = {}): Promise<Workbench> {
  const { browser, server, dirs, developmentPath } = ui();
  const theme = opts.theme ?? 'light';
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  settings['workbench.colorTheme'] = THEMES[theme];
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const workspace = prepareWorkspace(ROOT, path.join(dirs.root, `task-api-${++copies}`));
  opts.prepare?.(workspace);
  const context = await newContext(browser, { colorScheme: theme });
  const page = await context.newPage();
  await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: developmentPath }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await statusItem(page).filter({ hasText: /opex: (?!indexing)\S/ }).first().waitFor({ timeout: 60_000 });
  return {
    page,
    context,
    workspace,
    async close() {
      await context.close();
    },
  };
}

/** The opex item of the status bar. */
export function statusItem(page: Page) {
  return page.locator('.statusbar-item').filter({ hasText: /opex/i });
}

/** Runs a command from the command palette (F1), by the title the user types. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor();
  await input.press('Enter');
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
