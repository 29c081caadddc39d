/**
 * The language server under fuzzed documents: a real server process (test/lsp/harness.ts) on a copy of the example
 * workspace; fuzzed documents are opened and edited (full and incremental changes) and every feature is asked at
 * random positions. Every request must be answered (an error only for a cancelled request), every range the
 * server sends must lie inside its document, and the server must log no failure. Shared by the test suite and
 * `npm run fuzz`.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { editsByUri, TestClient } from '../lsp/harness';
import { documentArb, mutationArb, mutate, rangeProblem, type Mutation } from './corpus';

export type LspMethod = 'hover' | 'completion' | 'codeAction' | 'definition' | 'references' | 'documentSymbol' | 'codeLens';
const METHODS: LspMethod[] = ['hover', 'completion', 'codeAction', 'definition', 'references', 'documentSymbol', 'codeLens'];

export interface LspStep {
  /** A new document (opened as a new file), or a mutation of the current one sent as an incremental change. */
  change: { open: string } | { mutate: Mutation };
  requests: Array<{ method: LspMethod; line: number; character: number; span: number }>;
}

export const lspStepArb: fc.Arbitrary<LspStep> = fc.record({
  change: fc.oneof({ weight: 1, arbitrary: documentArb.map((open) => ({ open })) }, { weight: 2, arbitrary: mutationArb.map((m) => ({ mutate: m })) }),
  requests: fc.array(
    fc.record({ method: fc.constantFrom(...METHODS), line: fc.nat({ max: 400 }), character: fc.nat({ max: 120 }), span: fc.nat({ max: 3 }) }),
    { minLength: 1, maxLength: 6 },
  ),
});

export interface LspStats {
  documents: number;
  changes: number;
  requests: number;
  /** Slowest answer, ms. */
  worstMs: number;
}

/** The stretch of `before` that differs from `after`, as one incremental change. */
export function diffChange(doc: TextDocument, after: string): { range: Range; text: string } {
  const before = doc.getText();
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  // Never split a surrogate pair or a CRLF: the client would not.
  const isLow = (s: string, i: number) => i > 0 && i < s.length && s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff;
  const splitsCrlf = (s: string, i: number) => i > 0 && s[i - 1] === '\r' && s[i] === '\n';
  while (start > 0 && (isLow(before, start) || isLow(after, start) || splitsCrlf(before, start) || splitsCrlf(after, start))) start--;
  while (endB < before.length && (isLow(before, endB) || splitsCrlf(before, endB))) {
    endB++;
    endA++;
  }
  return { range: { start: doc.positionAt(start), end: doc.positionAt(endB) }, text: after.slice(start, endA) };
}

