/**
 * Running one fuzzed case through the engine the way the CLI and the server do: a workspace of the fuzzed
 * manifest (and sometimes an untouched neighbour), a spec, a linter. Shared by the test suite and scripts/fuzz.ts.
 */
import * as path from 'node:path';
import * as YAML from 'yaml';
import { isYamlFile } from '../../server/engine/discover';
import { applyEdits, combineFixes } from '../../server/engine/edit';
import { Linter } from '../../server/engine/lint';
import { parseFile } from '../../server/engine/parse';
import { SpecSet } from '../../server/engine/spec/specs';
import { LineMap } from '../../server/engine/text';
import type { Diagnostic, TextEdit } from '../../server/engine/types';
import { WorkspaceIndex } from '../../server/engine/workspace';
import { diagnosticProblems, rangeProblem } from './corpus';

export const FUZZ_ROOT = path.resolve('/opex-fuzz');
export const MANIFEST = path.join(FUZZ_ROOT, 'manifests.yaml');
export const NEIGHBOUR = path.join(FUZZ_ROOT, 'neighbour.yaml');

export interface FuzzCase {
  manifest: string;
  spec: { name: string; text: string } | null;
  /** An untouched manifest beside the fuzzed one (workspace rules see both). */
  neighbour?: string;
}

export interface FuzzWorkspace {
  index: WorkspaceIndex;
  specs: SpecSet;
  linter: Linter;
  /** Every text of the workspace by absolute path (manifests and spec). */
  texts: Map<string, string>;
  specFile?: string;
}

export function buildWorkspace(c: FuzzCase, reuse?: FuzzWorkspace): FuzzWorkspace {
  const index = reuse?.index ?? new WorkspaceIndex();
  const specs = reuse?.specs ?? new SpecSet();
  const texts = new Map<string, string>();
  const specFile = c.spec ? path.join(FUZZ_ROOT, c.spec.name) : undefined;
  if (reuse) {
    for (const f of [...index.files()].map((p) => p.file)) index.removeFile(f);
    for (const s of specs.all()) specs.removeFile(s.file);
  }
  if (c.spec && specFile) {
    specs.setFile(specFile, c.spec.text);
    texts.set(specFile, c.spec.text);
    // As on disk: an opex.yaml is also a YAML file of the folder (skipped by the index as not Kubernetes).
    if (isYamlFile(specFile)) index.setFile(specFile, c.spec.text);
  }
  index.setFile(MANIFEST, c.manifest);
  texts.set(MANIFEST, c.manifest);
  if (c.neighbour !== undefined) {
    index.setFile(NEIGHBOUR, c.neighbour);
    texts.set(NEIGHBOUR, c.neighbour);
  }
  const linter = reuse?.linter ?? new Linter(index, specs, {});
  return { index, specs, linter, texts, specFile };
}

/** Diagnostics of a workspace as comparable data (files made relative), in the linter's order. */
export function flatten(results: Map<string, Diagnostic[]>): Array<Diagnostic & { file: string }> {
  const out: Array<Diagnostic & { file: string }> = [];
  for (const [file, list] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    for (const d of list) {
      if (d.file !== file) throw new Error(`diagnostic of ${d.file} listed under ${file}`);
      out.push(d);
    }
  }
  return out;
}

/** The checks of one lint: the problems found (empty when every property holds) and the diagnostics. */
export function lintCase(c: FuzzCase, reuse?: FuzzWorkspace): { problems: string[]; diagnostics: Diagnostic[]; ws: FuzzWorkspace } {
  const ws = buildWorkspace(c, reuse);
  const diagnostics = flatten(ws.linter.lintAll());
  const problems = diagnosticProblems(diagnostics, ws.texts);
  return { problems, diagnostics, ws };
}

/** parseFile alone: never throws, its ranges lie inside the text, its resources' ranges too. */
export function parseProblems(text: string): string[] {
  const problems: string[] = [];
  const parsed = parseFile(MANIFEST, text);
  for (const d of parsed.syntax) {
    const p = rangeProblem(text, d.range);
    if (p) problems.push(`yaml-syntax: ${p}`);
  }
  for (const r of parsed.resources) {
    for (const [what, range] of [['anchor', r.anchorRange()], ['range', r.range]] as const) {
      const p = rangeProblem(text, range);
      if (p) problems.push(`${r.kind} ${r.name} ${what}: ${p}`);
    }
  }
  return problems;
}

