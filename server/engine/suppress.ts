import type { ParsedFile } from './parse';
import type { Resource } from './resource';
import type { Diagnostic } from './types';

/**
 * Suppressions written by users:
 * - `# opex-ignore <rule-id>[, <rule-id>…][: reason]` at the end of a line: that line;
 * - the same comment on a line of its own: the next line with content; placed before a document's first
 *   content line (its header), the whole document;
 * - the annotation `opex.dev/ignore: "<rule-id>,…"` on an object: that object.
 */
export const IGNORE_ANNOTATION = 'opex.dev/ignore';
const COMMENT = /#\s*opex-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

interface Span {
  startLine: number;
  endLine: number;
  rules: Set<string>;
}

export function suppressionSpans(file: ParsedFile): Span[] {
  const spans: Span[] = [];
  const { lines } = file;
  const text = file.text;
  if (!text.includes('opex-ignore') && !text.includes(IGNORE_ANNOTATION)) return spans;
  const docStarts = file.resources.map((r) => ({ first: lines.position((r.doc.contents?.range ?? r.doc.range)[0]).line, res: r }));
  for (let line = 0; line < lines.lineCount; line++) {
    const content = lines.lineText(line);
    const m = COMMENT.exec(content);
    if (!m) continue;
    const rules = new Set(m[1].split(',').map((s) => s.trim()));
    const before = content.slice(0, m.index);
    if (before.trim() !== '' && !before.trimEnd().endsWith('#')) {
      spans.push({ startLine: line, endLine: line, rules });
      continue;
    }
    let next = line + 1;
    while (next < lines.lineCount && /^\s*(#.*)?$/.test(lines.lineText(next))) next++;
    const header = docStarts.find((d) => d.first === next && isDocumentHeader(lines.lineText.bind(lines), line, next));
    if (header) {
      spans.push({ startLine: header.first, endLine: lines.position(header.res.doc.range[1]).line, rules });
    } else {
      spans.push({ startLine: next, endLine: next, rules });
    }
  }
  for (const res of file.resources) {
    const ann = annotationRules(res);
    if (ann.size > 0) {
      spans.push({ startLine: lines.position(res.doc.range[0]).line, endLine: lines.position(res.doc.range[1]).line, rules: ann });
    }
  }
  return spans;
}

/** A comment block right before the document's first line with nothing but comments or `---` between. */
function isDocumentHeader(lineText: (l: number) => string, commentLine: number, firstLine: number): boolean {
  for (let l = commentLine - 1; l >= 0; l--) {
    const t = lineText(l).trim();
    if (t === '' || t.startsWith('#')) continue;
    return t === '---' || t.startsWith('--- ');
  }
  return commentLine < firstLine;
}

function annotationRules(res: Resource): Set<string> {
  const v = res.get(['metadata', 'annotations', IGNORE_ANNOTATION]);
  if (typeof v !== 'string') return new Set();
  return new Set(v.split(',').map((s) => s.trim()).filter(Boolean));
}

export function isSuppressed(d: Diagnostic, spans: readonly Span[]): boolean {
  const line = d.range.start.line;
  return spans.some((s) => line >= s.startLine && line <= s.endLine && (s.rules.has(d.ruleId) || s.rules.has('all')));
}
