/**
 * The side panel's markup as strings, from its state: pure functions, so the page script only swaps what changed
 * and tests read the HTML without a browser. Every value from the state is escaped; styling comes from
 * `page/panel.css` (no inline styles: the Content-Security-Policy forbids them), and actions are `data-action`
 * attributes the page script handles.
 */
import type { PanelLink, PanelPod, PanelRow, PanelState, PanelTimelineStep, RowStatus } from './messages';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The codicon of each status (`codicon-<name>`); the running one spins. */
export const STATUS_ICON: Record<RowStatus, string> = {
  PASS: 'pass-filled',
  FAIL: 'error',
  SKIP: 'circle-slash',
  ERROR: 'warning',
  PENDING: 'circle-large-outline',
  RUNNING: 'loading',
};

const STATUS_WORD: Record<RowStatus, string> = { PASS: 'passed', FAIL: 'failed', SKIP: 'skipped', ERROR: 'error', PENDING: 'not run', RUNNING: 'running' };

export function icon(name: string, extra = '', label?: string): string {
  const spin = name === 'loading' ? ' codicon-modifier-spin' : '';
  const a11y = label ? ` role="img" aria-label="${esc(label)}" title="${esc(label)}"` : ' aria-hidden="true"';
  return `<span class="codicon codicon-${esc(name)}${spin}${extra ? ` ${extra}` : ''}"${a11y}></span>`;
}

