/** Output formats of `opex lint`: text (like a compiler), json (PRODUCT.md's shape), sarif 2.1.0, junit, github annotations. */
import * as path from 'node:path';
import { OPEX_HOMEPAGE, OPEX_VERSION, ruleDocsUrl } from '../engine/about';
import { RULES } from '../engine/rules/index';
import type { Diagnostic } from '../engine/types';

export const LINT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface LintReport {
  /** Absolute path → diagnostics, for every file checked. */
  results: Map<string, Diagnostic[]>;
  cwd: string;
  /** Fixes applied by --fix, per file (absolute path). */
  fixed?: Map<string, number>;
}


export function relPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}

function ordered(report: LintReport): Array<[string, Diagnostic[]]> {
  return [...report.results.entries()]
    .map(([file, diags]) => [relPath(report.cwd, file), diags] as [string, Diagnostic[]])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function summarize(report: LintReport): { files: number; errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const list of report.results.values()) {
    for (const d of list) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
    }
  }
  return { files: report.results.size, errors, warnings, infos };
}

export function formatReport(format: LintFormat, report: LintReport, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'text':
      return formatText(report, opts.color ?? false);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'junit':
      return formatJunit(report);
    case 'github':
      return formatGithub(report);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(report: LintReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  let fixable = 0;
  for (const [file, diags] of ordered(report)) {
    for (const d of diags) {
      const where = `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const sev = d.severity === 'error' ? paint('31', 'error') : d.severity === 'warning' ? paint('33', 'warning') : paint('36', 'info');
      lines.push(`${paint('1', where)} ${sev} ${d.message} ${paint('2', `[${d.ruleId}]`)}`);
      if (d.fix) fixable++;
    }
  }
  const s = summarize(report);
  const fixedCount = report.fixed ? [...report.fixed.values()].reduce((a, b) => a + b, 0) : 0;
  if (lines.length > 0) lines.push('');
  if (fixedCount > 0) lines.push(`Fixed ${plural(fixedCount, 'problem')} in ${plural(report.fixed!.size, 'file')}.`);
  if (s.errors + s.warnings + s.infos === 0) {
    lines.push(paint('32', `✓ No problems in ${plural(s.files, 'file')}.`));
  } else {
    const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
    if (s.infos) parts.push(`${s.infos} info`);
    const head = `✖ ${plural(s.errors + s.warnings + s.infos, 'problem')} (${parts.join(', ')}) in ${plural(s.files, 'file')}`;
    lines.push(paint(s.errors ? '31;1' : '33;1', head));
    if (fixable > 0 && !report.fixed) lines.push(`  ${plural(fixable, 'problem')} can be fixed with --fix.`);
  }
  return lines.join('\n') + '\n';
}

export function formatJson(report: LintReport): string {
  const s = summarize(report);
  const files = ordered(report).map(([p, diags]) => ({
    path: p,
    diagnostics: diags.map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      range: d.range,
      ...(d.fix ? { fixable: true } : {}),
      ...(d.related
        ? { related: d.related.map((r) => ({ path: relPath(report.cwd, r.file), range: r.range, message: r.message })) }
        : {}),
    })),
  }));
  return JSON.stringify({ version: 1, files, summary: { files: s.files, errors: s.errors, warnings: s.warnings } }, null, 2) + '\n';
}

function sarifLevel(sev: Diagnostic['severity']): 'error' | 'warning' | 'note' {
  return sev === 'info' ? 'note' : sev;
}

function region(d: { range: Diagnostic['range'] }) {
  return {
    startLine: d.range.start.line + 1,
    startColumn: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
  };
}

export function formatSarif(report: LintReport): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const extraRules: string[] = [];
  const results = ordered(report).flatMap(([file, diags]) =>
    diags.map((d) => {
      if (!ruleIndex.has(d.ruleId)) {
        ruleIndex.set(d.ruleId, RULES.length + extraRules.length);
        extraRules.push(d.ruleId);
      }
      return {
        ruleId: d.ruleId,
        ruleIndex: ruleIndex.get(d.ruleId),
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' }, region: region(d) } }],
        ...(d.related
          ? {
              relatedLocations: d.related.map((r, id) => ({
                id,
                message: { text: r.message },
                physicalLocation: { artifactLocation: { uri: relPath(report.cwd, r.file), uriBaseId: '%SRCROOT%' }, region: region(r) },
              })),
            }
          : {}),
      };
    }),
  );
  const rules = [
    ...RULES.map((r) => ({
      id: r.meta.id,
      name: r.meta.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: r.meta.description },
      fullDescription: { text: r.meta.why },
      helpUri: ruleDocsUrl(r.meta.id),
      help: { text: `${r.meta.description} ${r.meta.why}` },
      defaultConfiguration: { level: sarifLevel(r.meta.severity) },
      properties: { tags: ['kubernetes', ...r.meta.criteria], precision: 'high' },
    })),
    ...extraRules.map((id) => ({ id, shortDescription: { text: id }, defaultConfiguration: { level: 'error' } })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'opex', informationUri: OPEX_HOMEPAGE, version: OPEX_VERSION, semanticVersion: OPEX_VERSION, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToUri(report.cwd) } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function pathToUri(dir: string): string {
  const p = path.resolve(dir).split(path.sep).join('/');
  return `file://${p.startsWith('/') ? '' : '/'}${encodeURI(p)}/`;
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function formatJunit(report: LintReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = summarize(report);
  const total = [...report.results.values()].reduce((n, l) => n + Math.max(1, l.length), 0);
  out.push(`<testsuites name="opex lint" tests="${total}" failures="${s.errors + s.warnings + s.infos}" errors="0">`);
  for (const [file, diags] of ordered(report)) {
    out.push(`  <testsuite name="${xml(file)}" tests="${Math.max(1, diags.length)}" failures="${diags.length}" errors="0">`);
    if (diags.length === 0) out.push(`    <testcase classname="${xml(file)}" name="opex lint"/>`);
    for (const d of diags) {
      const where = `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      out.push(`    <testcase classname="${xml(file)}" name="${xml(`${d.ruleId} ${where}`)}">`);
      out.push(`      <failure type="${xml(d.ruleId)}" message="${xml(d.message)}">${xml(`${d.severity}: ${d.message} (${where})`)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghProp(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const [file, diags] of ordered(report)) {
    for (const d of diags) {
      const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const r = region(d);
      const props = [`file=${ghProp(file)}`, `line=${r.startLine}`, `col=${r.startColumn}`, `endLine=${r.endLine}`, `endColumn=${r.endColumn}`, `title=${ghProp(`opex ${d.ruleId}`)}`];
      lines.push(`::${cmd} ${props.join(',')}::${ghData(d.message)}`);
    }
  }
  const s = summarize(report);
  lines.push(`opex: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')}`);
  return lines.join('\n') + '\n';
}
