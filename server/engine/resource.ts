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

/**
 * The YAML documents of one file (syntax trees with node ranges), parsed again from the text when needed. A workspace
 * keeps the trees of the files used last (setSyntaxTreeLimit) and lets the garbage collector take the others, since
 * the text and the plain data stay: 5,000 files need not hold 40 MB of trees that only a hover, a fix or a range
 * needs again. The same text parses to the same trees (node ranges and types), so a tree parsed again serves exactly
 * as the first one did.
 */
export class DocumentSource {
  private strong: YAML.Document.Parsed[] | undefined;
  private weak: WeakRef<YAML.Document.Parsed[]> | undefined;

  constructor(
    private readonly parse: () => YAML.Document.Parsed[],
    docs: YAML.Document.Parsed[],
  ) {
    this.strong = docs;
    recentlyUsed(this);
  }

  get(): YAML.Document.Parsed[] {
    let docs = this.strong;
    if (!docs) {
      docs = this.weak?.deref() ?? this.parse();
      this.strong = docs;
      this.weak = undefined;
    }
    if (lastUsed !== this) recentlyUsed(this);
    return docs;
  }

  /** Keeps the trees only as long as something else does. */
  release(): void {
    holding.delete(this);
    if (!this.strong) return;
    this.weak = new WeakRef(this.strong);
    this.strong = undefined;
  }
}

let treeLimit = Infinity;
let lastUsed: DocumentSource | undefined;
/** Sources holding their trees, least recently used first. */
const holding = new Map<DocumentSource, true>();

function recentlyUsed(source: DocumentSource): void {
  lastUsed = source;
  if (treeLimit === Infinity) return;
  holding.delete(source);
  holding.set(source, true);
  evict();
}

function evict(): void {
  while (holding.size > treeLimit) {
    const oldest = holding.keys().next().value as DocumentSource;
    holding.delete(oldest);
    oldest.release();
  }
}

/**
 * How many files keep their syntax trees from now on (the most recently used ones); the others are parsed again when
 * needed. Infinity (the default, for the CLI and tests) keeps every tree. Trees held before the limit was set are
 * dropped with Resource.releaseSyntaxTree.
 */
export function setSyntaxTreeLimit(limit: number): void {
  treeLimit = limit;
  if (limit === Infinity) holding.clear();
  else evict();
}

/** One Kubernetes object: a YAML document with apiVersion, kind and metadata.name. */
export class Resource {
  /** The namespace Kubernetes would use; set by the workspace index (metadata.namespace, kustomization, or default). */
  namespace: string;
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly file: string,
    /** Index of this document within its file. */
    readonly docIndex: number,
    /** The documents of its file (see DocumentSource). */
    private readonly source: DocumentSource,
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

  /** Lets the garbage collector take the syntax trees of this resource's file (parsed again when needed). */
  releaseSyntaxTree(): void {
    this.source.release();
  }

  /** The YAML document of this object (its syntax tree, with the range of every node). */
  get doc(): YAML.Document.Parsed {
    return this.source.get()[this.docIndex];
  }

  /** The YAML node of this object (the document's root, or its item of a List). */
  get rootNode(): YAML.Node | null {
    const doc = this.doc;
    let node: YAML.Node | null = resolveAlias(doc, doc.contents as YAML.Node | null);
    for (const seg of this.base) node = childOf(doc, node, seg)?.value ?? null;
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
    const doc = this.doc;
    let node: YAML.Node | null = this.rootNode;
    let key: YAML.Node | null = null;
    let depth = 0;
    for (const seg of path) {
      const next = childOf(doc, node, seg);
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