/** 23 → "23 ms", 4_210 → "4.2 s", 12_300 → "12 s", 95_000 → "1m 35s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms - m * 60_000) / 1000);
  return s ? `${m}m ${s}s` : `${m}m`;
}

const seconds = (s: number) => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

// ---- the toolbar: spec, context, run buttons, progress ------------------------------------------------------

function specPicker(state: PanelState): string {
  if (state.specs.length > 1) {
    const options = state.specs
      .map((s) => `<vscode-option value="${esc(s.file)}" description="${esc(s.label)}"${s.file === state.spec?.file ? ' selected' : ''}>${esc(s.service || s.label)}</vscode-option>`)
      .join('');
    return `<div class="field"><label class="field-label" for="spec-select">Spec</label><vscode-single-select id="spec-select" data-action="spec" aria-label="opex spec"${state.busy ? ' disabled' : ''}>${options}</vscode-single-select></div>`;
  }
  if (!state.spec) return '';
  return `<div class="field spec-line"><span class="field-label">Spec</span><span class="spec-name">${esc(state.spec.service)}</span><span class="muted" title="${esc(state.spec.file)}">${esc(state.spec.label)}</span></div>`;
}

function contextPicker(state: PanelState): string {
  const refresh = `<vscode-icon name="refresh" action-icon label="Reload contexts and spec" data-action="refresh"${state.busy ? ' disabled' : ''}></vscode-icon>`;
  if (state.contexts.length === 0) {
    return `<div class="field"><span class="field-label">Context</span><span class="muted">none</span>${refresh}</div>`;
  }
  const options = state.contexts
    .map((c) => `<vscode-option value="${esc(c.name)}" description="${esc(c.server)}"${c.name === state.context ? ' selected' : ''}>${esc(c.name)}${c.current ? ' (current)' : ''}</vscode-option>`)
    .join('');
  return `<div class="field"><label class="field-label" for="context-select">Context</label><vscode-single-select id="context-select" data-action="context" aria-label="Kubernetes context"${state.busy ? ' disabled' : ''}>${options}</vscode-single-select>${refresh}</div>`;
}

function buttons(state: PanelState): string {
  const ready = state.trusted && !!state.spec && !!state.context && !state.busy && state.rows.length > 0;
  const off = ready ? '' : ' disabled';
  const touched = state.disruptiveNamespaces.length ? ` Touches ${state.disruptiveNamespaces.join(', ')}; asks first.` : ' Asks first.';
  const run = `<vscode-button data-action="run" icon="play"${off} title="Run the read-only checks: nothing in the cluster is changed.">Run checks</vscode-button>`;
  const disruptive = state.rows.some((r) => r.disruptive)
    ? `<vscode-button secondary data-action="run-disruptive" icon="warning"${off} title="${esc(`Also run SC-007 (restore into a scratch namespace) and SC-008 (kill one pod).${touched}`)}">Run disruptive checks…</vscode-button>`
    : '';
  return `<div class="buttons">${run}${disruptive}</div>`;
}

function progress(state: PanelState): string {
  if (!state.busy) return '';
  const p = state.progress;
  const bar = p && p.total > 0 ? `<vscode-progress-bar value="${esc(p.done)}" max="${esc(p.total)}" aria-label="Progress"></vscode-progress-bar>` : '<vscode-progress-bar indeterminate aria-label="Progress"></vscode-progress-bar>';
  const warn = state.runningDisruptive ? `${icon('warning', 'warn-icon')} ` : '';
  return `<div class="progress" role="status" aria-live="polite">${bar}<div class="progress-line">${warn}<span class="progress-message">${esc(p?.message ?? 'starting…')}</span><vscode-button secondary data-action="cancel" icon="debug-stop" title="Cancel the run (disruptive checks clean up first)">Cancel</vscode-button></div></div>`;
}

export function renderToolbar(state: PanelState): string {
  if (!state.trusted) return '';
  return `${specPicker(state)}${contextPicker(state)}${buttons(state)}`;
}

export function renderProgress(state: PanelState): string {
  return state.trusted ? progress(state) : '';
}

// ---- notices and summary ----------------------------------------------------------------------------------

const NOTICE_ICON = { info: 'info', warning: 'warning', error: 'error' } as const;
const ACTION_LABEL = { trust: 'Manage Workspace Trust', createSpec: 'Create opex spec', output: 'Show Output', refresh: 'Try again' } as const;

export function renderNotice(state: PanelState): string {
  const parts: string[] = [];
  const n = state.notice;
  if (n) {
    const button = n.action ? `<vscode-button secondary data-action="action" data-value="${esc(n.action)}">${esc(ACTION_LABEL[n.action])}</vscode-button>` : '';
    parts.push(`<div class="notice notice-${esc(n.kind)}" role="${n.kind === 'error' ? 'alert' : 'status'}">${icon(NOTICE_ICON[n.kind], 'notice-icon')}<div class="notice-body"><p>${esc(n.text)}</p>${button}</div></div>`);
  }
  if (state.warnings.length) {
    const items = state.warnings.map((w) => `<li>${esc(w)}</li>`).join('');
    parts.push(`<div class="notice notice-warning">${icon('warning', 'notice-icon')}<div class="notice-body"><p>The spec has problems; the checks run with what could be read.</p><ul>${items}</ul></div></div>`);
  }
  return parts.join('');
}

/** Restricted Mode: the panel only explains. */
export function renderUntrusted(): string {
  return `<div class="untrusted">${icon('shield', 'big-icon')}<h2>Live checks are off in Restricted Mode</h2><p>They read your kubeconfig and query (or, when you confirm, change) the cluster and namespaces this workspace's spec names. Trust the workspace to run them.</p><p class="muted">Linting, fixes and scaffolding keep working.</p><vscode-button data-action="action" data-value="trust" icon="workspace-trusted">Manage Workspace Trust</vscode-button></div>`;
}

