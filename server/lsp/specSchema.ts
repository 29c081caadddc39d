/**
 * opex.yaml in the editor: key and value completion and key hovers read from the spec's JSON Schema
 * (schemas/opex-spec.schema.json), so the editor stays in step with the schema; rule ids and criteria come
 * from the engine's catalog, namespaces from the workspace.
 */
import { CompletionItemKind } from 'vscode-languageserver/node';
import schemaJson from '../../schemas/opex-spec.schema.json';
import { scalarText } from '../engine/edit';
import { RULES } from '../engine/lint';
import type { PathSegment } from '../engine/resource';
import { CRITERIA } from '../engine/spec/criteria';
import type { WorkspaceIndex } from '../engine/workspace';

interface Schema {
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  $ref?: string;
}

const ROOT = schemaJson as unknown as Schema & { definitions?: Record<string, Schema> };

function deref(s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  const name = /^#\/definitions\/(.+)$/.exec(s.$ref)?.[1];
  const target = name ? ROOT.definitions?.[name] : undefined;
  // The referring schema's own words win over the definition's.
  return target ? { ...target, ...s, $ref: undefined, description: s.description ?? target.description } : s;
}

/** The schema of the node at a path of opex.yaml (sequence indexes go to `items`). */
export function schemaAt(path: readonly PathSegment[]): Schema | undefined {
  let cur: Schema | undefined = ROOT;
  for (const seg of path) {
    cur = deref(cur);
    if (!cur) return undefined;
    if (typeof seg === 'number') {
      cur = cur.items;
      continue;
    }
    const prop: Schema | undefined = cur.properties?.[seg];
    cur = prop ?? (typeof cur.additionalProperties === 'object' ? cur.additionalProperties : undefined);
  }
  return deref(cur);
}

function isObject(s: Schema | undefined): boolean {
  return s?.type === 'object' || Boolean(s?.properties);
}

function isArray(s: Schema | undefined): boolean {
  return s?.type === 'array';
}

export interface SpecCandidate {
  label: string;
  insert: string;
  detail?: string;
  doc?: string;
  kind: CompletionItemKind;
  preselect?: boolean;
  retrigger?: boolean;
}

/** Keys that may follow in a map of opex.yaml, those already written left out. */
export function specKeyCandidates(path: readonly PathSegment[], siblings: Record<string, string>): SpecCandidate[] {
  const s = schemaAt(path);
  if (!isObject(s)) return [];
  const out: SpecCandidate[] = [];
  const last = String(path[path.length - 1] ?? '');
  if (path.length === 1 && last === 'rules') {
    for (const r of RULES) {
      if (r.meta.id in siblings) continue;
      out.push({ label: r.meta.id, insert: `${r.meta.id}: `, detail: `default ${r.meta.severity}`, doc: r.meta.description, kind: CompletionItemKind.Property, retrigger: true });
    }
    return out;
  }
  if (path.length === 1 && last === 'criteria') {
    for (const [id, c] of Object.entries(CRITERIA)) {
      if (id in siblings) continue;
      out.push({ label: id, insert: `${id}: `, detail: c.title, doc: `${c.title}${c.static ? '' : ' (checked live only)'}`, kind: CompletionItemKind.Property });
    }
    return out;
  }
  for (const [key, raw] of Object.entries(s!.properties ?? {})) {
    if (key in siblings) continue;
    const sub = deref(raw);
    const nested = isObject(sub) || isArray(sub);
    out.push({
      label: key,
      insert: nested ? `${scalarText(key)}:` : `${scalarText(key)}: `,
      detail: sub?.default !== undefined ? `default ${JSON.stringify(sub.default)}` : undefined,
      doc: sub?.description,
      kind: CompletionItemKind.Property,
      retrigger: !nested,
    });
  }
  return out;
}

/** Values for a key (kind 'value') or a sequence item (kind 'item') of opex.yaml. */
export function specValueCandidates(path: readonly PathSegment[], index: WorkspaceIndex): SpecCandidate[] {
  const s = schemaAt(path);
  const dotted = path.filter((p) => typeof p === 'string').join('.');
  const namespaces = () => [...new Set(index.resources().map((r) => r.namespace).filter(Boolean))].sort();
  if (dotted === 'namespace' || dotted === 'constraints.chaosNamespaces' || dotted === 'live.chaosNamespace') {
    return namespaces().map((ns) => ({ label: ns, insert: scalarText(ns), detail: 'a namespace of the workspace', kind: CompletionItemKind.Module }));
  }
  if (dotted === 'recovery.timezone') {
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Karachi'].map((z, i) => ({
      label: z, insert: z, kind: CompletionItemKind.Value, preselect: i === 0,
    }));
  }
  const values = (s?.enum ?? []).filter((v): v is string => typeof v === 'string');
  return values.map((v) => ({
    label: v,
    insert: scalarText(v),
    detail: v === s?.default ? 'default' : undefined,
    kind: CompletionItemKind.EnumMember,
    preselect: v === s?.default,
  }));
}

/** Hover for a key of opex.yaml: its description, default and, under `rules:`, the rule. */
export function specKeyHover(path: readonly PathSegment[]): string | undefined {
  if (path.length === 2 && path[0] === 'rules') {
    const rule = RULES.find((r) => r.meta.id === path[1]);
    if (rule) return `**${rule.meta.id}** (default ${rule.meta.severity}) — ${rule.meta.description}\n\n${rule.meta.why}`;
  }
  if (path.length === 2 && path[0] === 'criteria') {
    const c = CRITERIA[String(path[1]) as keyof typeof CRITERIA];
    if (c) return `**${path[1]}** — ${c.title}${c.static ? '' : ' (checked live only)'}`;
  }
  const s = schemaAt(path);
  if (!s?.description) return undefined;
  const def = s.default !== undefined ? `\n\nDefault: \`${typeof s.default === 'string' ? s.default : JSON.stringify(s.default)}\`` : '';
  return `**${path.join('.')}** — ${s.description}${def}`;
}

