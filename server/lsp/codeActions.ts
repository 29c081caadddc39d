/**
 * Code actions: the quick fix of each fixable diagnostic, "Fix all <rule> problems in this file",
 * `source.fixAll.opex` (every fix in the file, for codeActionsOnSave), and "Suppress <rule> for this line /
 * this document", which writes the `# opex-ignore <rule>: reason` comment the engine honours.
 */
import * as YAML from 'yaml';
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionParams,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { combineFixes } from '../engine/edit';
import { INTERNAL_ERROR } from '../engine/lint';
import type { ParsedFile } from '../engine/parse';
import type { Resource } from '../engine/resource';
import { comparePos } from '../engine/text';
import type { Diagnostic, Range, TextEdit } from '../engine/types';
import { FIX_ALL_KIND } from '../protocol';
import type { ServerContext } from './context';
import { toLspDiagnostic } from './diagnostics';
import { uriToPath } from './project';

/** The comment the engine reads (server/engine/suppress.ts): `# opex-ignore <id>[, <id>…][: reason]`. */
const IGNORE_COMMENT = /#\s*opex-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;
const REASON_PLACEHOLDER = 'reason';

function overlaps(a: Range, b: Range): boolean {
  return comparePos(a.start, b.end) <= 0 && comparePos(b.start, a.end) <= 0;
}

/** Edits grouped into one WorkspaceEdit (versioned document changes where the client supports them). */
export function workspaceEdit(ctx: ServerContext, edits: readonly TextEdit[]): WorkspaceEdit {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of edits) {
    let list = byFile.get(e.file);
    if (!list) byFile.set(e.file, (list = []));
    list.push({ range: e.range, newText: e.newText });
  }
  if (ctx.features.documentChanges) {
    return {
      documentChanges: [...byFile].map(([file, list]) => {
        const uri = ctx.project.uriOf(file);
        return TextDocumentEdit.create({ uri, version: ctx.documents.get(uri)?.version ?? null }, list);
      }),
    };
  }
  return { changes: Object.fromEntries([...byFile].map(([file, list]) => [ctx.project.uriOf(file), list])) };
}

/**
 * The edits of several fixes that can be applied together: whole fixes only, identical edits once, a fix that
 * overlaps one already taken (or inserts at the same point) left out; applying the action again picks the rest up,
 * as `opex lint --fix` does in passes (see combineFixes).
 */
export function combineFixEdits(diags: readonly Diagnostic[]): TextEdit[] {
  return combineFixes(diags.map((d) => d.fix)).edits;
}

function wanted(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function codeActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return [];
  const snapshot = ctx.project.lint();
  const diags = snapshot.byFile.get(file) ?? [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const here = diags.filter((d) => overlaps(d.range, params.range));

  if (wanted(only, CodeActionKind.QuickFix)) {
    for (const d of here) {
      if (!d.fix || d.fix.edits.length === 0) continue;
      actions.push({
        title: d.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(ctx, d)],
        isPreferred: d.fix.preferred === true,
        edit: workspaceEdit(ctx, d.fix.edits),
      });
    }
    const rulesHere = [...new Set(here.filter((d) => d.fix).map((d) => d.ruleId))];
    for (const ruleId of rulesHere) {
      const same = diags.filter((d) => d.ruleId === ruleId && d.fix && d.fix.edits.length > 0);
      if (same.length < 2) continue;
      actions.push({
        title: `Fix all ${ruleId} problems in this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: same.map((d) => toLspDiagnostic(ctx, d)),
        edit: workspaceEdit(ctx, combineFixEdits(same)),
      });
    }
    const parsed = ctx.project.index.file(file);
    if (parsed && parsed.resources.length > 0) actions.push(...suppressActions(ctx, parsed, here));
  }

  const fixable = diags.filter((d) => d.fix && d.fix.edits.length > 0);
  const explicitFixAll = only?.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(`${o}.`)) ?? false;
  if (fixable.length > 0 && (explicitFixAll || (!only && here.some((d) => d.fix)))) {
    actions.push({
      title: 'Fix all opex problems in this file',
      kind: FIX_ALL_KIND,
      diagnostics: fixable.map((d) => toLspDiagnostic(ctx, d)),
      edit: workspaceEdit(ctx, combineFixEdits(fixable)),
    });
  }
  return actions;
}

function suppressActions(ctx: ServerContext, parsed: ParsedFile, here: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const done = new Set<string>();
  for (const d of here) {
    if (d.ruleId === INTERNAL_ERROR || d.file !== parsed.file) continue;
    const line = d.range.start.line;
    const lineKey = `line|${d.ruleId}|${line}`;
    if (!done.has(lineKey)) {
      done.add(lineKey);
      const edit = suppressLineEdit(parsed, line, d.ruleId);
      if (edit) {
        out.push({
          title: `Suppress ${d.ruleId} for this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toLspDiagnostic(ctx, d)],
          edit: workspaceEdit(ctx, [edit]),
        });
      }
    }
    const res = parsed.resources.find((r) => {
      const start = parsed.lines.position(r.doc.range[0]).line;
      const end = parsed.lines.position(r.doc.range[2]).line;
      return line >= start && line <= end;
    });
    const docKey = `doc|${d.ruleId}|${res?.docIndex}`;
    const docEdit = res && !done.has(docKey) ? suppressDocumentEdit(parsed, res, d.ruleId) : undefined;
    done.add(docKey);
    if (docEdit) {
      out.push({
        title: `Suppress ${d.ruleId} for this document`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(ctx, d)],
        edit: workspaceEdit(ctx, [docEdit]),
      });
    }
  }
  return out;
}

