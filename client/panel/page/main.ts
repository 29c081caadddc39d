/**
 * The side panel's page script (bundled to dist/panel/panel.js, run inside the webview). It renders the state the
 * extension posts (every message validated first), swaps only the parts whose markup changed so focus and open
 * details survive updates, and turns clicks into the few messages the extension accepts. The webview's own state
 * remembers which details are open.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { parseHostMessage, type CriterionId, type PageMessage, type PanelState } from '../messages';
import { renderPanel, type RenderedPanel } from '../render';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as { open?: unknown } | undefined;
const open = new Set<string>(Array.isArray(saved?.open) ? saved.open.filter((x): x is string => typeof x === 'string' && /^SC-\d{3}$/.test(x)) : []);
let state: PanelState | undefined;

function post(message: PageMessage): void {
  vscode.postMessage(message);
}

function remember(): void {
  vscode.setState({ open: [...open] });
}

const byId = (id: string) => document.getElementById(id);

function fromHtml(html: string): Element | null {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content.firstElementChild;
}

/** Replaces a container's content when its markup changed. */
function patch(id: string, html: string): void {
  const el = byId(id);
  if (!el || el.dataset.html === html) return;
  el.dataset.html = html;
  el.innerHTML = html;
}

/** The progress block: while running, only its bar and message change (the Cancel button stays put). */
function patchProgress(html: string): void {
  const el = byId('progress');
  if (!el || el.dataset.html === html) return;
  const current = el.querySelector('.progress');
  const next = html ? fromHtml(html) : null;
  if (current && next) {
    const bar = current.querySelector('vscode-progress-bar');
    const nextBar = next.querySelector('vscode-progress-bar');
    const message = current.querySelector('.progress-line');
    const nextMessage = next.querySelector('.progress-line');
    if (bar && nextBar && message && nextMessage) {
      for (const a of ['value', 'max', 'indeterminate']) {
        const v = nextBar.getAttribute(a);
        if (v === null) bar.removeAttribute(a);
        else bar.setAttribute(a, v);
      }
      const text = message.querySelector('.progress-message');
      const nextText = nextMessage.querySelector('.progress-message');
      if (text && nextText) text.textContent = nextText.textContent;
      const warn = nextMessage.querySelector('.warn-icon');
      if (!warn) message.querySelector('.warn-icon')?.remove();
      el.dataset.html = html;
      return;
    }
  }
  el.dataset.html = html;
  el.innerHTML = html;
}

/** Rows by id: a changed row is replaced, focus moved to its replacement; order follows the state. */
function patchRows(rows: RenderedPanel['rows']): void {
  const container = byId('rows');
  if (!container) return;
  const existing = new Map<string, HTMLElement>();
  for (const el of Array.from(container.children)) if (el instanceof HTMLElement && el.dataset.id) existing.set(el.dataset.id, el);
  let previous: Element | null = null;
  for (const { id, html } of rows) {
    let el: Element | undefined = existing.get(id);
    existing.delete(id);
    if (!el || (el as HTMLElement).dataset.html !== html) {
      const fresh = fromHtml(html) as HTMLElement | null;
      if (!fresh) continue;
      fresh.dataset.html = html;
      const hadFocus = el?.contains(document.activeElement) ?? false;
      if (el) el.replaceWith(fresh);
      else container.insertBefore(fresh, previous ? previous.nextSibling : container.firstChild);
      if (hadFocus) fresh.querySelector('summary')?.focus();
      el = fresh;
    }
    const expectedNext: Element | null = previous ? previous.nextElementSibling : container.firstElementChild;
    if (expectedNext !== el) container.insertBefore(el, previous ? previous.nextSibling : container.firstChild);
    previous = el;
  }
  for (const el of existing.values()) el.remove();
}

const SKELETON = '<header id="toolbar"></header><div id="progress"></div><div id="notice"></div><div id="summary"></div><div id="rows"></div>';