export function renderSummary(state: PanelState): string {
  const s = state.summary;
  if (!s) {
    if (!state.trusted || state.busy || !state.spec || state.rows.length === 0) return '';
    return `<p class="hint muted">Run the checks to prove the criteria against ${state.context ? `<strong>${esc(state.context)}</strong>` : 'a cluster'}. Read-only checks change nothing.</p>`;
  }
  const counts = [
    ['PASS', s.pass, 'passed'],
    ['FAIL', s.fail, 'failed'],
    ['SKIP', s.skip, 'skipped'],
    ['ERROR', s.error, 'errors'],
  ] as const;
  const chips = counts.map(([status, n, word]) => `<span class="count status-${status.toLowerCase()}${n === 0 ? ' zero' : ''}" title="${esc(`${n} ${word}`)}">${icon(STATUS_ICON[status])}<span>${esc(n)}</span><span class="sr-only"> ${esc(word)}</span></span>`).join('');
  const when = s.finishedAt ? new Date(s.finishedAt) : undefined;
  const time = when && !Number.isNaN(when.getTime()) ? `${String(when.getHours()).padStart(2, '0')}:${String(when.getMinutes()).padStart(2, '0')}` : '';
  const meta = [formatDuration(s.durationMs), s.context, time].filter(Boolean).map(esc).join(' · ');
  const cancelled = s.cancelled ? '<span class="cancelled">cancelled</span>' : '';
  const exp = `<vscode-button secondary data-action="export" icon="save-as"${state.canExport && !state.busy ? '' : ' disabled'} title="Save this report as Markdown, JSON or JUnit XML">Export report</vscode-button>`;
  return `<div class="summary" title="${esc(`${s.server}${s.allowDisruptive ? ', disruptive checks included' : ''}`)}"><div class="summary-text"><div class="counts">${chips}${cancelled}</div><div class="meta muted">${meta}</div></div>${exp}</div>`;
}

// ---- rows -------------------------------------------------------------------------------------------------

function linkList(row: PanelRow): string {
  if (!row.links.length) return '';
  const items = row.links
    .map((l: PanelLink, i: number) => `<li><a href="#" class="link" data-action="open" data-id="${esc(row.id)}" data-link="${i}" title="${esc(l.description)}">${icon(l.kind === 'spec' ? 'book' : 'file-code')}<span>${esc(l.label)}</span></a>${l.kind === 'manifest' ? `<span class="muted link-desc">${esc(l.description)}</span>` : ''}</li>`)
    .join('');
  return `<ul class="links" aria-label="Go to">${items}</ul>`;
}

function podTable(pods: PanelPod[]): string {
  if (!pods.length) return '';
  const rows = pods
    .map((p) => `<tr><td class="mono">${esc(p.name)}</td><td>${[...p.lacks.map((l) => `lacks <code>${esc(l)}</code>`), ...p.wrong.map((w) => `has <code>${esc(w)}</code>`)].join(', ')}</td></tr>`)
    .join('');
  return `<section><h4>Pods lacking labels</h4><table class="grid"><tbody>${rows}</tbody></table></section>`;
}