/** Runs steps against a started client. Throws with every problem found (empty: all held). */
export async function runLspSteps(c: TestClient, steps: readonly LspStep[], stats: LspStats, name = 'fuzz'): Promise<string[]> {
  const problems: string[] = [];
  let rel = `${name}-0.yaml`;
  let n = 0;
  const known = new Map<string, string>(); // uri → text, for the documents the fuzzer owns
  for (const step of steps) {
    if ('open' in step.change || !known.has(c.uri(rel))) {
      const text = 'open' in step.change ? step.change.open : 'kind: ConfigMap\n';
      rel = `${name}-${++n}.yaml`;
      await c.open(rel, text);
      known.set(c.uri(rel), text);
      stats.documents++;
    } else {
      const doc = TextDocument.create(c.uri(rel), 'yaml', 0, c.text(rel));
      const next = mutate(doc.getText(), step.change.mutate);
      if (next !== doc.getText()) {
        const change = diffChange(doc, next);
        await c.edit(rel, [change]);
        // The text both sides now hold (TextDocument.update on each side; with lone CRs it may differ from `next`).
        known.set(c.uri(rel), c.text(rel));
        stats.changes++;
      }
    }
    const uri = c.uri(rel);
    const text = c.text(rel);
    const doc = TextDocument.create(uri, 'yaml', 0, text);
    for (const r of step.requests) {
      const line = doc.lineCount > 0 ? r.line % (doc.lineCount + 1) : 0;
      const position = { line, character: r.character };
      const end = { line: line + r.span, character: r.character };
      const t0 = Date.now();
      const params: Record<LspMethod, unknown> = {
        hover: { textDocument: { uri }, position },
        completion: { textDocument: { uri }, position },
        definition: { textDocument: { uri }, position },
        references: { textDocument: { uri }, position, context: { includeDeclaration: true } },
        codeAction: { textDocument: { uri }, range: { start: position, end }, context: { diagnostics: c.diagnostics.get(uri) ?? [] } },
        documentSymbol: { textDocument: { uri } },
        codeLens: { textDocument: { uri } },
      };
      let answer: unknown;
      try {
        answer = await withTimeout(c.request(`textDocument/${r.method}`, params[r.method]), 20_000, `${r.method} at ${line}:${r.character}`);
      } catch (err) {
        problems.push(`${r.method} at ${line}:${r.character} in ${rel}: ${(err as Error).message}`);
        continue;
      }
      stats.requests++;
      stats.worstMs = Math.max(stats.worstMs, Date.now() - t0);
      problems.push(...answerProblems(r.method, answer, text, uri).map((p) => `${r.method} at ${line}:${r.character} in ${rel}: ${p}`));
    }
  }
  // Diagnostics published for the fuzzed documents lie inside them (after the last lint pass).
  try {
    await withTimeout(c.request('opex/lintWorkspace', { rescan: false }), 60_000, 'opex/lintWorkspace');
  } catch (err) {
    problems.push((err as Error).message);
  }
  await new Promise((r) => setTimeout(r, 50));
  for (const [uri, text] of known) {
    const current = c.text(path.basename(new URL(uri).pathname));
    for (const d of c.diagnostics.get(uri) ?? []) {
      if (d.code === 'internal-error') problems.push(`internal-error in ${uri}: ${d.message}`);
      const p = rangeProblem(current ?? text, d.range);
      if (p) problems.push(`diagnostic ${d.code} in ${path.basename(uri)}: ${p}`);
    }
  }
  const failures = c.logs.filter((l) => /failed|unexpected error/i.test(l));
  problems.push(...failures.map((l) => `server log: ${l.slice(0, 600)}`));
  if (c.proc.exitCode !== null) problems.push(`the server exited (${c.proc.exitCode}): ${c.stderr.slice(-500)}`);
  return problems;
}

function answerProblems(method: LspMethod, answer: unknown, text: string, uri: string): string[] {
  const out: string[] = [];
  const check = (r: Range | undefined, what: string) => {
    if (!r) return;
    const p = rangeProblem(text, r);
    if (p) out.push(`${what}: ${p}`);
  };
  if (method === 'hover' && answer) check((answer as { range?: Range }).range, 'hover range');
  if (method === 'codeAction' && Array.isArray(answer)) {
    for (const a of answer as CodeAction[]) {
      for (const d of (a.diagnostics ?? []) as Diagnostic[]) check(d.range, `action ${a.title} diagnostic`);
      const edits = a.edit ? editsByUri(a.edit as WorkspaceEdit).get(uri) ?? [] : [];
      for (const e of edits as TextEdit[]) check(e.range, `action ${a.title} edit`);
    }
  }
  if (method === 'completion' && answer) {
    const items = Array.isArray(answer) ? answer : (answer as { items?: unknown[] }).items ?? [];
    for (const item of items as Array<{ textEdit?: { range?: Range; insert?: Range; replace?: Range } }>) {
      check(item.textEdit?.range ?? item.textEdit?.replace, 'completion edit');
    }
  }
  if (method === 'documentSymbol' && Array.isArray(answer)) {
    const walk = (list: Array<{ range?: Range; selectionRange?: Range; children?: unknown[] }>) => {
      for (const s of list) {
        check(s.range, 'symbol range');
        check(s.selectionRange, 'symbol selection');
        if (s.children) walk(s.children as typeof list);
      }
    };
    walk(answer as Array<{ range?: Range }>);
  }
  if (method === 'codeLens' && Array.isArray(answer)) for (const l of answer as Array<{ range: Range }>) check(l.range, 'lens');
  return out;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms))),
  ]);
}
