/**
 * Text edits computed from the YAML syntax tree, so that fixes keep comments, key order, quoting and
 * indentation: only the bytes of the node being changed (or the lines being added) differ.
 */
import * as YAML from 'yaml';
import type { NodePath } from './resource';
import type { Resource } from './resource';
import { comparePos, type LineMap } from './text';
import type { Fix, TextEdit } from './types';

/** Strings that YAML 1.1 (kubectl) or 1.2 would read as something else than a string. */
const NEEDS_QUOTES = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d+:\d+(?::\d+)*)$/;

/** A scalar as YAML text that every reader (YAML 1.1 or 1.2) reads back as the same value. */
export function scalarText(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (value === '' || NEEDS_QUOTES.test(value) || value.includes('*') || /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$|: ?$|[\n\t]/.test(value) || value.includes(': ') || value.includes(' #')) {
    return JSON.stringify(value);
  }
  return value;
}

/** The indentation step of a document: the smallest indent of a nested key, else 2. */
export function indentUnit(lines: LineMap): number {
  let unit = Infinity;
  for (let i = 0; i < lines.lineCount && i < 400; i++) {
    const m = /^( +)[^\s#-]/.exec(lines.lineText(i));
    if (m && m[1].length < unit) unit = m[1].length;
  }
  return Number.isFinite(unit) && unit <= 8 ? unit : 2;
}

/** The YAML text of a value placed under a key/dash at `indent` spaces (block style, one item per line). */
function blockLines(value: unknown, indent: number, unit: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (item !== null && typeof item === 'object') {
        const inner = blockLines(item, indent + 2, unit);
        inner[0] = `${pad}- ${inner[0].trimStart()}`;
        return inner;
      }
      return [`${pad}- ${scalarText(item as string)}`];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
        return [`${pad}${scalarText(k)}:`, ...blockLines(v, indent + unit, unit)];
      }
      if (Array.isArray(v)) return [`${pad}${scalarText(k)}: []`];
      if (v !== null && typeof v === 'object') return [`${pad}${scalarText(k)}: {}`];
      return [`${pad}${scalarText(k)}: ${scalarText(v as string)}`];
    });
  }
  return [`${pad}${scalarText(value as string)}`];
}

/** The indentation column of an offset: a byte order mark before the first line is no indentation. */
function column(lines: LineMap, offset: number): number {
  const pos = lines.position(offset);
  return pos.line === 0 && pos.character > 0 && lines.text.charCodeAt(0) === 0xfeff ? pos.character - 1 : pos.character;
}

/**
 * Where a node starts with its anchor, tag or explicit-key indicator (`&a app: x`, `!!str key`, `? key`): a node's
 * range starts after them, but text inserted before the node must go before them, or it takes them over.
 */
export function startWithProps(lines: LineMap, node: YAML.Node): number {
  const start = node.range![0];
  const before = lines.text.slice(start - lines.position(start).character, start);
  // Properties follow a space or the line's start; an empty node may follow its tag directly (`key: !`).
  const props = /(?:^|\s)((?:(?:[&!][^\s]*|\?)(?:[ \t]+|$))+)$/.exec(before);
  return props ? start - props[1].length : start;
}

/** The column of a block map's keys: its range starts at its first key, after that key's anchor or tag. */
function mapColumn(lines: LineMap, node: YAML.YAMLMap): number {
  const first = node.items[0];
  const key = first && YAML.isNode(first.key) && first.key.range ? first.key : node;
  return column(lines, startWithProps(lines, key));
}

/** End of the last line holding content of a node (before its trailing newline and comments). */
function contentEnd(lines: LineMap, node: YAML.Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(lines.text[end - 1])) end--;
  return lines.lineEnd(lines.position(end).line);
}

function insertAt(res: Resource, offset: number, text: string): TextEdit {
  const pos = res.lines.position(offset);
  return { file: res.file, range: { start: pos, end: pos }, newText: text };
}

/** Replaces a scalar value in place (the new text is YAML as given, e.g. `"Off"` or `720h`). */
export function replaceValue(res: Resource, path: NodePath, newText: string): TextEdit | undefined {
  const l = res.lookup(path);
  if (!l.found || !l.node?.range) return undefined;
  const range = res.nodeRange(l.node);
  // A tag goes with the value it types (`!!int 3`, a bare `!`): text written after it would be read as part of the
  // tag (`!task-api`) and the fix would grow it forever (found by fuzzing). An anchor is kept: others may refer to it.
  if (l.node.tag) {
    if (l.node.anchor) return undefined;
    return { file: res.file, range: { start: res.lines.position(startWithProps(res.lines, l.node)), end: range.end }, newText };
  }
  return { file: res.file, range, newText };
}

