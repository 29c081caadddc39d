import * as YAML from 'yaml';
import type { LineMap } from './text';
import type { Range } from './types';

export type PathSegment = string | number;
export type NodePath = readonly PathSegment[];

/** Where a path ends in the YAML tree: the node found for its longest existing prefix. */
export interface NodeLookup {
  /** True when the whole path exists. */
  found: boolean;
  /** How many segments of the path were found. */
  depth: number;
  /** The value node at `depth` (for depth 0, the document's root collection). */
  node: YAML.Node | null;
  /** The key node of the pair holding `node`, when it is a map entry. */
  key: YAML.Node | null;
}

/** The maximum number of alias expansions in one document, so that an alias bomb cannot exhaust memory. */
export const MAX_ALIAS_COUNT = 1000;

/** One Kubernetes object: a YAML document with apiVersion, kind and metadata.name. */
export class Resource {
  /** The namespace Kubernetes would use; set by the workspace index (metadata.namespace, kustomization, or default). */
  namespace: string;
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly file: string,
    /** Index of this document within its file. */
    readonly docIndex: number,
    readonly doc: YAML.Document.Parsed,
    readonly lines: LineMap,
    /** The document as plain data (YAML 1.2 core schema with merge keys, as opex reads it). */
    readonly value: Record<string, any>,
    readonly apiVersion: string,
    readonly kind: string,
    readonly name: string,
    /** metadata.namespace as written, if any. */
    readonly declaredNamespace: string | undefined,
    /** Where the object sits in its document: [] for a document of its own, ['items', i] inside a `kind: List`. */
    readonly base: NodePath = [],
  ) {
    this.namespace = declaredNamespace ?? 'default';
  }

  /** The YAML node of this object (the document's root, or its item of a List). */
  get rootNode(): YAML.Node | null {
    let node: YAML.Node | null = resolveAlias(this.doc, this.doc.contents as YAML.Node | null);
    for (const seg of this.base) node = childOf(this.doc, node, seg)?.value ?? null;
    return node;
  }

  /** `Kind namespace/name`, as people write it. */
  get id(): string {
    return `${this.kind} ${this.namespace}/${this.name}`;
  }

  /** API group of apiVersion ('' for the core group). */
  get group(): string {
    const slash = this.apiVersion.indexOf('/');
    return slash < 0 ? '' : this.apiVersion.slice(0, slash);
  }

  /** Caches a value derived from this resource (models, schema results). Resources are immutable. */
  derive<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }

  get(path: NodePath): any {
    let cur: any = this.value;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = cur[seg as any];
    }
    return cur;
  }

  lookup(path: NodePath): NodeLookup {
    let node: YAML.Node | null = this.rootNode;
    let key: YAML.Node | null = null;
    let depth = 0;
    for (const seg of path) {
      const next = childOf(this.doc, node, seg);
      if (!next) break;
      node = next.value;
      key = next.key;
      depth++;
    }
    return { found: depth === path.length, depth, node, key };
  }

  /**
   * The range to report for a path. When the whole path exists: its value (or its key with part 'key').
   * When it does not, the key of the nearest existing parent, per the convention "missing keys are
   * reported on the nearest parent key that exists".
   */
  rangeOf(path: NodePath, part: 'key' | 'value' = 'value'): Range {
    const l = this.lookup(path);
    if (l.found && part === 'value' && l.node && !YAML.isCollection(l.node)) return this.nodeRange(l.node);
    if (l.key) return this.nodeRange(l.key);
    if (l.depth > 0 && YAML.isMap(l.node)) {
      // An item of a sequence (a container, a port): name it by its `name` key, else its first key.
      const pairs = l.node.items;
      const named = pairs.find((p) => YAML.isScalar(p.key) && p.key.value === 'name') ?? pairs[0];
      if (named && YAML.isNode(named.key)) return this.nodeRange(named.key);
    }
    if (l.depth > 0 && l.node) return this.nodeRange(l.node);
    return this.anchorRange();
  }

  /** Range of a key (map entries) or of a value (sequence items), whichever names the node best. */
  keyRange(path: NodePath): Range {
    return this.rangeOf(path, 'key');
  }

  nodeRange(node: YAML.Node): Range {
    const r = node.range;
    if (!r) return this.anchorRange();
    // A block scalar (`|`, `>-`), or a collection ending in one, includes its final line break: the node ends at its
    // last character, so that replacing it does not join the next line to it.
    let end = r[1];
    const text = this.lines.text;
    while (end > r[0] && (text[end - 1] === '\n' || text[end - 1] === '\r' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    return this.lines.range(r[0], end);
  }

  /** Where to report something about the resource as a whole: its `kind:` value, else its first line. */
  anchorRange(): Range {
    const root = this.rootNode;
    if (YAML.isMap(root)) {
      const pair = root.items.find((p) => YAML.isScalar(p.key) && p.key.value === 'kind');
      if (pair && YAML.isNode(pair.value) && pair.value.range) {
        return this.lines.range(pair.value.range[0], pair.value.range[1]);
      }
    }
    const start = this.doc.range[0];
    return this.lines.range(start, Math.max(start, this.lines.lineEnd(this.lines.position(start).line)));
  }

  /** Range of the whole document, from its first to its last content character. */
  get range(): Range {
    const r = (this.base.length > 0 ? this.rootNode?.range : undefined) ?? this.doc.range;
    return this.lines.range(r[0], r[1]);
  }
}

export function resolveAlias(doc: YAML.Document, node: YAML.Node | null | undefined): YAML.Node | null {
  let cur = node ?? null;
  for (let hops = 0; cur && YAML.isAlias(cur) && hops < 32; hops++) {
    cur = (cur.resolve(doc) as YAML.Node | undefined) ?? null;
  }
  return cur && YAML.isAlias(cur) ? null : cur;
}

function isMergeKey(key: unknown): boolean {
  return YAML.isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol');
}

function childOf(
  doc: YAML.Document,
  node: YAML.Node | null,
  seg: PathSegment,
): { key: YAML.Node | null; value: YAML.Node | null } | undefined {
  if (!node) return undefined;
  if (YAML.isMap(node)) {
    for (const pair of node.items) {
      if (YAML.isScalar(pair.key) && String(pair.key.value) === String(seg) && !isMergeKey(pair.key)) {
        return { key: pair.key, value: resolveAlias(doc, pair.value as YAML.Node | null) };
      }
    }
    for (const pair of node.items) {
      if (!isMergeKey(pair.key)) continue;
      const sources = YAML.isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const src of sources) {
        const found = childOf(doc, resolveAlias(doc, src as YAML.Node), seg);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (YAML.isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    if (item === undefined) return undefined;
    return { key: null, value: resolveAlias(doc, item as YAML.Node | null) };
  }
  return undefined;
}