function render(next: PanelState): void {
  state = next;
  document.body.classList.toggle('busy', next.busy);
  const app = byId('app');
  if (!app) return;
  const r = renderPanel(next, open);
  if (!next.trusted) {
    if (app.dataset.mode !== 'untrusted') {
      app.dataset.mode = 'untrusted';
      app.className = 'untrusted-app';
      app.innerHTML = r.untrusted;
    }
    return;
  }
  if (app.dataset.mode !== 'trusted' || !byId('rows')) {
    app.dataset.mode = 'trusted';
    app.className = '';
    app.innerHTML = SKELETON;
  }
  patch('toolbar', r.toolbar);
  patchProgress(r.progress);
  patch('notice', r.notice);
  patch('summary', r.summary);
  patchRows(r.rows);
}

function reveal(id: CriterionId): void {
  const row = document.querySelector<HTMLDetailsElement>(`details.row[data-id="${CSS.escape(id)}"]`);
  if (!row) return;
  row.open = true;
  row.scrollIntoView({ block: 'nearest' });
  row.querySelector('summary')?.focus();
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (!message) {
    console.warn('opex panel: ignored a malformed message');
    return;
  }
  if (message.type === 'state') render(message.state);
  else if (message.type === 'reveal') reveal(message.id);
});

function rowOf(el: Element): { id: CriterionId; disruptive: boolean } | undefined {
  const id = el.getAttribute('data-id') ?? el.closest('details.row')?.getAttribute('data-id');
  if (!id || !/^SC-\d{3}$/.test(id)) return undefined;
  return { id: id as CriterionId, disruptive: state?.rows.find((r) => r.id === id)?.disruptive ?? false };
}

document.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest?.('[data-action]');
  if (!target || target.hasAttribute('disabled')) return;
  const action = target.getAttribute('data-action');
  switch (action) {
    case 'run':
      post({ type: 'run', disruptive: false, only: null });
      break;
    case 'run-disruptive':
      post({ type: 'run', disruptive: true, only: null });
      break;
    case 'run-one': {
      event.preventDefault(); // inside a <summary>: do not toggle the row
      event.stopPropagation();
      const row = rowOf(target);
      if (row && !state?.busy) post({ type: 'run', disruptive: row.disruptive, only: [row.id] });
      break;
    }
    case 'cancel':
      post({ type: 'cancel' });
      break;
    case 'export':
      post({ type: 'export' });
      break;
    case 'refresh':
      post({ type: 'refresh' });
      break;
    case 'open': {
      event.preventDefault();
      const row = rowOf(target);
      const link = Number(target.getAttribute('data-link'));
      if (row && Number.isInteger(link)) post({ type: 'open', id: row.id, link });
      break;
    }
    case 'action': {
      const value = target.getAttribute('data-value');
      if (value === 'trust' || value === 'createSpec' || value === 'output' || value === 'refresh') post({ type: 'action', action: value });
      break;
    }
  }
});

document.addEventListener('change', (event) => {
  const el = event.target as (Element & { value?: unknown }) | null;
  const action = el?.getAttribute?.('data-action');
  if (typeof el?.value !== 'string') return;
  if (action === 'context') post({ type: 'context', name: el.value });
  else if (action === 'spec') post({ type: 'spec', file: el.value });
});

// `toggle` does not bubble: listen in the capture phase.
document.addEventListener(
  'toggle',
  (event) => {
    const el = event.target;
    if (!(el instanceof HTMLDetailsElement) || !el.classList.contains('row')) return;
    const id = el.dataset.id;
    if (!id) return;
    if (el.open) open.add(id);
    else open.delete(id);
    // Keep the cached markup in step, so the next state does not re-render the row only for this.
    const html = el.dataset.html;
    if (html) el.dataset.html = el.open ? html.replace(/^(<details [^>]*?)(?: open)?>/, '$1 open>') : html.replace(/^(<details [^>]*?) open>/, '$1>');
    remember();
  },
  true,
);

// The first paint came with the HTML; mark it so the first state only patches what differs.
{
  const app = byId('app');
  if (app) app.dataset.mode = app.classList.contains('untrusted-app') ? 'untrusted' : 'trusted';
  for (const id of ['toolbar', 'progress', 'notice', 'summary']) {
    const el = byId(id);
    if (el) el.dataset.html = el.innerHTML;
  }
  for (const el of Array.from(document.querySelectorAll<HTMLDetailsElement>('#rows > details.row'))) {
    if (open.has(el.dataset.id ?? '')) el.open = true;
  }
}
post({ type: 'ready' });