/**
 * Adds entries to the map at `path`, creating the map (and its missing parents) under the nearest existing
 * parent when it does not exist. Existing keys are left alone. Returns no edit when there is nothing to add
 * or the parent cannot hold the entries (not a map).
 */
export function addToMap(res: Resource, path: NodePath, entries: Record<string, unknown>): TextEdit | undefined {
  const l = res.lookup(path);
  const unit = indentUnit(res.lines);
  const eol = res.lines.eol;
  if (l.found) {
    const node = l.node;
    const existing = YAML.isMap(node) ? new Set(node.items.map((p) => String((p.key as YAML.Scalar)?.value))) : new Set<string>();
    const missing = Object.fromEntries(Object.entries(entries).filter(([k]) => !existing.has(k)));
    if (Object.keys(missing).length === 0) return undefined;
    if (YAML.isMap(node) && node.flow) {
      const close = node.range![1] - 1;
      const parts = Object.entries(missing).map(([k, v]) => `${scalarText(k)}: ${flowText(v)}`);
      const sep = node.items.length > 0 ? ', ' : '';
      let at = close;
      while (at > node.range![0] && /\s/.test(res.lines.text[at - 1])) at--;
      return insertAt(res, at, sep + parts.join(', '));
    }
    if (YAML.isMap(node) && node.items.length > 0) {
      // Complex or explicit (`? key`) keys: where a new line would land is anyone's guess; no fix rather than a wrong one.
      if (node.items.some((p) => !YAML.isScalar(p.key) || !p.key.range || /\?/.test(res.lines.text.slice(startWithProps(res.lines, p.key), p.key.range[0])))) return undefined;
      const indent = mapColumn(res.lines, node);
      return insertAt(res, contentEnd(res.lines, node), eol + blockLines(missing, indent, unit).join(eol));
    }
    if (isEmptyValue(node) && l.key?.range) {
      return fillEmptyValue(res, l.key, node, missing, unit);
    }
    return undefined;
  }
  // Build the missing part of the path as nested maps under the deepest existing map.
  const rest = path.slice(l.depth);
  if (rest.some((seg) => typeof seg === 'number')) return undefined;
  let nested: Record<string, unknown> = entries;
  for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
  return addToMap(res, path.slice(0, l.depth), { [rest[0] as string]: nested });
}

/** No value written at all (`key:`); a quoted empty string (`key: ''`) is a value, not a place to fill. */
function isEmptyValue(node: YAML.Node | null): boolean {
  // A tag or an anchor with nothing after it (`key: !`, `key: &a`) is written there too: filling it moves it.
  return node === null || (YAML.isScalar(node) && (node.value === null || node.value === '') && node.source === '' && node.type !== 'QUOTE_SINGLE' && node.type !== 'QUOTE_DOUBLE' && !node.tag && !node.anchor);
}

function fillEmptyValue(res: Resource, key: YAML.Node, value: YAML.Node | null, entries: Record<string, unknown>, unit: number): TextEdit {
  const indent = column(res.lines, startWithProps(res.lines, key)) + unit;
  const eol = res.lines.eol;
  const keyLine = res.lines.position(key.range![0]).line;
  const at = value?.range ? value.range[0] : res.lines.lineEnd(keyLine);
  // Keep a trailing comment on the key's line where it is: insert at its line end.
  return insertAt(res, Math.max(at, res.lines.lineEnd(keyLine)), eol + blockLines(entries, indent, unit).join(eol));
}

function flowText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flowText).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${scalarText(k)}: ${flowText(x)}`).join(', ')}}`;
  }
  return scalarText(v as string);
}

