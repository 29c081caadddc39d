/**
 * Offline JSON-Schema validation of Kubernetes objects: the built-in kinds and the VPA, Velero and Chaos Mesh
 * CRDs, with the strict schemas generated into `schemas/` (see schemas/PROVENANCE.md). Unknown fields are
 * errors, as `kubectl apply` field validation reports them. Each kind's validator is compiled once, on first
 * use; results are cached per resource. Kinds, groups or versions without a schema are skipped quietly.
 */
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as YAML from 'yaml';
import type { NodePath, PathSegment, Resource } from './resource';
import type { Range } from './types';

// ---------------------------------------------------------------------------------------------------------
// The generated schema files (bundled: esbuild inlines these requires; nothing is read at run time)

interface SchemaIndex {
  files: Record<string, string>;
  /** apiVersion → kind → `<file id>#/definitions/<name>` */
  kinds: Record<string, Record<string, string>>;
}

type JsonSchema = Record<string, any>;

const SCHEMA_FILES: Record<string, () => JsonSchema> = {
  'kubernetes.json': () => require('../../schemas/kubernetes.json'),
  'vpa.json': () => require('../../schemas/crds/vpa.json'),
  'velero.json': () => require('../../schemas/crds/velero.json'),
  'chaos-mesh.json': () => require('../../schemas/crds/chaos-mesh.json'),
};

let schemaIndex: SchemaIndex | undefined;
function getIndex(): SchemaIndex {
  return (schemaIndex ??= require('../../schemas/index.json') as SchemaIndex);
}

const loadedFiles = new Map<string, JsonSchema>();
function schemaFile(id: string): JsonSchema | undefined {
  let s = loadedFiles.get(id);
  if (!s) {
    const load = SCHEMA_FILES[id];
    if (!load) return undefined;
    s = load();
    loadedFiles.set(id, s);
  }
  return s;
}

/** The schema reference (`file#/definitions/name`) for an apiVersion and kind, if opex has one. */
export function schemaRefFor(apiVersion: string, kind: string): string | undefined {
  const kinds = getIndex().kinds[apiVersion];
  return kinds && Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
}

export function hasSchema(res: Pick<Resource, 'apiVersion' | 'kind'>): boolean {
  return schemaRefFor(res.apiVersion, res.kind) !== undefined;
}

/** Every apiVersion/kind pair with a schema, for documentation and completion. */
export function knownKinds(): Array<{ apiVersion: string; kind: string }> {
  return Object.entries(getIndex().kinds).flatMap(([apiVersion, kinds]) => Object.keys(kinds).map((kind) => ({ apiVersion, kind })));
}

// ---------------------------------------------------------------------------------------------------------
// Compilation (once per kind)

let ajv: Ajv | undefined;
const ajvFiles = new Set<string>();
const validators = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, verbose: true, allowUnionTypes: true });
    addFormats(ajv, ['int32', 'int64', 'date-time']);
    // Go's base64 decoder skips line breaks, so a wrapped value is fine.
    ajv.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s.replace(/[\r\n]/g, '')) });
  }
  return ajv;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function ensureFile(a: Ajv, id: string): void {
  if (ajvFiles.has(id)) return;
  const schema = schemaFile(id);
  if (!schema) throw new Error(`opex has no schema file ${id}`);
  a.addSchema(schema);
  ajvFiles.add(id);
}

/** The compiled validator for a schema reference; compiled on first use and kept. */
function validatorFor(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (v) return v;
  const a = getAjv();
  ensureFile(a, 'kubernetes.json');
  ensureFile(a, ref.slice(0, ref.indexOf('#')));
  v = a.compile({ $ref: ref });
  validators.set(ref, v);
  return v;
}

/** How many kinds have a compiled validator (each is compiled once, on first use). */
export function compiledValidatorCount(): number {
  return validators.size;
}

