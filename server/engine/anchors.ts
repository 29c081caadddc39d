/**
 * Text that several places share through YAML anchors and aliases. A fix that edits an anchored node which an
 * alias (or a merge key, `<<: *base`) refers to changes every place that uses it, not only the one it was meant
 * for, and two rules can then undo each other's fixes forever (found by fuzzing). Such fixes are withdrawn: the
 * diagnostic stays, without a quick fix.
 */
import * as YAML from 'yaml';
import { untracked } from './deps';
import type { ParsedFile } from './parse';
import type { Fix } from './types';
import type { WorkspaceIndex } from './workspace';

interface SharedNode {
  start: number;
  end: number;
  collection: boolean;
}

const cache = new WeakMap<ParsedFile, SharedNode[]>();

/** Offsets of the nodes of a file that carry an anchor some alias of their document refers to. */
export function sharedNodes(parsed: ParsedFile): SharedNode[] {
  const cached = cache.get(parsed);
  if (cached) return cached;
  const out: SharedNode[] = [];
  if (parsed.text.includes('&')) {
    for (const doc of new Set(parsed.resources.map((r) => r.doc))) {
      const anchored: Array<{ name: string; node: YAML.Node }> = [];
      const used = new Set<string>();
      const note = (node: YAML.Node) => {
        if (node.anchor && node.range) anchored.push({ name: node.anchor, node });
      };
      YAML.visit(doc, {
        Alias: (_k, node) => void used.add(node.source),
        Scalar: (_k, node) => note(node),
        Map: (_k, node) => note(node),
        Seq: (_k, node) => note(node),
      });
      for (const { name, node } of anchored) {
        if (used.has(name)) out.push({ start: node.range![0], end: node.range![1], collection: YAML.isCollection(node) });
      }
    }
  }
  cache.set(parsed, out);
  return out;
}

/** Does an edit (offsets) change a shared node: overlap it, insert inside it, or add to a shared collection? */
function touches(n: SharedNode, start: number, end: number): boolean {
  if (start < n.end && end > n.start) return true;
  if (start === end) return n.collection ? n.start <= start && start <= n.end : n.start < start && start < n.end;
  return false;
}

/** The fix, unless one of its edits changes text that an alias shares with other places. */
export function safeFix(index: WorkspaceIndex, fix: Fix | undefined): Fix | undefined {
  if (!fix) return fix;
  for (const e of fix.edits) {
    const parsed = untracked(() => index.file(e.file));
    if (!parsed) continue;
    const shared = sharedNodes(parsed);
    if (shared.length === 0) continue;
    const start = parsed.lines.offset(e.range.start);
    const end = parsed.lines.offset(e.range.end);
    if (shared.some((n) => touches(n, start, end))) return undefined;
  }
  return fix;
}