/** Adds a rule to an existing `# opex-ignore` comment on a line, if there is one. */
function addToComment(parsed: ParsedFile, line: number, ruleId: string): TextEdit | undefined | null {
  const text = parsed.lines.lineText(line);
  const m = IGNORE_COMMENT.exec(text);
  if (!m) return undefined;
  const ids = m[1].split(',').map((s) => s.trim());
  if (ids.includes(ruleId)) return null; // already there
  const at = { line, character: m.index + m[0].length };
  return { file: parsed.file, range: { start: at, end: at }, newText: `, ${ruleId}` };
}

/** Does a scalar spanning several lines (a block scalar's body, a multi-line quoted string) hold this line's end? */
function insideMultilineScalar(parsed: ParsedFile, line: number): boolean {
  const lineEnd = parsed.lines.lineEnd(line);
  for (const res of parsed.resources) {
    if (lineEnd < res.doc.range[0] || lineEnd > res.doc.range[2]) continue;
    let inside = false;
    YAML.visit(res.doc, {
      Scalar(_key, node) {
        const r = node.range;
        if (r && r[0] < lineEnd && lineEnd <= r[1] && parsed.lines.position(r[0]).line < line) {
          inside = true;
          return YAML.visit.BREAK;
        }
        return undefined;
      },
    });
    if (inside) return true;
  }
  return false;
}

/** `  # opex-ignore <rule>: reason` at the end of the line (or the rule added to the comment already there). */
export function suppressLineEdit(parsed: ParsedFile, line: number, ruleId: string): TextEdit | undefined {
  const existing = addToComment(parsed, line, ruleId);
  if (existing !== undefined) return existing ?? undefined;
  if (insideMultilineScalar(parsed, line)) return undefined;
  const pos = parsed.lines.position(parsed.lines.lineEnd(line));
  const text = parsed.lines.lineText(line);
  const sep = text.length === 0 || /\s$/.test(text) ? '' : '  ';
  return { file: parsed.file, range: { start: pos, end: pos }, newText: `${sep}# opex-ignore ${ruleId}: ${REASON_PLACEHOLDER}` };
}

/**
 * `# opex-ignore <rule>: reason` as the document's header, on a line of its own right above its first content
 * line (or the rule added to the header comment already there).
 */
export function suppressDocumentEdit(parsed: ParsedFile, res: Resource, ruleId: string): TextEdit | undefined {
  const contents = res.doc.contents as YAML.Node | null;
  const firstOffset = contents?.range ? contents.range[0] : res.doc.range[0];
  const first = parsed.lines.position(firstOffset).line;
  // An existing header comment: the comment lines right above the first content line.
  for (let l = first - 1; l >= 0; l--) {
    const t = parsed.lines.lineText(l).trim();
    if (t === '') continue;
    if (!t.startsWith('#')) break;
    const added = addToComment(parsed, l, ruleId);
    if (added !== undefined) return added ?? undefined;
  }
  const at = { line: first, character: 0 };
  return { file: parsed.file, range: { start: at, end: at }, newText: `# opex-ignore ${ruleId}: ${REASON_PLACEHOLDER}${parsed.lines.eol}` };
}