/** Compiles the validators of the given kinds now (the language server warms up with this). */
export function precompile(kinds: Array<{ apiVersion: string; kind: string }> = knownKinds()): void {
  for (const k of kinds) {
    const ref = schemaRefFor(k.apiVersion, k.kind);
    if (ref) validatorFor(ref);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Validation and error mapping

export type SchemaProblemKind = 'unknown-field' | 'type' | 'enum' | 'required' | 'pattern' | 'format' | 'range' | 'other';

export interface SchemaProblem {
  kind: SchemaProblemKind;
  /**
   * The node the problem is about: the unknown key, the wrong value, or (for a missing field) the object
   * that lacks it.
   */
  path: NodePath;
  range: Range;
  message: string;
  /** Unknown field: the closest known field, when one is close. */
  suggestion?: string;
  /** Missing field: its name. */
  missing?: string;
  /** Wrong type: the JSON types the schema accepts. */
  expected?: string[];
}

export interface SchemaResult {
  /** False when opex has no schema for the resource's apiVersion and kind (nothing was checked). */
  checked: boolean;
  problems: SchemaProblem[];
}

const NO_SCHEMA: SchemaResult = { checked: false, problems: [] };

/** Validates a resource against its kind's schema; the result is cached on the resource. */
export function validateResource(res: Resource): SchemaResult {
  return res.derive('schema:result', () => {
    const ref = schemaRefFor(res.apiVersion, res.kind);
    if (!ref) return NO_SCHEMA;
    const validate = validatorFor(ref);
    const value = withoutNulls(res.value);
    if (validate(value)) return { checked: true, problems: [] };
    return { checked: true, problems: mapErrors(res, value, validate.errors ?? []) };
  });
}

/**
 * The API server reads `null` as "not set" for any field (`creationTimestamp: null` from `kubectl create
 * --dry-run -o yaml`, an empty `annotations:`), so null map entries are dropped before validation.
 */
function withoutNulls(v: any): any {
  if (!hasNull(v)) return v;
  const strip = (x: any): any => {
    if (Array.isArray(x)) return x.map(strip);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) if (val !== null) out[k] = strip(val);
      return out;
    }
    return x;
  };
  return strip(v);
}

function hasNull(x: any): boolean {
  if (x === null) return true;
  if (typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.some(hasNull);
  for (const k in x) if (hasNull(x[k])) return true;
  return false;
}

function decodePointer(pointer: string, root: any): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let cur = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? cur[seg] : undefined;
    }
  }
  return out;
}

