import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applyEdits, combineFixes } from '../engine/edit';
import { LineMap } from '../engine/text';
import type { Diagnostic, TextEdit } from '../engine/types';
import { formatReport, LINT_FORMATS, summarize, type LintFormat, type LintReport } from './formats';
import type { CliIO } from './io';
import { writeFileAtomic } from './io';
import { loadWorkspace, UsageError, type LoadedWorkspace } from './workspace';

export const LINT_USAGE = `Usage: opex lint [paths…] [options]

Checks Kubernetes manifests against the opex spec that governs them
(the nearest opex.yaml or *-opex-spec.md in the folder or above).

Options:
  --spec FILE        use this spec for every file
  --format FORMAT    text (default), json, sarif, junit, github
  --output FILE      write the report to FILE instead of standard output
  --fix              apply every available fix, then report what is left
  --quiet            report errors only
  -h, --help         show this help

Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

const MAX_FIX_PASSES = 10;

export async function lintCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      spec: { type: 'string' },
      format: { type: 'string', short: 'f', default: 'text' },
      output: { type: 'string', short: 'o' },
      fix: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(LINT_USAGE + '\n');
    return 0;
  }
  const format = values.format as LintFormat;
  if (!(LINT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown --format ${values.format}: use one of ${LINT_FORMATS.join(', ')}`);
  }
  const paths = positionals.length > 0 ? positionals : ['.'];
  const ws = loadWorkspace(paths, { spec: values.spec, cwd: io.cwd });
  const fixed = values.fix ? applyAllFixes(ws, io) : undefined;
  let results = ws.linter.lintAll();
  if (values.quiet) {
    results = new Map([...results].map(([f, list]) => [f, list.filter((d) => d.severity === 'error')]));
  }
  const report: LintReport = { results, cwd: io.cwd, fixed };
  const text = formatReport(format, report, { color: format === 'text' && !values.output && io.color });
  if (values.output) {
    writeFileAtomic(path.resolve(io.cwd, values.output), text);
  } else {
    io.stdout(text);
  }
  return summarize(report).errors > 0 ? 1 : 0;
}

/**
 * Applies fixes until none is left (fixes that touch the same node are applied in later passes),
 * then writes each changed file once, atomically. Returns the number of fixes applied per file.
 */
export function applyAllFixes(ws: LoadedWorkspace, io: CliIO): Map<string, number> {
  const original = new Map<string, string>();
  const counts = new Map<string, number>();
  const specTexts = new Map<string, string>();
  const currentText = (file: string): string | undefined => {
    const parsed = ws.index.file(file);
    if (parsed) return parsed.text;
    if (!ws.specs.get(file)) return undefined;
    if (!specTexts.has(file)) specTexts.set(file, fs.readFileSync(file, 'utf8'));
    return specTexts.get(file);
  };
  const setText = (file: string, text: string): void => {
    if (ws.index.file(file)) ws.index.setFile(file, text);
    if (ws.specs.get(file)) {
      specTexts.set(file, text);
      ws.specs.setFile(file, text);
    }
  };
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const byFile = new Map<string, { edits: TextEdit[]; diags: Diagnostic[] }>();
    const fixable = [...ws.linter.lintAll().values()].flat().filter((d) => d.fix);
    // Whole fixes that do not clash with each other; the others are applied in the next pass.
    const { edits, applied } = combineFixes(fixable.map((d) => d.fix));
    const taken = new Set(applied);
    for (const e of edits) {
      let entry = byFile.get(e.file);
      if (!entry) byFile.set(e.file, (entry = { edits: [], diags: [] }));
      entry.edits.push(e);
    }
    for (const d of fixable) {
      if (!taken.has(d.fix!)) continue;
      for (const file of new Set(d.fix!.edits.map((e) => e.file))) byFile.get(file)?.diags.push(d);
    }
    let changed = false;
    for (const [file, { edits, diags }] of byFile) {
      const current = currentText(file);
      if (current === undefined) continue;
      const next = applyEdits(current, new LineMap(current), edits);
      if (next === current) continue;
      if (!original.has(file)) original.set(file, current);
      setText(file, next);
      counts.set(file, (counts.get(file) ?? 0) + diags.length);
      changed = true;
    }
    if (!changed) break;
  }
  for (const [file, before] of original) {
    const after = currentText(file)!;
    if (after === before) {
      counts.delete(file);
      continue;
    }
    writeFileAtomic(file, after);
    io.stderr(`opex: fixed ${path.relative(io.cwd, file) || file}\n`);
  }
  return counts;
}
