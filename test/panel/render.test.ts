/** The panel's markup, read as strings: statuses, details, links, escaping, the toolbar's states, Restricted Mode. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PanelRow, PanelState } from '../../client/panel/messages';
import { emptyState, rowFromPlan } from '../../client/panel/model';
import { esc, formatDuration, renderBody, renderNotice, renderPanel, renderProgress, renderRow, renderSummary, renderToolbar, STATUS_ICON } from '../../client/panel/render';
import type { VerifyPlanCriterion } from '../../server/protocol';
import { fixtureState } from './preview';

const state = fixtureState();
const row = (id: string): PanelRow => state.rows.find((r) => r.id === id)!;
const count = (html: string, re: RegExp) => (html.match(new RegExp(re.source, 'g')) ?? []).length;

describe('rows', () => {
  it('show the status as the brief\'s codicon, with a label for screen readers', () => {
    assert.deepEqual(STATUS_ICON, { PASS: 'pass-filled', FAIL: 'error', SKIP: 'circle-slash', ERROR: 'warning', PENDING: 'circle-large-outline', RUNNING: 'loading' });
    for (const [id, icon, word] of [['SC-004', 'pass-filled', 'passed'], ['SC-001', 'error', 'failed'], ['SC-002', 'circle-slash', 'skipped'], ['SC-003', 'warning', 'error']]) {
      const html = renderRow(row(id), false);
      assert.match(html, new RegExp(`<span class="codicon codicon-${icon} status-icon status-\\w+" role="img" aria-label="${word}" title="${word}"></span>`), id);
    }
    const running = renderRow({ ...row('SC-004'), status: 'RUNNING', step: 'listing Schedules' }, true);
    assert.match(running, /codicon-loading codicon-modifier-spin/);
    assert.match(running, /<p class="step-now">.*listing Schedules<\/p>/);
  });

  it('show target, actual and duration on the row, the reason of a skip or error too', () => {
    const html = renderRow(row('SC-001'), false);
    assert.match(html, /<span class="id">SC-001<\/span> <span class="title">Cost labels present<\/span>/);
    assert.match(html, /<span class="value target"><span class="value-label">target<\/span> 4 labels<\/span><span class="value actual"><span class="value-label">actual<\/span> 3 labels<\/span>/);
    assert.match(html, /<span class="duration muted">\d+ ms<\/span>/);
    assert.match(renderRow(row('SC-003'), false), /<span class="value why" title="403: cannot list verticalpodautoscalers[^"]*">403: cannot list/);
    assert.doesNotMatch(html, /class="value why"/, 'a FAIL explains in its details');
    assert.match(renderRow(row('SC-007'), false), /<span class="tag"[^>]*>disruptive<\/span>/);
  });

  it('open as details: the reason, the pods lacking labels, the links', () => {
    const html = renderRow(row('SC-001'), true);
    assert.match(html, /^<details class="row status-fail" data-id="SC-001" open>/);
    assert.match(html, /<p class="reason status-text-fail">2 of 3 pods lack or mislabel cost-center, team: OpenCost cannot attribute their cost<\/p>/);
    assert.match(html, /<h4>Pods lacking labels<\/h4>/);
    assert.match(html, /<td class="mono">task-api-[a-z0-9-]+<\/td><td>lacks <code>cost-center<\/code><\/td>/);
    assert.match(html, /<td>has <code>team=platform \(spec: product-team\)<\/code><\/td>/);
    assert.match(html, /<a href="#" class="link" data-action="open" data-id="SC-001" data-link="0" title="costLabels \(opex\.yaml:3\)">.*<span>opex\.yaml:3<\/span><\/a>/);
    assert.match(html, /data-link="1" title="task-api-deployment\.yaml:4">.*codicon-file-code.*<span>Deployment production\/task-api<\/span><\/a><span class="muted link-desc">task-api-deployment\.yaml:4<\/span>/);
    assert.doesNotMatch(renderRow(row('SC-001'), false), / open>/);
  });

  it('draw SC-008\'s timeline with one bar per step and the slowest step marked', () => {
    const html = renderRow(row('SC-008'), true);
    assert.match(html, /<h4>Replacement pod timeline<\/h4>/);
    assert.equal(count(html, /<svg class="bar"/), 6);
    assert.equal(count(html, /<tr class="slowest">/), 1);
    assert.match(html, /<tr class="slowest"><td class="step">image-pull <span class="codicon codicon-flame slow-icon" role="img" aria-label="slowest step"/);
    assert.match(html, /<rect class="span slow" x="[\d.]+" y="0" width="[\d.]+" height="6">/);
    assert.match(html, /pulled ghcr\.io\/panaversity\/task-api:1\.0\.0 in 5\.2 s/);
  });

  it('show the PromQL query of SC-009 as code', () => {
    assert.match(renderRow(row('SC-009'), true), /<h4>Query<\/h4><pre class="query"><code>sum\(increase\(task_api_requests_total\{status=~&quot;5\.\.&quot;\}\[60s\]\)\)<\/code><\/pre>/);
  });

  it('escape everything that comes from the cluster or the spec', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    const html = renderRow({ ...row('SC-003'), title: evil, reason: evil, details: [evil], target: evil, query: evil, links: [{ kind: 'manifest', label: evil, description: evil }] }, true);
    assert.ok(!html.includes('<img'), html);
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;'));
    assert.equal(esc('"<>&\''), '&quot;&lt;&gt;&amp;&#39;');
  });
});

describe('the whole panel', () => {
  it('never uses inline styles or inline event handlers (the CSP forbids them)', () => {
    const busy: PanelState = { ...state, busy: true, runningDisruptive: true, progress: { done: 3, total: 10, message: 'SC-004 Velero schedule… 4/10' } };
    for (const s of [state, busy, emptyState(false), emptyState(true)]) {
      const html = renderBody(s, new Set(['SC-001', 'SC-008']));
      assert.doesNotMatch(html, /\sstyle=/);
      assert.doesNotMatch(html, /\son[a-z]+=/i);
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /javascript:/i);
    }
  });

  it('has a context picker and the run buttons', () => {
    const html = renderToolbar(state);
    assert.match(html, /<vscode-single-select id="context-select" data-action="context" aria-label="Kubernetes context">/);
    assert.match(html, /<vscode-option value="opex-loopback" description="https:\/\/127\.0\.0\.1:6443" selected>opex-loopback \(current\)<\/vscode-option>/);
    assert.match(html, /<vscode-button data-action="run" icon="play" title="[^"]*">Run checks<\/vscode-button>/);
    assert.match(html, /<vscode-button secondary data-action="run-disruptive" icon="warning" title="[^"]*Touches opex-restore-task-api-&lt;time&gt;, velero, staging; asks first\.">Run disruptive checks…<\/vscode-button>/);
    assert.doesNotMatch(html, /data-action="export"/, 'Export sits with the summary of a run');
    assert.match(renderSummary(state), /<vscode-button secondary data-action="export" icon="save-as" title="[^"]*">Export report<\/vscode-button>/);
    assert.match(html, /<span class="spec-name">task-api<\/span>/);
  });

  it('disables the buttons while running and shows the progress with Cancel', () => {
    const busy: PanelState = { ...state, busy: true, runningDisruptive: true, progress: { done: 3, total: 10, message: 'SC-004 Velero schedule… 4/10' } };
    const toolbar = renderToolbar(busy);
    assert.match(toolbar, /data-action="run" icon="play" disabled/);
    assert.match(toolbar, /data-action="run-disruptive" icon="warning" disabled/);
    assert.match(renderSummary(busy), /data-action="export" icon="save-as" disabled/);
    assert.match(toolbar, /<vscode-single-select id="context-select" data-action="context" aria-label="Kubernetes context" disabled>/);
    const progress = renderProgress(busy);
    assert.match(progress, /<vscode-progress-bar value="3" max="10" aria-label="Progress"><\/vscode-progress-bar>/);
    assert.match(progress, /warn-icon.*<span class="progress-message">SC-004 Velero schedule… 4\/10<\/span>/);
    assert.match(progress, /data-action="cancel"/);
    assert.equal(renderProgress(state), '');
  });

  it('cannot run without a spec or a context, nor export without a report', () => {
    const none = renderToolbar({ ...state, context: null, contexts: [] });
    assert.match(none, /data-action="run" icon="play" disabled/);
    assert.match(none, /<span class="field-label">Context<\/span><span class="muted">none<\/span>/);
    assert.match(renderSummary({ ...state, canExport: false }), /data-action="export" icon="save-as" disabled/);
    const planned = { ...state, rows: state.rows.map((r) => rowFromPlan({ id: r.id as VerifyPlanCriterion['id'], title: r.title, criterion: r.criterion, target: r.target, disruptive: r.disruptive, links: [] })), summary: null };
    assert.match(renderSummary(planned), /Run the checks to prove the criteria against <strong>opex-loopback<\/strong>/);
  });

  it('sums up the run with a count per status', () => {
    const html = renderSummary(state);
    assert.match(html, /<span class="count status-pass" title="6 passed">.*<span>6<\/span>/);
    assert.match(html, /<span class="count status-fail" title="2 failed">/);
    assert.match(html, /<span class="count status-skip" title="1 skipped">/);
    assert.match(html, /<span class="count status-error" title="1 errors">/);
    assert.match(renderSummary({ ...state, summary: { ...state.summary!, cancelled: true, error: 0 } }), /<span class="count status-error zero".*<span class="cancelled">cancelled<\/span>/);
  });

  it('shows notices with their action, and the spec\'s warnings', () => {
    const html = renderNotice({ ...state, notice: { kind: 'info', text: 'This workspace has no opex spec.', action: 'createSpec' }, warnings: ['opex.yaml: `live.timeouts.request` must be a duration'] });
    assert.match(html, /<div class="notice notice-info" role="status">.*This workspace has no opex spec\..*data-action="action" data-value="createSpec">Create opex spec<\/vscode-button>/);
    assert.match(html, /<li>opex\.yaml: `live\.timeouts\.request` must be a duration<\/li>/);
  });

  it('explains Restricted Mode and offers nothing else', () => {
    const untrusted = renderPanel({ ...state, trusted: false }, new Set());
    assert.equal(untrusted.toolbar + untrusted.progress + untrusted.notice + untrusted.summary, '');
    assert.deepEqual(untrusted.rows, []);
    assert.match(untrusted.untrusted, /Live checks are off in Restricted Mode/);
    assert.match(untrusted.untrusted, /data-action="action" data-value="trust"/);
    assert.doesNotMatch(renderBody({ ...state, trusted: false }), /data-action="run/);
  });

  it('formats durations', () => {
    assert.deepEqual([null, 0, 23.4, 420, 4_210, 9_950, 12_300, 60_000, 95_000].map(formatDuration), ['', '0 ms', '23 ms', '420 ms', '4.2 s', '9.9 s', '12 s', '1m', '1m 35s']);
  });
});
