import * as YAML from 'yaml';
import { DocumentSource, MAX_ALIAS_COUNT, Resource } from './resource';
import { LineMap } from './text';
import type { Diagnostic } from './types';

/** A kustomization's namespace and the resources it lists (as written, relative to its folder). */
export interface KustomizationInfo {
  namespace?: string;
  resources: string[];
}

export type SkipReason = 'helm-template' | 'not-kubernetes' | 'empty';

export interface ParsedFile {
  file: string;
  text: string;
  lines: LineMap;
  resources: Resource[];
  /** yaml-syntax diagnostics: what the parser could not read. */
  syntax: Diagnostic[];
  kustomization?: KustomizationInfo;
  /** Why nothing in this file is checked, when that is so. */
  skipped?: SkipReason;
}

/** Kinds that are tool configuration, not objects sent to a cluster. */
const CONFIG_KINDS = new Set(['Kustomization', 'Component']);

/** A Go-template action only Helm/gotmpl sources have; Prometheus-style `{{ $labels.x }}` inside a string is not one. */
const HELM_ACTION = /\{\{-?\s*(?:\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|(?:include|toYaml|tpl|required|template|if|range|with|define|end)\b)/;

export function looksLikeHelmTemplate(text: string): boolean {
  if (!text.includes('{{')) return false;
  return HELM_ACTION.test(text) || /^[ \t]*\{\{-/m.test(text);
}

export function parseFile(file: string, text: string): ParsedFile {
  const lines = new LineMap(text);
  const result: ParsedFile = { file, text, lines, resources: [], syntax: [] };
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    result.syntax.push(syntaxDiagnostic(file, lines, nul, nul, 'This is not a text file (it contains NUL bytes), so it is no manifest; remove it or rename it so it does not end in .yaml.'));
    return result;
  }
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    result.syntax.push(syntaxDiagnostic(file, lines, bad, bad + 1, 'This file is not valid UTF-8 here; kubectl rejects it. Re-save the file as UTF-8.'));
    return result;
  }
  if (looksLikeHelmTemplate(text)) {
    result.skipped = 'helm-template';
    return result;
  }
  let docs: YAML.Document.Parsed[];
  let documents: DocumentSource;
  try {
    // Duplicate keys are found by checkStructure in linear time: the parser's own check is quadratic in the size of a map.
    // logLevel 'error': the parser's warnings (a collection as a key, an unknown tag) are no business of the user's terminal.
    // A lone CR is a line break in YAML (and to kubectl); the parser would read it as content ("720h\r"). The same
    // number of characters, so every offset still points into `text`.
    const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    const parsedBefore = offered.get(text);
    if (parsedBefore) offered.delete(text);
    docs = parsedBefore ? [parsedBefore] : parseDocuments(source);
    documents = new DocumentSource(() => parseDocuments(source), docs);
  } catch (err) {
    result.syntax.push(syntaxDiagnostic(file, lines, 0, 0, `The YAML parser failed: ${(err as Error).message}`));
    return result;
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as YAML.Document.Parsed];
  let sawKubernetes = false;
  docs.forEach((doc, docIndex) => {
    let tooDeep = false;
    for (const err of doc.errors) {
      // The parser reports its own stack overflow on deep nesting as an error; say what it means, once.
      if (/Maximum call stack size exceeded/.test(err.message)) {
        if (!tooDeep) result.syntax.push(syntaxDiagnostic(file, lines, err.pos[0], err.pos[1], TOO_DEEP));
        tooDeep = true;
        continue;
      }
      result.syntax.push(syntaxDiagnostic(file, lines, err.pos[0], err.pos[1], firstLine(err.message)));
    }
    if (doc.errors.length > 0) return;
    const problem = checkStructure(doc);
    if (problem.length > 0) {
      for (const p of problem) result.syntax.push(syntaxDiagnostic(file, lines, p.at, p.at + 1, p.message));
      return;
    }
    const root = doc.contents;
    if (!YAML.isMap(root)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const r = doc.range;
      result.syntax.push(
        syntaxDiagnostic(file, lines, r[0], r[0], `This document cannot be read: ${(err as Error).message}. Anchors and aliases are expanded at most ${MAX_ALIAS_COUNT} times.`),
      );
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const obj = value as Record<string, any>;
    const { kind } = obj;
    if (typeof kind === 'string' && CONFIG_KINDS.has(kind)) {
      sawKubernetes = true;
      result.kustomization = readKustomization(obj);
      return;
    }
    // `kubectl get -o yaml` of several objects: a v1 List whose items are the objects.
    if (kind === 'List' && Array.isArray(obj.items)) {
      obj.items.forEach((item: unknown, i: number) => {
        if (isObject(item)) {
          sawKubernetes = true;
          result.resources.push(toResource(file, docIndex, documents, lines, item as Record<string, any>, ['items', i]));
        }
      });
      return;
    }
    if (!isObject(obj)) {
      if (isKustomizationFile(file) && (obj.resources || obj.namespace)) result.kustomization = readKustomization(obj);
      return;
    }
    sawKubernetes = true;
    result.resources.push(toResource(file, docIndex, documents, lines, obj, []));
  });
  if (!sawKubernetes && result.syntax.length === 0) {
    result.skipped = docs.every((d) => d.contents === null) ? 'empty' : 'not-kubernetes';
  }
  return result;
}

/** Collections nested deeper than this are not read: no Kubernetes object comes close, and readers of the tree recurse. */
export const MAX_NESTING = 256;

const TOO_DEEP = `This YAML nests maps and lists too deeply to be read (opex reads up to ${MAX_NESTING} levels); no Kubernetes object nests this deep.`;

/**
 * What the parser was told not to check (duplicate keys, found here in linear time) and what opex does not read
 * (nesting deeper than MAX_NESTING), in one walk of the document without recursion.
 */
function checkStructure(doc: YAML.Document.Parsed): Array<{ at: number; message: string }> {
  const out: Array<{ at: number; message: string }> = [];
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!YAML.isCollection(node)) continue;
    if (depth > MAX_NESTING) {
      out.push({ at: node.range?.[0] ?? 0, message: TOO_DEEP });
      return out;
    }
    if (YAML.isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (YAML.isScalar(key)) {
          // The parser's default test for equal keys: equal scalar values.
          if (keys.has(key.value) && !Number.isNaN(key.value)) out.push({ at: key.range?.[0] ?? node.range?.[0] ?? 0, message: 'Map keys must be unique' });
          keys.add(key.value);
        } else {
          stack.push([key, depth + 1]);
        }
        stack.push([pair.value, depth + 1]);
      }
    } else {
      for (const item of node.items) stack.push([YAML.isPair(item) ? item.value : item, depth + 1]);
    }
  }
  return out;
}

