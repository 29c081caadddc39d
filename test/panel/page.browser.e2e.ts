/**
 * The page script in headless Chromium, under the real Content-Security-Policy, with VS Code's webview API
 * stood in for: it renders the state, patches updates in place, turns clicks into the messages the extension
 * accepts, ignores malformed messages, and remembers open rows. Needs Chromium, playwright-core (test/e2e's) and
 * the built dist/panel/, so it runs with the end-to-end tests: `npm run test:e2e` (not `npm test`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PanelState } from '../../client/panel/messages';
import { browserUnavailable, fixtureState, withBrowser, writePreview } from './preview';


/**
 * Polls an expression through the DevTools protocol (page.evaluate is not subject to the page's CSP; Playwright's
 * waitForFunction evaluates strings inside the page, which this CSP rightly refuses).
 */
async function until(page: any, expression: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the panel page in Chromium', () => {
  let browser: any;
  let close: (() => void) | undefined;
  before(async () => {
    const missing = browserUnavailable();
    assert.equal(missing, undefined, `the panel page test needs ${missing}`);
    await new Promise<void>((ready) => {
      void withBrowser(async (b) => {
        browser = b;
        ready();
        await new Promise<void>((r) => (close = r));
      });
    });
  });
  after(async () => {
    close?.();
    await new Promise((r) => setTimeout(r, 100));
  });

  async function open(state: PanelState, opts: { open?: string[] } = {}) {
    const file = writePreview({ theme: 'dark', state, open: opts.open });
    const page = await browser.newPage({ viewport: { width: 380, height: 900 } });
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('console', (m: any) => (m.type() === 'error' ? errors : m.type() === 'warning' ? warnings : []).push(m.text()));
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await until(page, "window.__posted.some((m) => m.type === 'ready')");
    const posted = async (): Promise<any[]> => page.evaluate('window.__posted');
    const send = (message: unknown) => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    return { page, errors, warnings, posted, send };
  }

  it('renders under the CSP without a violation or an error, and upgrades the web components', async () => {
    const { page, errors } = await open(fixtureState());
    await page.waitForSelector('details.row[data-id="SC-010"]');
    assert.deepEqual(await page.evaluate('window.__violations'), []);
    assert.deepEqual(errors, []);
    assert.equal(await page.evaluate("document.querySelectorAll('details.row').length"), 10);
    // Lit components are defined and rendered their shadow roots (constructable stylesheets pass the CSP).
    assert.equal(await page.evaluate("!!customElements.get('vscode-button') && !!document.querySelector('vscode-button').shadowRoot"), true);
    assert.equal(await page.evaluate("getComputedStyle(document.querySelector('.codicon-pass-filled'), '::before').fontFamily"), 'codicon');
    await page.close();
  });

  it('sends run, disruptive run, export, refresh and open-link messages', async () => {
    const { page, posted } = await open(fixtureState());
    await page.click('vscode-button[data-action="run"]');
    await page.click('vscode-button[data-action="run-disruptive"]');
    await page.click('vscode-button[data-action="export"]');
    await page.click('vscode-icon[data-action="refresh"]');
    await page.click('details.row[data-id="SC-001"] > summary');
    await page.click('details.row[data-id="SC-001"] a[data-link="1"]');
    assert.deepEqual((await posted()).slice(1), [
      { type: 'run', disruptive: false, only: null },
      { type: 'run', disruptive: true, only: null },
      { type: 'export' },
      { type: 'refresh' },
      { type: 'open', id: 'SC-001', link: 1 },
    ]);
    assert.equal(page.url().endsWith('.html'), true, 'a link does not navigate');
    await page.close();
  });

  it('runs one criterion from its row without toggling the row; a disruptive row says so', async () => {
    const { page, posted } = await open(fixtureState());
    await page.hover('details.row[data-id="SC-005"] > summary');
    await page.click('details.row[data-id="SC-005"] vscode-icon[data-action="run-one"]');
    await page.hover('details.row[data-id="SC-008"] > summary');
    await page.click('details.row[data-id="SC-008"] vscode-icon[data-action="run-one"]');
    assert.deepEqual((await posted()).slice(1), [
      { type: 'run', disruptive: false, only: ['SC-005'] },
      { type: 'run', disruptive: true, only: ['SC-008'] },
    ]);
    assert.equal(await page.evaluate("document.querySelector('details.row[data-id=\"SC-005\"]').open"), false);
    await page.close();
  });

  it('patches a running state in place: progress with Cancel, the running row, the rest untouched', async () => {
    const state = fixtureState();
    const { page, posted, send } = await open(state, { open: ['SC-001'] });
    await page.evaluate("window.__first = document.querySelector('details.row[data-id=\"SC-001\"]')");
    const running: PanelState = {
      ...state,
      busy: true,
      progress: { done: 3, total: 10, message: 'SC-004 Velero schedule… 4/10' },
      rows: state.rows.map((r) => (r.id === 'SC-004' ? { ...r, status: 'RUNNING', step: 'listing Schedules in velero' } : r)),
    };
    await send({ type: 'state', state: running });
    await page.waitForSelector('.progress vscode-button[data-action="cancel"]');
    assert.equal(await page.evaluate("document.querySelector('.progress-message').textContent"), 'SC-004 Velero schedule… 4/10');
    assert.equal(await page.evaluate("document.querySelector('details.row[data-id=\"SC-004\"] .status-icon').classList.contains('codicon-modifier-spin')"), true);
    assert.equal(await page.evaluate("window.__first === document.querySelector('details.row[data-id=\"SC-001\"]')"), true, 'an unchanged row is not re-rendered');
    assert.equal(await page.evaluate("document.querySelector('details.row[data-id=\"SC-001\"]').open"), true);
    assert.equal(await page.evaluate("document.querySelector('vscode-button[data-action=\"run\"]').hasAttribute('disabled')"), true);
    await page.evaluate("window.__cancel = document.querySelector('vscode-button[data-action=\"cancel\"]')");
    await send({ type: 'state', state: { ...running, progress: { done: 4, total: 10, message: 'SC-005 Backup retention… 5/10' } } });
    await until(page, "document.querySelector('.progress-message').textContent.startsWith('SC-005')");
    assert.equal(await page.evaluate("window.__cancel === document.querySelector('vscode-button[data-action=\"cancel\"]')"), true, 'Cancel stays the same element');
    assert.equal(await page.evaluate("document.querySelector('vscode-progress-bar').getAttribute('value')"), '4');
    await page.click('vscode-button[data-action="cancel"]');
    // A disabled button sends nothing.
    await page.click('vscode-button[data-action="run"]', { force: true });
    assert.deepEqual((await posted()).slice(1), [{ type: 'cancel' }]);
    await page.close();
  });

  it('ignores a malformed message and keeps what it shows', async () => {
    const { page, send, warnings } = await open(fixtureState());
    await page.waitForSelector('details.row[data-id="SC-010"]');
    await send({ type: 'state', state: { ...fixtureState(), rows: [{ id: 'SC-001', status: '<img src=x onerror=alert(1)>' }] } });
    await send({ type: 'eval', code: 'alert(1)' });
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate("document.querySelectorAll('details.row').length"), 10);
    assert.equal(warnings.filter((w) => w.includes('ignored a malformed message')).length, 2);
    assert.equal(await page.evaluate("document.querySelectorAll('img').length"), 0);
    await page.close();
  });

  it('shows a cluster\'s text as text', async () => {
    const state = fixtureState();
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { page, send } = await open(state);
    await send({ type: 'state', state: { ...state, rows: state.rows.map((r) => (r.id === 'SC-003' ? { ...r, reason: evil, details: [evil] } : r)) } });
    await until(page, "document.querySelector('details.row[data-id=\"SC-003\"] .why').textContent.startsWith('<img')");
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.equal(await page.evaluate("document.querySelectorAll('img').length"), 0);
    await page.close();
  });

  it('remembers open rows, reveals a row on request, and reports a context change', async () => {
    const { page, posted, send } = await open(fixtureState());
    await page.click('details.row[data-id="SC-006"] > summary');
    await until(page, "window.__saved && window.__saved.open.includes('SC-006')");
    await send({ type: 'reveal', id: 'SC-009' });
    await until(page, "document.querySelector('details.row[data-id=\"SC-009\"]').open");
    await page.evaluate("(() => { const s = document.querySelector('#context-select'); s.value = 'staging-eu'; s.dispatchEvent(new Event('change', { bubbles: true })); })()");
    assert.deepEqual((await posted()).slice(1), [{ type: 'context', name: 'staging-eu' }]);
    await page.close();
  });

  it('in Restricted Mode explains and offers only Workspace Trust', async () => {
    const { page, posted, send } = await open(fixtureState());
    await send({ type: 'state', state: { ...fixtureState(), trusted: false } });
    await page.waitForSelector('.untrusted');
    assert.equal(await page.evaluate("document.querySelectorAll('[data-action^=\"run\"]').length"), 0);
    await page.click('.untrusted vscode-button[data-action="action"]');
    assert.deepEqual((await posted()).slice(1), [{ type: 'action', action: 'trust' }]);
    await page.close();
  });
});