/** SC-008: each step of the replacement pod as a bar on one time axis (SVG attributes, not inline styles), the slowest marked. */
function timelineTable(steps: PanelTimelineStep[], slowest: string | null): string {
  if (!steps.length) return '';
  const total = Math.max(...steps.map((s) => s.at), 0.001);
  const pct = (x: number) => Math.max(0, Math.min(100, (x / total) * 100)).toFixed(2);
  const rows = steps
    .map((s) => {
      const isSlow = s.step === slowest && s.step !== 'killed';
      const start = Math.max(0, s.at - s.took);
      const width = Math.max(0.8, Number(pct(s.took)));
      const bar = `<svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect class="track" x="0" y="2" width="100" height="2"></rect><rect class="span${isSlow ? ' slow' : ''}" x="${pct(start)}" y="0" width="${width.toFixed(2)}" height="6"></rect></svg>`;
      return `<tr${isSlow ? ' class="slowest"' : ''}><td class="step">${esc(s.step)}${isSlow ? ` ${icon('flame', 'slow-icon', 'slowest step')}` : ''}</td><td class="num">+${esc(s.at.toFixed(1))} s</td><td class="num">${s.step === 'killed' ? '' : esc(seconds(s.took))}</td><td class="bar-cell">${bar}</td></tr><tr class="step-detail${isSlow ? ' slowest' : ''}"><td></td><td colspan="3">${esc(s.detail)}</td></tr>`;
    })
    .join('');
  return `<section><h4>Replacement pod timeline</h4><table class="timeline"><thead><tr><th>step</th><th class="num">at</th><th class="num">took</th><th><span class="sr-only">bar</span></th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function detailsBody(row: PanelRow): string {
  const parts: string[] = [];
  if (row.status === 'RUNNING' && row.step) parts.push(`<p class="step-now">${icon('loading')} ${esc(row.step)}</p>`);
  if (row.reason) parts.push(`<p class="reason status-text-${row.status.toLowerCase()}">${esc(row.reason)}</p>`);
  if (row.criterion) parts.push(`<p class="criterion muted">${icon('quote')} ${esc(row.criterion)}</p>`);
  parts.push(podTable(row.pods));
  parts.push(timelineTable(row.timeline, row.slowest));
  if (row.query) parts.push(`<section><h4>Query</h4><pre class="query"><code>${esc(row.query)}</code></pre></section>`);
  if (row.details.length) parts.push(`<ul class="detail-lines">${row.details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`);
  parts.push(linkList(row));
  const body = parts.filter(Boolean).join('');
  return body || '<p class="muted">Not run yet.</p>';
}

export function renderRow(row: PanelRow, open: boolean): string {
  const status = row.status.toLowerCase();
  const value = (label: string, text: string, cls: string) => (text ? `<span class="value ${cls}"><span class="value-label">${label}</span> ${esc(text)}</span>` : '');
  const tag = row.disruptive ? `<span class="tag" title="Changes the cluster: runs only after you confirm">disruptive</span>` : '';
  const values = [tag, value('target', row.target, 'target'), value('actual', row.actual, 'actual')].filter(Boolean).join('');
  // A skipped or errored check says why right there (one line; the whole sentence is in the details).
  const why = row.reason && (row.status === 'SKIP' || row.status === 'ERROR') ? `<span class="value why" title="${esc(row.reason)}">${esc(row.reason)}</span>` : '';
  const secondLine = values + why;
  return (
    `<details class="row status-${status}" data-id="${esc(row.id)}"${open ? ' open' : ''}>` +
    `<summary><span class="codicon codicon-chevron-right twisty" aria-hidden="true"></span>${icon(STATUS_ICON[row.status], `status-icon status-${status}`, STATUS_WORD[row.status])}` +
    `<span class="head"><span class="id">${esc(row.id)}</span> <span class="title">${esc(row.title)}</span></span>` +
    `<span class="duration muted">${esc(formatDuration(row.durationMs))}</span>` +
    `<span class="values">${secondLine}</span>` +
    `<vscode-icon class="row-run" name="play" action-icon label="${esc(`Run ${row.id} only`)}" data-action="run-one" data-id="${esc(row.id)}"></vscode-icon>` +
    `</summary><div class="body">${detailsBody(row)}</div></details>`
  );
}

/** Everything the page shows, in the parts it updates separately. */
export interface RenderedPanel {
  toolbar: string;
  progress: string;
  notice: string;
  summary: string;
  rows: Array<{ id: string; html: string }>;
  /** Restricted Mode replaces everything. */
  untrusted: string;
}

export function renderPanel(state: PanelState, open: ReadonlySet<string>): RenderedPanel {
  if (!state.trusted) return { toolbar: '', progress: '', notice: '', summary: '', rows: [], untrusted: renderUntrusted() };
  return {
    toolbar: renderToolbar(state),
    progress: renderProgress(state),
    notice: renderNotice(state),
    summary: renderSummary(state),
    rows: state.rows.map((r) => ({ id: r.id, html: renderRow(r, open.has(r.id)) })),
    untrusted: '',
  };
}

/** The whole panel as one HTML fragment (the first paint and the screenshots). */
export function renderBody(state: PanelState, open: ReadonlySet<string> = new Set()): string {
  const p = renderPanel(state, open);
  if (!state.trusted) return `<main id="app" class="untrusted-app">${p.untrusted}</main>`;
  return `<main id="app"><header id="toolbar">${p.toolbar}</header><div id="progress">${p.progress}</div><div id="notice">${p.notice}</div><div id="summary">${p.summary}</div><div id="rows">${p.rows.map((r) => r.html).join('')}</div></main>`;
}
