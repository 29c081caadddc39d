/**
 * opex.yaml against schemas/opex-spec.schema.json: unknown keys and wrong types become spec-invalid
 * diagnostics on the exact node. The validator is compiled once, when this module loads.
 */
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import * as YAML from 'yaml';
import opexSpecSchema from '../../../schemas/opex-spec.schema.json';
import type { LineMap } from '../text';
import type { Diagnostic, Range } from '../types';

const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true });
/** The compiled opex.yaml validator (also handy for tests and the editor). */
export const validateOpexSpec = ajv.compile(opexSpecSchema);
export { opexSpecSchema };

type SchemaNode = { properties?: Record<string, SchemaNode>; $ref?: string; type?: unknown };

/** Field names a map at this path allows, for "did you mean". */
function knownKeys(segments: string[]): string[] {
  let node: SchemaNode | undefined = opexSpecSchema as SchemaNode;
  for (const seg of segments) {
    node = node?.properties?.[seg];
    if (node?.$ref) node = (opexSpecSchema.definitions as Record<string, SchemaNode>)[node.$ref.replace('#/definitions/', '')];
  }
  return Object.keys(node?.properties ?? {});
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function suggest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** The value node at a path, and the key node of its last step; a missing step stops at the parent. */
function nodeAt(doc: YAML.Document, segments: string[]): { node: YAML.Node | null; key?: YAML.Node } {
  let node: YAML.Node | null = doc.contents;
  let key: YAML.Node | undefined;
  for (const seg of segments) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      key = pair.key as YAML.Node;
      node = pair.value as YAML.Node | null;
    } else if (YAML.isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      key = undefined;
      node = item as YAML.Node;
    } else break;
  }
  return { node, key };
}

const DNS = 'a Kubernetes name: lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters';

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return (before(a.start, b.end) && before(b.start, a.end)) || (a.start.line === b.start.line && a.start.character === b.start.character);
}

/** Schema findings for an opex.yaml that parsed, minus those a more specific check already reported on the same node. */
export function schemaDiagnostics(file: string, doc: YAML.Document, lines: LineMap, reported: readonly Diagnostic[]): Diagnostic[] {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias whose anchor comes later, a merge of something that is no map, an alias bomb: the parser accepted the
    // text, but it has no value (found by fuzzing; it was an internal error).
    const message = (err as Error)?.message ?? String(err);
    return [{ ruleId: 'yaml-syntax', severity: 'error', file, range: lines.lineRange(0), message: `This spec cannot be read: ${message}${/alias count/i.test(message) ? ' (opex expands anchors at most 100 times in a spec)' : ''}.` }];
  }
  if (validateOpexSpec(value)) return [];
  const out: Diagnostic[] = [];
  const rangeOf = (n: YAML.Node | null | undefined): Range => (n?.range ? lines.range(n.range[0], n.range[1]) : lines.lineRange(0));
  for (const err of validateOpexSpec.errors ?? []) {
    const d = describe(err, doc, rangeOf);
    if (!d) continue;
    if ([...reported, ...out].some((r) => overlaps(r.range, d.range))) continue;
    out.push({ ruleId: 'spec-invalid', severity: 'error', file, range: d.range, message: d.message });
  }
  return out;
}

function describe(err: ErrorObject, doc: YAML.Document, rangeOf: (n: YAML.Node | null | undefined) => Range): { range: Range; message: string } | undefined {
  const segments = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const where = segments.join('.') || 'the spec';
  const { node, key } = nodeAt(doc, segments);
  const at = rangeOf(node ?? key);
  switch (err.keyword) {
    case 'additionalProperties': {
      const name = String((err.params as { additionalProperty: string }).additionalProperty);
      const { key: k } = nodeAt(doc, [...segments, name]);
      const known = knownKeys(segments);
      const hint = suggest(name, known);
      const parent = segments.length ? `\`${where}\`` : 'an opex spec';
      return {
        range: rangeOf(k),
        message: `\`${name}\` is not a field of ${parent}${hint ? `. Did you mean \`${hint}\`?` : known.length ? ` (it has ${known.map((x) => `\`${x}\``).join(', ')}).` : '.'} A misspelt field would silently not be checked.`,
      };
    }
    case 'propertyNames': {
      const name = String((err.params as { propertyName: string }).propertyName);
      const { key: k } = nodeAt(doc, [...segments, name]);
      const what = segments[0] === 'criteria' ? `no success criterion opex knows: use SC-001 … SC-010`
        : segments[0] === 'rules' ? 'no rule id (rule ids are lowercase words joined by `-`, e.g. `resources-requests-missing`)'
        : 'not a valid Kubernetes label key';
      return { range: rangeOf(k), message: `\`${name}\` is ${what}.` };
    }
    case 'pattern': {
      if (err.propertyName !== undefined) return undefined; // reported with propertyNames
      const last = segments[segments.length - 1];
      const shown = YAML.isScalar(node) ? `\`${String(node.value)}\`` : 'This value';
      if (segments[0] === 'recovery' && last === 'schedule') return { range: at, message: `\`recovery.schedule\` is a 5-field cron (minute hour day-of-month month day-of-week) such as "0 2 * * *".` };
      if (['service', 'namespace', 'container'].includes(last) || segments[1] === 'chaosNamespaces') return { range: at, message: `${shown} in \`${where}\` is not ${DNS}.` };
      return { range: at, message: `${shown} in \`${where}\` is not a valid Kubernetes label value (at most 63 letters, digits, \`-\`, \`_\` and \`.\`, starting and ending with a letter or digit).` };
    }
    case 'type': {
      const t = (err.params as { type: string | string[] }).type;
      const names: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false' };
      const want = (Array.isArray(t) ? t : [t]).map((x) => names[x] ?? x).join(' or ');
      return { range: at, message: `\`${where}\` must be ${want}.` };
    }
    case 'enum': {
      const allowed = ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).filter((v) => v !== false).map((v) => `\`${String(v)}\``);
      return { range: at, message: `\`${where}\` must be one of ${allowed.join(', ')}.` };
    }
    case 'required':
      return { range: segments.length ? rangeOf(key ?? node) : rangeOf(null), message: `\`${where}\` needs \`${(err.params as { missingProperty: string }).missingProperty}\`.` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined;
    default:
      return { range: at, message: `\`${where}\` ${err.message ?? 'is not valid'}.` };
  }
}
