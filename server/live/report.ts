/** Verification reports: a text table like the chapter's, Markdown, JSON and JUnit XML. */
import type { CheckResult, VerifyReport } from './types';

export type ReportFormat = 'text' | 'json' | 'junit' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'junit', 'markdown'];

export function formatReport(report: VerifyReport, format: ReportFormat, opts: { verbose?: boolean; color?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return junit(report);
    case 'markdown':
      return markdown(report);
    case 'text':
      return text(report, opts);
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);

function summaryLine(r: VerifyReport): string {
  const s = r.summary;
  const parts = [`${s.pass} passed`, `${s.fail} failed`, `${s.skip} skipped`, `${s.error} error${s.error === 1 ? '' : 's'}`];
  return `${parts.join(', ')} in ${seconds(r.durationMs)} s${r.cancelled ? ' (cancelled)' : ''}`;
}

function headline(r: VerifyReport): string {
  return `opex verify: ${r.spec.service} (namespace ${r.spec.namespace}) against context ${r.cluster.context} (${r.cluster.server}${r.cluster.version ? `, ${r.cluster.version}` : ''})`;
}

const COLORS: Record<string, string> = { PASS: '\u001b[32m', FAIL: '\u001b[31m', ERROR: '\u001b[31;1m', SKIP: '\u001b[33m' };

function text(r: VerifyReport, opts: { verbose?: boolean; color?: boolean }): string {
  const rows = [['Success Criterion', 'Target', 'Actual', 'Status'], ...r.results.map((x) => [`${x.id}: ${x.title}`, x.target || '—', x.actual || '—', x.status])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const paint = (status: string) => (opts.color && COLORS[status] ? `${COLORS[status]}${status}\u001b[0m` : status);
  const lines = [headline(r), ''];
  rows.forEach((row, i) => {
    lines.push(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padEnd(widths[2])}  ${i === 0 ? row[3] : paint(row[3])}`.trimEnd());
    if (i === 0) lines.push(`${'-'.repeat(widths[0])}  ${'-'.repeat(widths[1])}  ${'-'.repeat(widths[2])}  ------`);
  });
  const noted = r.results.filter((x) => opts.verbose || x.status !== 'PASS');
  if (noted.length) lines.push('');
  for (const x of noted) {
    lines.push(`${x.id} ${paint(x.status)}${x.reason ? `: ${x.reason}` : ''}`);
    if (x.status !== 'SKIP' || opts.verbose) for (const d of x.details) lines.push(`    ${d}`);
  }
  lines.push('', summaryLine(r));
  return `${lines.join('\n')}\n`;
}

const cell = (s: string) => (s || '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(r: VerifyReport): string {
  const lines = [
    `## opex verify: ${r.spec.service}`,
    '',
    `Namespace \`${r.spec.namespace}\`, context \`${r.cluster.context}\` (${r.cluster.server}${r.cluster.version ? `, ${r.cluster.version}` : ''}), ${r.startedAt}. Disruptive checks ${r.allowDisruptive ? 'included' : 'not run'}.`,
    '',
    '| Success Criterion | Target | Actual | Status |',
    '|---|---|---|---|',
    ...r.results.map((x) => `| ${cell(`${x.id}: ${x.title}`)} | ${cell(x.target)} | ${cell(x.actual)} | ${x.status} |`),
    '',
    `**${summaryLine(r)}**`,
  ];
  const noted = r.results.filter((x) => x.reason || x.details.length);
  if (noted.length) {
    lines.push('', '### Details', '');
    for (const x of noted) {
      lines.push(`- **${x.id} ${x.status}**${x.reason ? `: ${x.reason.replace(/\n/g, ' ')}` : ''}`);
      for (const d of x.details) lines.push(`  - ${d.replace(/\n/g, ' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function body(x: CheckResult): string {
  return [`target: ${x.target || '—'}`, `actual: ${x.actual || '—'}`, ...(x.reason ? [`reason: ${x.reason}`] : []), ...x.details].join('\n');
}

function junit(r: VerifyReport): string {
  const s = r.summary;
  const suite = `opex verify: ${r.spec.service}`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="opex verify" tests="${s.total}" failures="${s.fail}" errors="${s.error}" skipped="${s.skip}" time="${seconds(r.durationMs)}">`,
    `  <testsuite name="${xml(suite)}" tests="${s.total}" failures="${s.fail}" errors="${s.error}" skipped="${s.skip}" time="${seconds(r.durationMs)}" timestamp="${xml(r.startedAt)}">`,
    '    <properties>',
    `      <property name="spec" value="${xml(r.spec.file)}"/>`,
    `      <property name="namespace" value="${xml(r.spec.namespace)}"/>`,
    `      <property name="context" value="${xml(r.cluster.context)}"/>`,
    `      <property name="server" value="${xml(r.cluster.server)}"/>`,
    `      <property name="allowDisruptive" value="${r.allowDisruptive}"/>`,
    '    </properties>',
  ];
  for (const x of r.results) {
    out.push(`    <testcase classname="opex.verify.${xml(r.spec.service)}" name="${xml(`${x.id}: ${x.title}`)}" time="${seconds(x.durationMs)}">`);
    if (x.status === 'FAIL') out.push(`      <failure message="${xml(x.reason ?? 'failed')}" type="FAIL">${xml(body(x))}</failure>`);
    if (x.status === 'ERROR') out.push(`      <error message="${xml(x.reason ?? 'error')}" type="ERROR">${xml(body(x))}</error>`);
    if (x.status === 'SKIP') out.push(`      <skipped message="${xml(x.reason ?? 'skipped')}"/>`);
    out.push(`      <system-out>${xml(body(x))}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}
