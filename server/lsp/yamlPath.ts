/**
 * Where the cursor is in a YAML file: the node under it in the syntax tree (hover, definition) and, for text
 * that does not parse while it is being typed, the key path read from indentation (completion).
 */
import * as YAML from 'yaml';
import type { ParsedFile } from '../engine/parse';
import type { NodePath, PathSegment } from '../engine/resource';
import type { Resource } from '../engine/resource';
import { LineMap } from '../engine/text';
import type { Position, Range } from '../engine/types';

export interface Located {
  resource: Resource;
  /** Path of the node under the cursor (for a key: the path of its value). */
  path: PathSegment[];
  /** Whether the cursor is on a key or on a value (a scalar, or inside a collection between entries). */
  part: 'key' | 'value';
  /** The scalar under the cursor, when it is one (the key's scalar for part 'key'). */
  scalar?: YAML.Scalar;
  /** Range of the key or value under the cursor. */
  range: Range;
}

function contains(node: YAML.Node | null | undefined, offset: number): boolean {
  return Boolean(node?.range && node.range[0] <= offset && offset <= node.range[1]);
}

/** The resource (document) at an offset of a parsed file. */
export function resourceAt(parsed: ParsedFile, offset: number): Resource | undefined {
  return parsed.resources.find((r) => r.doc.range[0] <= offset && offset <= r.doc.range[2]);
}

export interface Walked {
  path: PathSegment[];
  part: 'key' | 'value';
  /** The scalar under the offset (the key's scalar for part 'key'). */
  scalar?: YAML.Scalar;
  /** The key or value node under the offset (a collection when the offset is between its entries). */
  node: YAML.Node;
}

/** The deepest node of a YAML document at an offset, and its path. */
export function walkTo(doc: YAML.Document, offset: number): Walked | undefined {
  const path: PathSegment[] = [];
  let node = doc.contents as YAML.Node | null;
  for (let depth = 0; node && depth < 200; depth++) {
    if (YAML.isMap(node)) {
      let next: YAML.Node | null = null;
      for (const pair of node.items) {
        const key = pair.key as YAML.Node | null;
        const value = pair.value as YAML.Node | null;
        if (YAML.isScalar(key) && contains(key, offset)) {
          path.push(String(key.value));
          return { path, part: 'key', scalar: key, node: key };
        }
        if (contains(value, offset) && YAML.isScalar(key)) {
          path.push(String(key.value));
          next = value;
          break;
        }
      }
      if (!next) return { path, part: 'value', node };
      node = next;
    } else if (YAML.isSeq(node)) {
      const i = node.items.findIndex((item) => contains(item as YAML.Node, offset));
      if (i < 0) return { path, part: 'value', node };
      path.push(i);
      node = node.items[i] as YAML.Node;
    } else if (YAML.isScalar(node)) {
      return { path, part: 'value', scalar: node, node };
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The node under a position, by the syntax tree of the indexed text. */
export function locate(parsed: ParsedFile, pos: Position): Located | undefined {
  const offset = parsed.lines.offset(pos);
  const res = resourceAt(parsed, offset);
  if (!res) return undefined;
  const w = walkTo(res.doc, offset);
  if (!w) return undefined;
  return { resource: res, path: w.path, part: w.part, scalar: w.scalar, range: res.nodeRange(w.node) };
}

/** Does a path match a pattern, where '*' matches any one segment (a sequence index or a key)? */
export function pathMatches(path: readonly PathSegment[], pattern: readonly (string | number)[]): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((p, i) => p === '*' || String(p) === String(path[i]));
}

/** Does a path end with the given segments ('*' matches any)? */
export function pathEndsWith(path: readonly PathSegment[], suffix: readonly (string | number)[]): boolean {
  if (path.length < suffix.length) return false;
  return pathMatches(path.slice(path.length - suffix.length), suffix);
}

// ---- text-based context for completion ---------------------------------------------------------------------

export interface CompletionContext {
  /**
   * 'key': typing a key of a map; 'value': typing the value of `key:`; 'item': typing a scalar item of a block
   * sequence (or the first key of a new item map).
   */
  kind: 'key' | 'value' | 'item';
  /**
   * Keys from the document root to the map (key/value) or sequence (item) the cursor is in; sequence items are
   * numbers. For 'value' the path ends with the key whose value is typed.
   */
  path: PathSegment[];
  /** The text typed so far (quotes included). */
  prefix: string;
  /** The text to replace: the token under the cursor, from its start to its end. */
  range: Range;
  /** Keys already present in the map the cursor is in ('key'), or beside the key ('value'), with their values. */
  siblings: Record<string, string>;
  /** The document: its first and last line and its top-level kind/apiVersion/namespace as written. */
  doc: { startLine: number; endLine: number; kind?: string; apiVersion?: string; namespace?: string };
}

interface LineInfo {
  blank: boolean;
  /** Columns of the `- ` markers at the start of the line. */
  dashes: number[];
  /** Column where the content after the markers starts. */
  col: number;
  /** A key at `col`, when the content is `key:` or `key: value`. */
  key?: string;
  /** The value text after `key:` (trimmed, comment removed). */
  value?: string;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:,[\]{}][^#]*?|-[^\s#][^#]*?)\s*:(?:\s+(.*?))?\s*$/;

function unquote(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === "'" && s.endsWith("'")))) return s.slice(1, -1);
  return s;
}