/** Has what every Kubernetes object has: apiVersion, kind and a metadata map. */
function isObject(v: unknown): boolean {
  const o = v as Record<string, any>;
  return Boolean(o) && typeof o === 'object' && typeof o.apiVersion === 'string' && typeof o.kind === 'string' && Boolean(o.metadata) && typeof o.metadata === 'object';
}

/**
 * Documents another reader parsed without any error from a text that parseFile may read too (the spec loader reads
 * opex.yaml, which is also a YAML file of the workspace), so that the same text is not parsed twice. A document with no
 * error under the stricter options of that reader (strict, unique keys) is the one parseFile's options would give.
 */
const offered = new Map<string, YAML.Document.Parsed>();

export function offerParsedDocument(text: string, doc: YAML.Document.Parsed): void {
  if (doc.errors.length > 0 || !YAML.isMap(doc.contents) || text.includes('\r')) return;
  if (offered.size >= 1024) offered.delete(offered.keys().next().value as string);
  offered.set(text, doc);
}

/** The parser, as opex reads every file (the same options each time: a text parsed again gives the same trees). */
function parseDocuments(source: string): YAML.Document.Parsed[] {
  // resolveKnownTags false: `!!binary`, `!!timestamp`, `!!set`… stay strings, as JSON has them. As a Buffer, a Date or a
  // Set they reached the rules as objects (found by fuzzing: a Buffer's pool offset made the output vary between runs).
  const docs = YAML.parseAllDocuments(source, { merge: true, prettyErrors: false, strict: false, uniqueKeys: false, logLevel: 'error', resolveKnownTags: false }) as YAML.Document.Parsed[] | YAML.EmptyStream;
  // An empty stream (no document, only comments) is read as one empty document.
  return Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
}

function toResource(file: string, docIndex: number, doc: DocumentSource, lines: LineMap, obj: Record<string, any>, base: Array<string | number>): Resource {
  const name = typeof obj.metadata.name === 'string' ? obj.metadata.name : typeof obj.metadata.generateName === 'string' ? obj.metadata.generateName : '';
  const ns = typeof obj.metadata.namespace === 'string' && obj.metadata.namespace !== '' ? obj.metadata.namespace : undefined;
  return new Resource(file, docIndex, doc, lines, obj, obj.apiVersion, obj.kind, name, ns, base);
}

function isKustomizationFile(file: string): boolean {
  return /(^|[\\/])kustomization\.ya?ml$/i.test(file) || /(^|[\\/])Kustomization$/.test(file);
}

function readKustomization(obj: Record<string, any>): KustomizationInfo {
  const list = [obj.resources, obj.bases, obj.components].flatMap((l) => (Array.isArray(l) ? l.filter((x) => typeof x === 'string') : []));
  return { namespace: typeof obj.namespace === 'string' ? obj.namespace : undefined, resources: list };
}

function firstLine(message: string): string {
  const cut = message.indexOf(' at line ');
  return (cut > 0 ? message.slice(0, cut) : message.split('\n')[0]).trim();
}

function syntaxDiagnostic(file: string, lines: LineMap, start: number, end: number, message: string): Diagnostic {
  const range = lines.range(start, Math.max(end, start));
  return { ruleId: 'yaml-syntax', severity: 'error', file, range, message };
}