function mapErrors(res: Resource, value: any, errors: ErrorObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // anyOf/oneOf: one diagnostic for the whole alternative, not one per failed branch.
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inAlternative = (e: ErrorObject) =>
    alternatives.some((a) => a !== e && e.instancePath.startsWith(a.instancePath) && e.schemaPath.startsWith(`${a.schemaPath}/`));
  const seen = new Set<string>();
  for (const e of errors) {
    if (inAlternative(e)) continue;
    const path = decodePointer(e.instancePath, value);
    const p = e.keyword === 'anyOf' || e.keyword === 'oneOf'
      ? alternativeProblem(res, path, e, errors.filter((x) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`)))
      : problemFor(res, path, e);
    if (!p) continue;
    const key = `${p.kind}|${p.path.join('\u0000')}|${p.missing ?? ''}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

function problemFor(res: Resource, path: PathSegment[], e: ErrorObject): SchemaProblem | undefined {
  const params = e.params as Record<string, any>;
  const data = (e as ErrorObject & { data?: unknown }).data;
  const parentSchema = (e.parentSchema ?? {}) as JsonSchema;
  const name = `${fieldName(path)} in ${objectName(res)}${at(path)}`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const fieldPath = [...path, key];
      const suggestion = suggestField(key, parentSchema);
      const where = describeObject(path, parentSchema);
      return {
        kind: 'unknown-field',
        path: fieldPath,
        range: res.rangeOf(fieldPath, 'key'),
        message: `Unknown field \`${key}\` in ${where} of ${objectName(res)}${at(path)}${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} The API server rejects unknown fields (kubectl's field validation) or silently drops them.`,
        suggestion,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const where = describeObject(path, parentSchema);
      return {
        kind: 'required',
        path,
        range: res.keyRange(path),
        message: `${capitalize(where)} of ${objectName(res)}${at(path)} lacks the required field \`${missing}\`: the API server rejects the object without it.`,
        missing,
      };
    }
    case 'type': {
      const expected = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return {
        kind: 'type',
        path,
        range: res.rangeOf(path, 'value'),
        message: `${name} must be ${joinOr(expected.map(typeName))}, got ${describeValue(data)}${typeHint(res, path, expected, data)}.`,
        expected,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((v) => v !== '');
      const close = typeof data === 'string' ? allowed.find((v) => typeof v === 'string' && v.toLowerCase() === data.toLowerCase()) : undefined;
      return {
        kind: 'enum',
        path,
        range: res.rangeOf(path, 'value'),
        message: `${name} must be one of ${allowed.map((v) => `\`${String(v)}\``).join(', ')}; got ${describeValue(data)}${close !== undefined ? `. Did you mean \`${String(close)}\`?` : '.'}`,
      };
    }
    case 'pattern': {
      const isQuantity = parentSchema.pattern === QUANTITY_PATTERN || (typeof parentSchema.pattern === 'string' && /\[KMGTPE\]i/.test(parentSchema.pattern));
      return {
        kind: 'pattern',
        path,
        range: res.rangeOf(path, 'value'),
        message: isQuantity
          ? `${name} is not a valid quantity: ${describeValue(data)}. Write a number with an optional suffix, such as 250m, 0.5, 512Mi or 2Gi.`
          : `${name} does not have the required form: ${describeValue(data)} does not match \`${String(params.pattern)}\`.`,
      };
    }
    case 'format': {
      const format = String(params.format);
      const what: Record<string, string> = {
        int32: 'is out of range for a 32-bit integer',
        int64: 'is out of range for a 64-bit integer',
        'date-time': 'is not an RFC 3339 date-time (like 2024-01-31T02:00:00Z)',
        byte: 'is not valid base64: Secret `data` values are base64-encoded (put plain text under `stringData`)',
      };
      return {
        kind: 'format',
        path,
        range: res.rangeOf(path, 'value'),
        message: `${name} ${what[format] ?? `is not a valid ${format}`}: got ${describeValue(data)}.`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return { kind: 'range', path, range: res.rangeOf(path, 'value'), message: `${name} ${e.message ?? 'is out of range'}; got ${describeValue(data)}.` };
    case 'if':
    case 'not':
    case '$ref':
      return undefined;
    default:
      return { kind: 'other', path, range: res.rangeOf(path, 'value'), message: `${name} ${e.message ?? 'is not valid'}.` };
  }
}

function alternativeProblem(res: Resource, path: PathSegment[], e: ErrorObject, branches: ErrorObject[]): SchemaProblem {
  const name = `${fieldName(path)} in ${objectName(res)}${at(path)}`;
  const sameNode = branches.filter((b) => b.instancePath === e.instancePath);
  if (sameNode.length > 0 && sameNode.every((b) => b.keyword === 'type')) {
    const expected = [...new Set(sameNode.flatMap((b) => String((b.params as any).type).split(',')))];
    const data = (e as ErrorObject & { data?: unknown }).data;
    return { kind: 'type', path, range: res.rangeOf(path, 'value'), message: `${name} must be ${joinOr(expected.map(typeName))}, got ${describeValue(data)}.`, expected };
  }
  const first = branches.find((b) => b.keyword !== 'anyOf' && b.keyword !== 'oneOf');
  const detail = first ? ` (for example: ${first.message})` : '';
  return {
    kind: 'other',
    path,
    range: res.rangeOf(path, 'value'),
    message: e.keyword === 'oneOf' && !first
      ? `${name} matches more than one of its allowed forms; it must match exactly one.`
      : `${name} matches none of its allowed forms${detail}.`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Messages

const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** How people call the objects of the common built-in types (by definition title). */
const NOUNS: Record<string, string> = {
  Container: 'a container',
  EphemeralContainer: 'an ephemeral container',
  PodSpec: 'the pod spec',
  PodTemplateSpec: 'the pod template',
  ObjectMeta: 'metadata',
  Probe: 'a probe',
  ContainerPort: 'a container port',
  ServicePort: 'a Service port',
  EnvVar: 'an env entry',
  EnvFromSource: 'an envFrom entry',
  VolumeMount: 'a volume mount',
  Volume: 'a volume',
  ResourceRequirements: '`resources`',
  LabelSelector: 'a label selector',
  LabelSelectorRequirement: 'a selector expression',
  SecurityContext: 'a container security context',
  PodSecurityContext: 'the pod security context',
  Toleration: 'a toleration',
  HTTPIngressPath: 'an Ingress path',
  IngressRule: 'an Ingress rule',
  PolicyRule: 'an RBAC rule',
  Subject: 'a subject',
  JobTemplateSpec: 'the job template',
  PersistentVolumeClaimSpec: 'the claim spec',
};

/** `Deployment task-api`. */
function objectName(res: Resource): string {
  return res.name ? `${res.kind} ${res.name}` : res.kind;
}

/** ` (spec.template.spec.containers[0])`, for nodes below the top level. */
function at(path: readonly PathSegment[]): string {
  return path.length > 1 ? ` (\`${formatPath(path)}\`)` : '';
}

function describeObject(path: readonly PathSegment[], schema: JsonSchema): string {
  if (path.length === 0) return 'the top level';
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  if (title && NOUNS[title]) return NOUNS[title];
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `item ${last + 1} of \`${String(parent)}\``;
  }
  return `\`${String(last)}\``;
}

/** `replicas`, or `args` item 2, naming the node for messages. */
function fieldName(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'The document';
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const parent = path.length > 1 ? path[path.length - 2] : undefined;
    return parent !== undefined ? `Item ${last + 1} of \`${String(parent)}\`` : `Item ${last + 1}`;
  }
  return `\`${String(last)}\``;
}

/** `spec.template.spec.containers[0]`, as kubectl prints field paths. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out;
}

function typeName(t: string): string {
  switch (t) {
    case 'integer': return 'an integer';
    case 'number': return 'a number';
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'object': return 'a map';
    case 'array': return 'a list';
    case 'null': return 'null';
    default: return t;
  }
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
    case 'number': return `the number ${v}`;
    case 'boolean': return `the boolean ${v}`;
    case 'object': return 'a map';
    default: return String(v);
  }
}

function typeHint(res: Resource, path: readonly PathSegment[], expected: string[], data: unknown): string {
  const wantsNumber = expected.includes('integer') || expected.includes('number');
  if (wantsNumber && !expected.includes('string') && typeof data === 'string' && data.trim() !== '' && !Number.isNaN(Number(data))) {
    return '; remove the quotes';
  }
  if (expected.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    const node = res.lookup(path).node;
    const source = YAML.isScalar(node) && typeof node.source === 'string' && node.source !== '' ? node.source : String(data);
    return `; quote it: ${JSON.stringify(source)}`;
  }
  if (expected.includes('array') && !Array.isArray(data)) return '; write it as a list (items starting with `-`)';
  return '';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The known field closest to an unknown one: a case-insensitive match, else the nearest by edit distance
 * (transpositions count once), else a field of a child object (`labels` → `metadata.labels`).
 */
export function suggestField(key: string, objectSchema: JsonSchema): string | undefined {
  const known = Object.keys(objectSchema.properties ?? {});
  if (known.length === 0) return undefined;
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  if (best && bestDistance <= limit) return best;
  for (const k of known) {
    const child = resolveForWalk(objectSchema.properties[k], currentFileOf(objectSchema));
    if (child?.schema.properties && Object.prototype.hasOwnProperty.call(child.schema.properties, key)) return `${k}.${key}`;
  }
  return undefined;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 1; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

// ---------------------------------------------------------------------------------------------------------
// YAML 1.1 booleans

/** The plain scalars YAML 1.1 (kubectl's reader) takes as booleans while YAML 1.2 keeps them strings. */
export const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** An unquoted `Off`/`yes`/`n`…: a string to opex's YAML 1.2 reading, a boolean to kubectl's YAML 1.1. */
export function isYaml11Boolean(node: YAML.Scalar): boolean {
  return node.type === 'PLAIN' && typeof node.value === 'string' && YAML11_BOOLEAN.test(node.value);
}

/** The boolean kubectl reads for such a scalar. */
export function yaml11BooleanValue(text: string): boolean {
  return /^(?:y|yes|on)$/i.test(text);
}

// ---------------------------------------------------------------------------------------------------------
// What the schema expects at a path (boolean-trap rule, completion, hover)

export interface ExpectedType {
  /** JSON types accepted: string, integer, number, boolean, object, array (empty: anything). */
  types: string[];
  description?: string;
  enum?: unknown[];
  /** The definition's name for built-in types (Container, PodSpec…). */
  title?: string;
  format?: string;
  pattern?: string;
  /** Known fields, when the node is an object with a fixed set of fields. */
  properties?: string[];
  /** Whether fields outside `properties` are allowed (maps, preserve-unknown-fields). */
  openEnded?: boolean;
}

/** Which schema file each loaded schema object came from, to resolve its relative `$ref`s. */
const owningFile = new WeakMap<object, string>();

function currentFileOf(schema: JsonSchema): string {
  return owningFile.get(schema) ?? 'kubernetes.json';
}

function resolveRef(ref: string, fromFile: string): { schema: JsonSchema; file: string } | undefined {
  const hash = ref.indexOf('#');
  const file = hash > 0 ? ref.slice(0, hash) : fromFile;
  const pointer = ref.slice(hash + 1);
  const root = schemaFile(file);
  if (!root) return undefined;
  let cur: any = root;
  for (const raw of pointer.split('/').slice(1)) {
    cur = cur?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (cur === undefined) return undefined;
  }
  if (cur && typeof cur === 'object') owningFile.set(cur, file);
  return { schema: cur, file };
}

/** Follows `$ref`s; keeps the description written at the referring site when the target has none. */
function resolveForWalk(node: JsonSchema | undefined, file: string): { schema: JsonSchema; file: string; description?: string } | undefined {
  if (!node || typeof node !== 'object') return undefined;
  let description: string | undefined = node.description;
  let cur: JsonSchema = node;
  let curFile = file;
  for (let hops = 0; cur.$ref && hops < 16; hops++) {
    const next = resolveRef(cur.$ref, curFile);
    if (!next) return undefined;
    cur = next.schema;
    curFile = next.file;
    description ??= cur.description;
  }
  owningFile.set(cur, curFile);
  return { schema: cur, file: curFile, description: description ?? cur.description };
}

/** What the schema of an apiVersion/kind expects at a path (undefined: no schema, or the path is free-form there). */
export function expectedTypeFor(apiVersion: string, kind: string, path: NodePath): ExpectedType | undefined {
  const ref = schemaRefFor(apiVersion, kind);
  if (!ref) return undefined;
  let cur = resolveForWalk({ $ref: ref }, 'kubernetes.json');
  for (const seg of path) {
    if (!cur) return undefined;
    const s = cur.schema;
    let next: JsonSchema | undefined;
    if (typeof seg === 'number') {
      next = s.items && typeof s.items === 'object' ? s.items : undefined;
    } else if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, seg)) {
      next = s.properties[seg];
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      next = s.additionalProperties;
    }
    if (!next) return undefined;
    cur = resolveForWalk(next, cur.file);
  }
  if (!cur) return undefined;
  const s = cur.schema;
  const types = Array.isArray(s.type) ? [...s.type] : typeof s.type === 'string' ? [s.type] : s.properties ? ['object'] : [];
  const out: ExpectedType = { types };
  if (cur.description) out.description = cur.description;
  if (Array.isArray(s.enum)) out.enum = s.enum.filter((v: unknown) => v !== '');
  if (typeof s.title === 'string') out.title = s.title;
  if (typeof s.format === 'string') out.format = s.format;
  if (typeof s.pattern === 'string') out.pattern = s.pattern;
  if (s.properties) out.properties = Object.keys(s.properties);
  if (types.includes('object') || s.properties) out.openEnded = s.additionalProperties !== false;
  return out;
}

/** What the schema of a resource's kind expects at a path in it. */
export function expectedTypeAt(res: Pick<Resource, 'apiVersion' | 'kind'>, path: NodePath): ExpectedType | undefined {
  return expectedTypeFor(res.apiVersion, res.kind, path);
}