/** Number of YAML documents of a text and whether any has an error, read as opex reads it. */
export function yamlShape(text: string): { docs: number; errors: number } {
  const docs = YAML.parseAllDocuments(text, { merge: true, uniqueKeys: false, logLevel: 'silent' }) as YAML.Document.Parsed[];
  const list = Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
  return { docs: list.length, errors: parseFile(MANIFEST, text).syntax.length };
}

/** Applies edits to a text and says which bytes outside them changed (there must be none). */
export function applyChecked(text: string, edits: readonly TextEdit[]): { text: string; problem?: string } {
  const lines = new LineMap(text);
  const spans = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) return { text, problem: `overlapping edits at ${spans[i].start}` };
  }
  const out = applyEdits(text, lines, edits);
  // Every byte outside the edited ranges is where it was: walk the spans and compare the untouched pieces.
  let src = 0;
  let dst = 0;
  for (const s of spans) {
    const piece = text.slice(src, s.start);
    if (out.slice(dst, dst + piece.length) !== piece) return { text: out, problem: `bytes before offset ${s.start} changed` };
    dst += piece.length;
    if (out.slice(dst, dst + s.newText.length) !== s.newText) return { text: out, problem: `the edit at ${s.start} was not applied as given` };
    dst += s.newText.length;
    src = s.end;
  }
  if (out.slice(dst) !== text.slice(src)) return { text: out, problem: 'bytes after the last edit changed' };
  return { text: out };
}

// ---- fixes ------------------------------------------------------------------------------------------------

/** What a fix check found: problems (must be none) and which rules needed more than one pass of fix-all. */
export interface FixReport {
  problems: string[];
  /** Fixes applied one at a time. */
  single: number;
  /** Rules whose diagnostics (or new ones of the same rule) were still there after one pass of "fix all of this rule". */
  secondPass: Set<string>;
  /** Passes of "fix everything" (as `opex lint --fix`) until nothing changed. */
  passes: number;
}

const keyOf = (d: Diagnostic) => `${d.ruleId}\u0000${d.message}`;

function countBy(list: readonly Diagnostic[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of list) m.set(keyOf(d), (m.get(keyOf(d)) ?? 0) + 1);
  return m;
}

/** Texts after applying edits per file, checking each file's untouched bytes; problems are added to `problems`. */
function applyAll(texts: ReadonlyMap<string, string>, edits: readonly TextEdit[], what: string, problems: string[]): Map<string, string> {
  const next = new Map(texts);
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    const text = next.get(file);
    if (text === undefined) {
      problems.push(`${what}: edits an unknown file ${file}`);
      continue;
    }
    const r = applyChecked(text, list);
    if (r.problem) problems.push(`${what}: ${r.problem}`);
    next.set(file, r.text);
  }
  return next;
}

function caseWith(c: FuzzCase, texts: ReadonlyMap<string, string>): FuzzCase {
  const spec = c.spec ? { name: c.spec.name, text: texts.get(path.join(FUZZ_ROOT, c.spec.name)) ?? c.spec.text } : null;
  return { manifest: texts.get(MANIFEST)!, spec, neighbour: c.neighbour === undefined ? undefined : texts.get(NEIGHBOUR) };
}

/**
 * A changed text still parses as it did: the same documents (plus those a fix appends whole, as backup-missing's
 * scaffolded Schedule: an insertion that starts a document with `---`), no new syntax error.
 */
function shapeProblems(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, what: string, edits: readonly TextEdit[]): string[] {
  const out: string[] = [];
  for (const [file, text] of after) {
    const old = before.get(file)!;
    if (old === text || !isYamlFile(file)) continue;
    const a = yamlShape(old);
    const b = yamlShape(text);
    const appended = edits
      .filter((e) => e.file === file && e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character)
      .reduce((n, e) => n + (e.newText.match(/(?:^|\n)---(?:\r?\n|$)/g) ?? []).length, 0);
    if (b.docs < a.docs || b.docs > a.docs + appended) out.push(`${what}: ${path.basename(file)} had ${a.docs} documents, now ${b.docs}`);
    if (b.errors > a.errors) out.push(`${what}: ${path.basename(file)} had ${a.errors} syntax errors, now ${b.errors}:\n${text}`);
  }
  return out;
}

