/**
 * The side panel outside VS Code: its real HTML (panelHtml, with the same Content-Security-Policy) over the built
 * dist/panel/ files, the theme variables set by hand, and a stand-in for `acquireVsCodeApi` that records what the
 * page posts and answers `ready` with a state — for screenshots and headless-Chromium tests. Chromium is driven by
 * the playwright-core of the end-to-end tests (test/e2e, `npm run e2e:install`), or one in OPEX_PLAYWRIGHT_DIR.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { nonceFrom, panelHtml } from '../../client/panel/html';
import type { PanelState } from '../../client/panel/messages';
import { applyReport, emptyState, summaryOf } from '../../client/panel/model';
import type { VerifyLink, VerifyReport } from '../../server/protocol';
import { themeCss, THEMES, type ThemeKind } from './themes';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DIST_PANEL = path.join(ROOT, 'dist', 'panel');

export function fixtureReport(): { report: VerifyReport; links: Record<string, VerifyLink[]> } {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'report.json'), 'utf8'));
}

/** The panel after the fixture run: every status, SC-001's pods, SC-008's timeline, SC-009's query. */
export function fixtureState(): PanelState {
  const { report, links } = fixtureReport();
  return {
    ...emptyState(true),
    spec: { file: '/home/dev/task-api/opex.yaml', label: 'task-api/opex.yaml', service: 'task-api' },
    specs: [{ file: '/home/dev/task-api/opex.yaml', label: 'task-api/opex.yaml', service: 'task-api' }],
    contexts: [
      { name: 'opex-loopback', server: 'https://127.0.0.1:6443', current: true },
      { name: 'staging-eu', server: 'https://k8s.staging.example:6443', current: false },
    ],
    context: 'opex-loopback',
    rows: applyReport([], report, links),
    summary: summaryOf(report),
    disruptiveNamespaces: ['opex-restore-task-api-<time>', 'velero', 'staging'],
    canExport: true,
  };
}

export interface PreviewOptions {
  theme: ThemeKind;
  state: PanelState;
  /** Rows shown open (the webview's saved state). */
  open?: string[];
  /** Answer the page's `ready` with the state (default true). */
  answerReady?: boolean;
}

/** The stand-in for VS Code's webview API; what the page posts lands in `window.__posted`. */
function vscodeStub(state: PanelState, open: string[], answerReady: boolean): string {
  return `window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
let saved = ${JSON.stringify({ open })};
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__posted.push(JSON.parse(JSON.stringify(m)));
    if (m && m.type === 'ready' && ${answerReady}) window.postMessage({ type: 'state', state: ${JSON.stringify(state).replace(/</g, '\\u003c')} }, '*');
  },
  getState() { return saved; },
  setState(s) { saved = s; window.__saved = s; },
});`;
}

/** Writes the preview page into a folder beside dist/panel and returns its file path. */
export function writePreview(opts: PreviewOptions, dir = path.join(ROOT, 'dist', 'panel-preview')): string {
  if (!existsSync(path.join(DIST_PANEL, 'panel.js'))) throw new Error('dist/panel/ is missing: run `npm run build` first');
  mkdirSync(dir, { recursive: true });
  const nonce = nonceFrom(randomBytes(18));
  const url = (f: string) => pathToFileURL(path.join(DIST_PANEL, f)).href;
  const open = opts.open ?? [];
  let html = panelHtml({ cspSource: 'file:', script: url('panel.js'), style: url('panel.css'), codicons: url('codicon.css') }, nonce, opts.state, new Set(open));
  const kind = THEMES[opts.theme].bodyClass;
  html = html
    .replace('<body>', `<body class="${kind}" data-vscode-theme-kind="${kind}">`)
    .replace('</head>', `<style nonce="${nonce}">${themeCss(opts.theme)}</style>\n</head>`)
    .replace(`<script nonce="${nonce}" src=`, `<script nonce="${nonce}">${vscodeStub(opts.state, open, opts.answerReady !== false)}</script>\n<script nonce="${nonce}" src=`);
  const file = path.join(dir, `panel-${opts.theme}.html`);
  writeFileSync(file, html);
  return file;
}

// ---- headless Chromium -----------------------------------------------------------------------------------

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string | undefined {
  const forced = process.env.OPEX_CHROMIUM;
  if (forced) return existsSync(forced) ? forced : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** playwright-core from its own folder (never a dependency of opex); undefined when it is not installed. */
export function loadPlaywright(): any | undefined {
  const dir = process.env.OPEX_PLAYWRIGHT_DIR ?? path.join(ROOT, 'test', 'e2e');
  try {
    return createRequire(path.join(dir, 'package.json'))('playwright-core');
  } catch {
    return undefined;
  }
}

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  if (!chromiumPath()) return 'Chromium (apt-get install -y chromium)';
  if (!loadPlaywright()) return 'playwright-core (npm run e2e:install)';
  if (!existsSync(path.join(DIST_PANEL, 'panel.js'))) return 'the built dist/panel/ (npm run build)';
  return undefined;
}

export async function withBrowser<T>(fn: (browser: any) => Promise<T>): Promise<T> {
  const pw = loadPlaywright();
  const browser = await pw.chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--allow-file-access-from-files'] });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}