function stripComment(v: string): string {
  const m = /(^|\s)#/.exec(v);
  return (m ? v.slice(0, m.index) : v).trim();
}

function analyse(text: string): LineInfo {
  let i = 0;
  while (i < text.length && text[i] === ' ') i++;
  if (i === text.length || text[i] === '#') return { blank: true, dashes: [], col: i };
  const dashes: number[] = [];
  while (text[i] === '-' && (i + 1 === text.length || text[i + 1] === ' ')) {
    dashes.push(i);
    i++;
    while (text[i] === ' ') i++;
  }
  const content = text.slice(i);
  const m = KEY_RE.exec(content);
  if (m && !content.startsWith('---')) return { blank: false, dashes, col: i, key: unquote(m[1].trim()), value: m[2] === undefined ? '' : stripComment(m[2]) };
  return { blank: false, dashes, col: i };
}

function isDocMarker(text: string): boolean {
  return /^(---|\.\.\.)(\s|$)/.test(text);
}

/**
 * The completion context at a position, from indentation alone: it works on the half-typed text that does not
 * parse yet. Flow collections (`{a: b}`) are not followed.
 */
export function completionContext(text: string, pos: Position): CompletionContext | undefined {
  const lines = new LineMap(text);
  if (pos.line >= lines.lineCount) return undefined;
  const full = lines.lineText(pos.line);
  const before = full.slice(0, pos.character);
  if (/(^|\s)#/.test(before.replace(/"[^"]*"|'[^']*'/g, '""'))) return undefined; // in a comment
  if (isDocMarker(full)) return undefined;

  let docStart = 0;
  for (let l = pos.line - 1; l >= 0; l--) {
    if (isDocMarker(lines.lineText(l))) {
      docStart = l + 1;
      break;
    }
  }
  let docEnd = lines.lineCount - 1;
  for (let l = pos.line + 1; l < lines.lineCount; l++) {
    if (isDocMarker(lines.lineText(l))) {
      docEnd = l - 1;
      break;
    }
  }

  const cur = analyse(before);
  let kind: CompletionContext['kind'];
  let tail: PathSegment[] = [];
  let prefix: string;
  let tokenStart: number;
  let levelCol: number;
  let levelIsItem: boolean;
  const m = cur.blank ? null : KEY_RE.exec(before.slice(cur.col));
  const afterColon = m && /:\s/.test(before.slice(cur.col) + ' ') && (m[2] !== undefined || /:\s*$/.test(before));
  if (m && afterColon && /:\s+/.test(before.slice(cur.col))) {
    kind = 'value';
    const key = unquote(m[1].trim());
    tail = [key];
    const colon = before.indexOf(':', cur.col + m[1].length);
    tokenStart = colon + 1;
    while (tokenStart < before.length && before[tokenStart] === ' ') tokenStart++;
    prefix = before.slice(tokenStart);
    if (/\s/.test(prefix.replace(/^"[^"]*"?|^'[^']*'?/, ''))) return undefined; // past the value
    levelCol = cur.col;
    levelIsItem = false;
  } else if (cur.dashes.length > 0 && !before.slice(cur.col).includes(':')) {
    kind = 'item';
    tokenStart = cur.col;
    prefix = before.slice(cur.col);
    levelCol = cur.dashes[cur.dashes.length - 1];
    levelIsItem = true;
  } else if (!before.slice(cur.col).includes(':')) {
    kind = 'key';
    tokenStart = cur.col;
    prefix = before.slice(cur.col);
    levelCol = cur.col;
    levelIsItem = false;
  } else {
    return undefined;
  }
  if (/^\s*$/.test(before) && !cur.dashes.length) {
    // An empty line: the map is the one at the cursor's column.
    levelCol = pos.character;
    tokenStart = pos.character;
    prefix = '';
  }

  // The end of the token under the cursor (a word, or a quoted string).
  let tokenEnd = pos.character;
  const rest = full.slice(pos.character);
  const q = prefix.startsWith('"') ? '"' : prefix.startsWith("'") ? "'" : '';
  if (q && !(prefix.length > 1 && prefix.endsWith(q))) {
    const close = rest.indexOf(q);
    tokenEnd += close >= 0 ? close + 1 : /^[^#]*/.exec(rest)![0].trimEnd().length;
  } else if (!q) {
    tokenEnd += (kind === 'key' ? /^[^\s:#]*/ : /^[^\s#]*/).exec(rest)![0].length;
  }

  // The dashes on the cursor's own line: in a value or key context, the map is an item of those sequences.
  const path: PathSegment[] = [];
  const itemsOnLine = kind === 'item' ? cur.dashes.slice(0, -1) : cur.dashes;
  if (kind !== 'item' && cur.dashes.length > 0) {
    levelCol = cur.dashes[cur.dashes.length - 1];
    levelIsItem = true;
    for (let k = itemsOnLine.length - 1; k > 0; k--) path.unshift(0);
  }
  const siblings: Record<string, string> = {};
  const walk = walkUp(lines, pos.line, docStart, levelCol, levelIsItem, kind !== 'item' && cur.dashes.length === 0 ? siblings : undefined);
  path.unshift(...walk.path);
  if (kind !== 'item' && cur.dashes.length > 0) path.push(walk.itemIndex);
  // Keys of the same map below the cursor.
  const mapCol = kind === 'item' ? -1 : cur.dashes.length > 0 ? cur.col : levelCol;
  if (mapCol >= 0) collectBelow(lines, pos.line, docEnd, mapCol, siblings);
  if (kind === 'item') path.push(walk.itemIndex);
  path.push(...tail);
  if (kind === 'item') path.pop();

  const doc: CompletionContext['doc'] = { startLine: docStart, endLine: docEnd };
  let inMetadata = false;
  for (let l = docStart; l <= docEnd; l++) {
    if (l === pos.line) continue;
    const info = analyse(lines.lineText(l));
    if (info.blank || info.dashes.length) continue;
    if (info.col === 0) {
      inMetadata = info.key === 'metadata';
      if (info.key === 'kind' && info.value) doc.kind = unquote(info.value);
      if (info.key === 'apiVersion' && info.value) doc.apiVersion = unquote(info.value);
    } else if (inMetadata && info.key === 'namespace' && info.value && doc.namespace === undefined) {
      doc.namespace = unquote(info.value);
    }
  }
  return {
    kind,
    path,
    prefix,
    range: { start: { line: pos.line, character: tokenStart }, end: { line: pos.line, character: Math.max(tokenEnd, pos.character) } },
    siblings,
    doc,
  };
}

/**
 * Walks up from a line to find the keys that hold the node at `col`: a map's keys at `col` (levelIsItem false)
 * or a sequence whose dashes are at `col` (levelIsItem true).
 */
function walkUp(lines: LineMap, fromLine: number, docStart: number, col: number, levelIsItem: boolean, siblings?: Record<string, string>): { path: PathSegment[]; itemIndex: number } {
  const path: PathSegment[] = [];
  let itemIndex = 0;
  let firstLevel = true;
  let needCol = col;
  let isItem = levelIsItem;
  let count = 0;
  for (let l = fromLine - 1; l >= docStart; l--) {
    const info = analyse(lines.lineText(l));
    if (info.blank) continue;
    if (isItem) {
      // Looking for sibling dashes at needCol, or the key that owns the sequence.
      if (info.dashes.includes(needCol)) {
        count++;
        continue;
      }
      const keyCol = info.col;
      if (info.key !== undefined && info.value === '' && (keyCol < needCol || (keyCol === needCol && info.dashes.length === 0))) {
        if (firstLevel) itemIndex = count;
        else path.unshift(count);
        firstLevel = false;
        count = 0;
        path.unshift(info.key);
        ({ needCol, isItem } = ownerOf(info, path));
        continue;
      }
      const minCol = info.dashes.length ? info.dashes[0] : info.col;
      if (minCol < needCol) break; // something else holds us: give up here
    } else {
      // Looking for the key (at a smaller column) whose value is this map; siblings at needCol are skipped.
      const lineMin = info.dashes.length ? info.dashes[0] : info.col;
      if (info.col === needCol && info.key !== undefined) {
        if (siblings && firstLevel) siblings[info.key] = unquote(info.value ?? '');
        if (info.dashes.length > 0) {
          // The first key of an item map: the map is an item of the sequence at the last dash.
          firstLevel = false;
          const last = info.dashes[info.dashes.length - 1];
          for (let k = info.dashes.length - 1; k > 0; k--) path.unshift(0);
          needCol = last;
          isItem = true;
          count = 0;
        }
        continue;
      }
      if (lineMin >= needCol) continue; // deeper content
      if (info.key !== undefined && info.col < needCol && info.value === '') {
        firstLevel = false;
        path.unshift(info.key);
        ({ needCol, isItem } = ownerOf(info, path));
        continue;
      }
      break;
    }
  }
  if (isItem && !firstLevel) path.unshift(count);
  return { path, itemIndex };
}

/** After a key was found on a line: what holds that line's map (another map at its column, or its dashes). */
function ownerOf(info: LineInfo, path: PathSegment[]): { needCol: number; isItem: boolean } {
  if (info.dashes.length > 0) {
    for (let k = info.dashes.length - 1; k > 0; k--) path.unshift(0);
    return { needCol: info.dashes[info.dashes.length - 1], isItem: true };
  }
  return { needCol: info.col, isItem: false };
}

function collectBelow(lines: LineMap, fromLine: number, docEnd: number, col: number, siblings: Record<string, string>): void {
  for (let l = fromLine + 1; l <= docEnd; l++) {
    const info = analyse(lines.lineText(l));
    if (info.blank) continue;
    const lineMin = info.dashes.length ? info.dashes[0] : info.col;
    if (lineMin < col) return;
    if (info.col === col && info.dashes.length === 0 && info.key !== undefined) siblings[info.key] = unquote(info.value ?? '');
  }
}

export type { NodePath };