/** Appends an item to the sequence at `path`; creates `key: [item]` as a block sequence when the key is missing. */
export function appendToSeq(res: Resource, path: NodePath, item: unknown): TextEdit | undefined {
  const l = res.lookup(path);
  const unit = indentUnit(res.lines);
  const eol = res.lines.eol;
  if (!l.found) {
    if (l.depth !== path.length - 1) return undefined;
    return addToMap(res, path.slice(0, -1), { [path[path.length - 1] as string]: [item] });
  }
  const node = l.node;
  if (YAML.isSeq(node) && node.flow) {
    let at = node.range![1] - 1;
    while (at > node.range![0] && /\s/.test(res.lines.text[at - 1])) at--;
    return insertAt(res, at, (node.items.length > 0 ? ', ' : '') + flowText(item));
  }
  if (YAML.isSeq(node) && node.items.length > 0) {
    // A block sequence's range starts at its first dash, whose column is the sequence's indent.
    const itemLines = blockLines([item], column(res.lines, node.range![0]), unit);
    return insertAt(res, contentEnd(res.lines, node), eol + itemLines.join(eol));
  }
  if (isEmptyValue(node) && l.key?.range) {
    const indent = column(res.lines, startWithProps(res.lines, l.key)) + unit;
    const keyLine = res.lines.position(l.key.range[0]).line;
    return insertAt(res, res.lines.lineEnd(keyLine), eol + blockLines([item], indent, unit).join(eol));
  }
  return undefined;
}

/** Removes one item of a sequence: its whole lines for a block sequence, the element and a comma for a flow one. */
export function removeSeqItem(res: Resource, path: NodePath, index: number): TextEdit | undefined {
  const l = res.lookup(path);
  if (!l.found || !YAML.isSeq(l.node)) return undefined;
  const seq = l.node;
  const item = seq.items[index] as YAML.Node | undefined;
  if (!item?.range) return undefined;
  const lines = res.lines;
  if (seq.flow) {
    const next = seq.items[index + 1] as YAML.Node | undefined;
    const prev = seq.items[index - 1] as YAML.Node | undefined;
    if (next?.range) return { file: res.file, range: lines.range(item.range[0], next.range[0]), newText: '' };
    if (prev?.range) return { file: res.file, range: lines.range(prev.range[1], item.range[1]), newText: '' };
    return { file: res.file, range: lines.range(item.range[0], item.range[1]), newText: '' };
  }
  if (seq.items.length === 1) return undefined;
  const startLine = lines.position(item.range[0]).line;
  const endLine = lines.position(contentEnd(lines, item)).line;
  const start = lines.lineStarts[startLine];
  const end = endLine + 1 < lines.lineCount ? lines.lineStarts[endLine + 1] : lines.text.length;
  return { file: res.file, range: lines.range(start, end), newText: '' };
}

/**
 * The edits of several fixes that can be applied in one go, taking whole fixes only. A fix is left for a later
 * pass when one of its edits overlaps an edit already taken or inserts at the same point as one: two fixes that
 * each add a missing parent (`template:` for a ttl, `template:` for hooks) would otherwise write it twice. Identical
 * edits (one fix offered by two diagnostics) are taken once. Applying the rest in a second pass gives the result.
 */
export function combineFixes(fixes: ReadonlyArray<Fix | undefined>): { edits: TextEdit[]; applied: Fix[] } {
  const taken: TextEdit[] = [];
  const applied: Fix[] = [];
  const same = (a: TextEdit, b: TextEdit) => a.file === b.file && a.newText === b.newText && comparePos(a.range.start, b.range.start) === 0 && comparePos(a.range.end, b.range.end) === 0;
  const clash = (a: TextEdit, b: TextEdit) => {
    if (a.file !== b.file) return false;
    const aInsert = comparePos(a.range.start, a.range.end) === 0;
    const bInsert = comparePos(b.range.start, b.range.end) === 0;
    if (aInsert && bInsert) return comparePos(a.range.start, b.range.start) === 0;
    return comparePos(a.range.start, b.range.end) < 0 && comparePos(b.range.start, a.range.end) < 0;
  };
  for (const fix of fixes) {
    if (!fix || fix.edits.length === 0) continue;
    const fresh = fix.edits.filter((e) => !taken.some((t) => same(t, e)));
    if (fresh.some((e) => taken.some((t) => clash(t, e)))) continue;
    taken.push(...fresh);
    applied.push(fix);
  }
  return { edits: taken, applied };
}

/** Applies edits to one text. Edits must not overlap; they are applied from the end backwards. */
export function applyEdits(text: string, lines: LineMap, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) continue; // overlapping: keep the later edit only; the next --fix pass picks the rest up
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}