/**
 * Every fix of a fuzzed case, one at a time (at most `maxSingle`), then every fix of each rule at once, then
 * everything as `opex lint --fix` does. Checks that bytes outside the edits are kept, the documents still parse
 * as before, the fixed diagnostic goes away, no rule crashes on the result, and fixing converges.
 */
export function fixCase(c: FuzzCase, maxSingle = 6): FixReport {
  const report: FixReport = { problems: [], single: 0, secondPass: new Set(), passes: 0 };
  const first = lintCase(c);
  const texts = first.ws.texts;
  const fixable = first.diagnostics.filter((d) => d.fix && d.fix.edits.length > 0);
  if (fixable.length === 0) return report;
  const before = countBy(first.diagnostics);

  // One fix at a time.
  for (const d of fixable.slice(0, maxSingle)) {
    const what = `fix of ${d.ruleId} (${d.message.slice(0, 80)})`;
    const after = applyAll(texts, d.fix!.edits, what, report.problems);
    report.problems.push(...shapeProblems(texts, after, what, d.fix!.edits));
    const relint = lintCase(caseWith(c, after));
    report.problems.push(...relint.problems.map((p) => `after ${what}: ${p}`));
    const now = countBy(relint.diagnostics);
    if ((now.get(keyOf(d)) ?? 0) >= (before.get(keyOf(d)) ?? 0)) report.problems.push(`${what}: the diagnostic is still there after its fix`);
    report.single++;
  }

  // "Fix all of this rule" (the editor's source action): one pass, then see what is left of the rule.
  for (const rule of new Set(fixable.map((d) => d.ruleId))) {
    let current: Map<string, string> = new Map(texts);
    for (let pass = 1; pass <= 4; pass++) {
      const diags = lintCase(caseWith(c, current)).diagnostics.filter((d) => d.ruleId === rule && d.fix);
      if (diags.length === 0) break;
      if (pass === 2) report.secondPass.add(rule);
      if (pass === 4) {
        report.problems.push(`fix all of ${rule}: still ${diags.length} fixable diagnostic(s) after 3 passes`);
        break;
      }
      // As the editor's "fix all": whole fixes that do not clash (combineFixes), the rest in the next pass.
      const { edits } = combineFixes(diags.map((d) => d.fix));
      const next = applyAll(current, edits, `fix all of ${rule}`, report.problems);
      report.problems.push(...shapeProblems(current, next, `fix all of ${rule}`, edits));
      if ([...next].every(([f, t]) => current.get(f) === t)) {
        report.problems.push(`fix all of ${rule}: its fixes change nothing but the diagnostics stay`);
        break;
      }
      current = next;
    }
  }

  // Everything, as `opex lint --fix`: passes until nothing changes; then the result is stable and clean of fixable diagnostics.
  let current: Map<string, string> = new Map(texts);
  for (let pass = 1; pass <= 10; pass++) {
    const r = lintCase(caseWith(c, current));
    report.problems.push(...r.problems.map((p) => `fix everything, pass ${pass}: ${p}`));
    if (!r.diagnostics.some((d) => d.fix)) break;
    const { edits } = combineFixes(r.diagnostics.map((d) => d.fix));
    const next = applyAll(current, edits, `fix everything, pass ${pass}`, report.problems);
    report.problems.push(...shapeProblems(current, next, `fix everything, pass ${pass}`, edits));
    if ([...next].every(([f, t]) => current.get(f) === t)) {
      report.problems.push(`fix everything: ${edits.length} edit(s) offered that change nothing (${[...new Set(r.diagnostics.filter((d) => d.fix).map((d) => d.ruleId))].join(', ')})`);
      break;
    }
    current = next;
    report.passes = pass;
    if (pass === 10) report.problems.push('fix everything: no fixpoint after 10 passes');
  }
  return report;
}
