/**
 * The fuzzing corpus: seed manifests (the examples, the test fixtures, every rule's good and bad example) and
 * mutations of them as fast-check arbitraries (deleted lines, truncation, indentation, tabs, random unicode, wrong
 * types in any node, duplicate keys, anchors and aliases, CRLF, BOMs…), plus the checks every property shares:
 * ranges inside the document, no internal error. Shared by the test suite (fixed seed, small budget) and
 * `npm run fuzz` (scripts/fuzz.ts, long runs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { RULES } from '../../server/engine/rules/index';
import { ruleExamples } from '../../server/engine/rules/rule-examples';
import { INTERNAL_ERROR } from '../../server/engine/lint';
import { TEST_SPEC } from '../../server/engine/testing';
import { LineMap } from '../../server/engine/text';
import type { Diagnostic, Range } from '../../server/engine/types';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The seed for every property in the test suite (so CI runs are reproducible); `OPEX_FUZZ_SEED` overrides it. */
export const SEED = Number(process.env.OPEX_FUZZ_SEED ?? 20240607);

function readTree(dir: string, test: (f: string) => boolean): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (test(e.name)) out.push({ name: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

const yamlName = (f: string) => /\.ya?ml$/.test(f);

/** Manifests to mutate: the examples, the LSP and cluster fixtures, and the examples of every rule. */
export const MANIFEST_SEEDS: ReadonlyArray<{ name: string; text: string }> = [
  ...readTree(path.join(ROOT, 'examples'), yamlName),
  ...readTree(path.join(ROOT, 'test', 'fixtures', 'lsp'), (f) => yamlName(f) && !f.startsWith('opex')),
  ...readTree(path.join(ROOT, 'test', 'fixtures', 'cluster'), yamlName),
  ...RULES.flatMap((r) => {
    const ex = ruleExamples(r.meta.id);
    return [
      { name: `${r.meta.id}.bad.yaml`, text: ex.bad },
      { name: `${r.meta.id}.good.yaml`, text: ex.good },
    ];
  }),
].filter((s) => s.text.trim() !== '');

/** Specs to mutate: opex.yaml files and the markdown specs of the examples. */
export const SPEC_SEEDS: ReadonlyArray<{ name: string; text: string; format: 'yaml' | 'markdown' }> = [
  { name: 'opex.yaml', text: TEST_SPEC, format: 'yaml' },
  ...readTree(path.join(ROOT, 'test', 'fixtures', 'specs'), (f) => f === 'opex.yaml').map((s) => ({ ...s, format: 'yaml' as const })),
  ...readTree(path.join(ROOT, 'examples'), (f) => f.endsWith('-opex-spec.md')).map((s) => ({ ...s, format: 'markdown' as const })),
];

/** Values of the wrong type (or of a surprising one) for any node. */
export const WRONG_VALUES = [
  '42', '-1', '0', '3.5', '1e999', '99999999999999999999999', 'true', 'false', 'null', '~', '""', "''", '[]', '{}',
  '[1, "a", null, {b: 2}]', '{a: 1, b: [x]}', '"string"', 'yes', 'Off', 'on', '0x1F', '0o17', '.nan', '-.inf', '2001-12-14',
  '!!binary aGVsbG8=', '!custom x', '!!int "7"', '*undefined', '&anchor value', '"\\u0000"', '"\u202e\u200b\ud83d\ude00"',
  `"${'x'.repeat(300)}"`, '|\n  block\n  text', '>-\n  folded', '"a: b"', "'#not a comment'", '- item', '? complex', '@', '`',
  '%TAG', '"unterminated', '{unclosed: [', '*', '&', '!', '<<: *x', '${VAR}', '{{ .Values.x }}', '"2Gi"', '2Gi', '-100m', '1.5Mi',
  '"0 2 * * *"', '@every 1h', '"@daily"', '720h', '1h2m3.5s', 'CRON_TZ=UTC 0 2 * * *', 'Continue', 'Fail', 'Auto', '"*"',
] as const;

/** Keys that mean something to opex: a mutation renames a key to one of these or adds it. */
export const INTERESTING_KEYS = [
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'selector', 'matchLabels',
  'matchExpressions', 'template', 'containers', 'ports', 'containerPort', 'targetPort', 'port', 'replicas', 'resources',
  'requests', 'limits', 'readinessProbe', 'livenessProbe', 'httpGet', 'targetRef', 'updatePolicy', 'updateMode',
  'resourcePolicy', 'containerPolicies', 'minAllowed', 'maxAllowed', 'schedule', 'ttl', 'includedNamespaces',
  'excludedNamespaces', 'includedResources', 'excludedResources', 'hooks', 'pre', 'exec', 'onError', 'timeout',
  'labelSelector', 'container', 'mode', 'value', 'action', 'duration', 'namespaces', 'items', 'opex.dev/ignore', '<<',
] as const;

export const KINDS = [
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Service', 'VerticalPodAutoscaler',
  'HorizontalPodAutoscaler', 'Schedule', 'Backup', 'PodChaos', 'NetworkChaos', 'StressChaos', 'Schedule', 'List',
  'Kustomization', 'Namespace', 'ConfigMap', 'PodDisruptionBudget', 'Workflow', '', 'deployment',
] as const;

/** One mutation, as plain data so fast-check can shrink it; positions are taken modulo the text's size. */
export type Mutation =
  | { op: 'deleteLines'; at: number; count: number }
  | { op: 'truncate'; at: number }
  | { op: 'indent'; at: number; delta: number }
  | { op: 'tabs'; at: number }
  | { op: 'swapLines'; at: number; other: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'wrongType'; at: number; value: number }
  | { op: 'renameKey'; at: number; key: number }
  | { op: 'addKey'; at: number; key: number; value: number }
  | { op: 'kind'; value: number }
  | { op: 'anchor'; at: number; other: number }
  | { op: 'merge'; at: number; other: number }
  | { op: 'crlf' }
  | { op: 'bom' }
  | { op: 'splitDoc'; at: number }
  | { op: 'joinDocs' }
  | { op: 'flowify'; at: number };

const nat = (max = 1_000_000) => fc.nat({ max });

/** Text from all of Unicode, raw UTF-16 code units (lone surrogates, NUL, controls) and YAML's indicators. */
export const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.string({ unit: fc.constantFrom(...'{}[]:,-?|>!&*%@`\'"#\n\r\t \\<=~'.split('')), maxLength: 12 }),
  fc.constantFrom(...WRONG_VALUES),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('deleteLines' as const), at: nat(), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: nat() }),
  fc.record({ op: fc.constant('indent' as const), at: nat(), delta: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ op: fc.constant('tabs' as const), at: nat() }),
  fc.record({ op: fc.constant('swapLines' as const), at: nat(), other: nat() }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: nat() }),
  fc.record({ op: fc.constant('insert' as const), at: nat(), text: nastyText }),
  fc.record({ op: fc.constant('wrongType' as const), at: nat(), value: nat() }),
  fc.record({ op: fc.constant('wrongType' as const), at: nat(), value: nat() }),
  fc.record({ op: fc.constant('renameKey' as const), at: nat(), key: nat() }),
  fc.record({ op: fc.constant('addKey' as const), at: nat(), key: nat(), value: nat() }),
  fc.record({ op: fc.constant('kind' as const), value: nat() }),
  fc.record({ op: fc.constant('anchor' as const), at: nat(), other: nat() }),
  fc.record({ op: fc.constant('merge' as const), at: nat(), other: nat() }),
  fc.record({ op: fc.constant('crlf' as const) }),
  fc.record({ op: fc.constant('bom' as const) }),
  fc.record({ op: fc.constant('splitDoc' as const), at: nat() }),
  fc.record({ op: fc.constant('joinDocs' as const) }),
  fc.record({ op: fc.constant('flowify' as const), at: nat() }),
);

function splitLines(text: string): string[] {
  return text.split('\n');
}

/** Nodes of all documents of a text with their source ranges (for the mutations that work on the tree). */
function nodesOf(text: string): Array<{ start: number; end: number; scalar: boolean; key: boolean }> {
  const out: Array<{ start: number; end: number; scalar: boolean; key: boolean }> = [];
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, { uniqueKeys: false }) as YAML.Document.Parsed[];
    if (!Array.isArray(docs)) return out;
  } catch {
    return out;
  }
  for (const doc of docs) {
    YAML.visit(doc, {
      Pair(_k, pair) {
        if (YAML.isScalar(pair.key) && pair.key.range) out.push({ start: pair.key.range[0], end: pair.key.range[1], scalar: true, key: true });
      },
      Scalar(k, node) {
        if (k !== 'key' && node.range) out.push({ start: node.range[0], end: node.range[1], scalar: true, key: false });
      },
      Map(_k, node) {
        if (node.range) out.push({ start: node.range[0], end: node.range[1], scalar: false, key: false });
      },
      Seq(_k, node) {
        if (node.range) out.push({ start: node.range[0], end: node.range[1], scalar: false, key: false });
      },
    });
  }
  return out.filter((n) => n.end > n.start && n.end <= text.length);
}

/** Applies one mutation. Pure: the same text and mutation always give the same result. */
export function mutate(text: string, m: Mutation): string {
  const lines = splitLines(text);
  const line = (at: number) => at % Math.max(1, lines.length);
  switch (m.op) {
    case 'deleteLines': {
      const i = line(m.at);
      lines.splice(i, m.count);
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'indent': {
      const i = line(m.at);
      const l = lines[i];
      const lead = /^ */.exec(l)![0].length;
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + l : l.slice(Math.min(lead, -m.delta));
      return lines.join('\n');
    }
    case 'tabs': {
      const i = line(m.at);
      lines[i] = lines[i].replace(/^( +)/, (s) => '\t'.repeat(Math.max(1, s.length >> 1)));
      if (!/^\t/.test(lines[i])) lines[i] = `\t${lines[i]}`;
      return lines.join('\n');
    }
    case 'swapLines': {
      const a = line(m.at);
      const b = line(m.other);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'duplicateLine': {
      const i = line(m.at);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'wrongType': {
      const nodes = nodesOf(text).filter((n) => !n.key);
      if (nodes.length === 0) return text;
      const n = nodes[m.at % nodes.length];
      let value: string = WRONG_VALUES[m.value % WRONG_VALUES.length];
      // A multi-line value keeps the node's indentation so the rest of the document still parses.
      if (value.includes('\n')) {
        const col = new LineMap(text).position(n.start).character;
        value = value.split('\n').join(`\n${' '.repeat(col)}`);
      }
      return text.slice(0, n.start) + value + text.slice(n.end);
    }
    case 'renameKey': {
      const nodes = nodesOf(text).filter((n) => n.key);
      if (nodes.length === 0) return text;
      const n = nodes[m.at % nodes.length];
      return text.slice(0, n.start) + INTERESTING_KEYS[m.key % INTERESTING_KEYS.length] + text.slice(n.end);
    }
    case 'addKey': {
      const i = line(m.at);
      const indent = /^[ -]*/.exec(lines[i])![0].replace(/-/g, ' ');
      lines.splice(i + 1, 0, `${indent}${INTERESTING_KEYS[m.key % INTERESTING_KEYS.length]}: ${WRONG_VALUES[m.value % WRONG_VALUES.length].split('\n')[0]}`);
      return lines.join('\n');
    }
    case 'kind': {
      const kind = KINDS[m.value % KINDS.length];
      return text.replace(/^kind:.*$/m, `kind: ${kind}`);
    }
    case 'anchor': {
      const nodes = nodesOf(text).filter((n) => !n.key);
      if (nodes.length < 2) return text;
      const a = nodes[m.at % nodes.length];
      const b = nodes[m.other % nodes.length];
      // An anchor on one node, an alias in place of another (before or after it, inside it or not).
      if (b.end > a.start && b.start < a.end) return text.slice(0, a.start) + '&fz ' + text.slice(a.start);
      const withAlias = text.slice(0, b.start) + '*fz' + text.slice(b.end);
      const shift = b.start < a.start ? 3 - (b.end - b.start) : 0;
      return withAlias.slice(0, a.start + shift) + '&fz ' + withAlias.slice(a.start + shift);
    }
    case 'merge': {
      const maps = nodesOf(text).filter((n) => !n.scalar && !n.key);
      if (maps.length < 2) return text;
      const a = maps[m.at % maps.length];
      const b = maps[m.other % maps.length];
      const lm = new LineMap(text);
      const col = lm.position(b.start).character;
      const withAnchor = text.slice(0, a.start) + '&mz ' + text.slice(a.start);
      const at = b.start + (b.start >= a.start ? 4 : 0);
      return withAnchor.slice(0, at) + `<<: *mz\n${' '.repeat(col)}` + withAnchor.slice(at);
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'bom':
      return `\ufeff${text}`;
    case 'splitDoc': {
      const i = line(m.at);
      lines.splice(i, 0, '---');
      return lines.join('\n');
    }
    case 'joinDocs':
      return text.replace(/^---.*$/m, '');
    case 'flowify': {
      // A block map or sequence written in flow style (JSON), which rules must read the same.
      const maps = nodesOf(text).filter((n) => !n.scalar && !n.key);
      if (maps.length === 0) return text;
      const n = maps[m.at % maps.length];
      try {
        const col = new LineMap(text).position(n.start).character;
        const block = text
          .slice(n.start, n.end)
          .split('\n')
          .map((l, i) => (i === 0 ? l : l.slice(Math.min(col, /^ */.exec(l)![0].length))))
          .join('\n');
        const v = YAML.parse(block, { uniqueKeys: false, logLevel: 'error' });
        if (v === null || typeof v !== 'object') return text;
        return text.slice(0, n.start) + JSON.stringify(v) + text.slice(n.end).replace(/^[^\n]*/, (rest) => (rest.trim() === '' ? rest : `\n${rest}`));
      } catch {
        return text;
      }
    }
  }
}

export function mutateAll(text: string, ms: readonly Mutation[]): string {
  return ms.reduce(mutate, text);
}

/** A manifest: a seed with 0–4 mutations. */
export const manifestArb: fc.Arbitrary<{ seed: number; mutations: Mutation[]; text: string }> = fc
  .record({ seed: fc.nat({ max: MANIFEST_SEEDS.length - 1 }), mutations: fc.array(mutationArb, { minLength: 0, maxLength: 4 }) })
  .map(({ seed, mutations }) => ({ seed, mutations, text: mutateAll(MANIFEST_SEEDS[seed].text, mutations) }));

/** Mostly mutated manifests; sometimes text from nowhere (random YAML-ish tokens or raw code units). */
export const documentArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: manifestArb.map((m) => m.text) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(nastyText, fc.constantFrom(...INTERESTING_KEYS.map((k) => `${k}: `)), fc.constantFrom('\n', '\n  ', '\n- ', '---\n')), { maxLength: 40 })
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** The spec a fuzzed manifest is linted against: none, the test spec, or a mutated spec of either form. */
export const specArb: fc.Arbitrary<{ name: string; text: string } | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constant({ name: 'opex.yaml', text: TEST_SPEC }) },
  {
    weight: 1,
    arbitrary: fc.record({ seed: fc.nat({ max: SPEC_SEEDS.length - 1 }), mutations: fc.array(mutationArb, { maxLength: 2 }) }).map(({ seed, mutations }) => {
      const s = SPEC_SEEDS[seed];
      return { name: s.format === 'yaml' ? 'opex.yaml' : 'task-api-opex-spec.md', text: mutateAll(s.text, mutations) };
    }),
  },
);

// ---- the checks every property shares ---------------------------------------------------------------------

/** Is a range well-formed and inside a text (lines exist, characters within their line, start before end)? */
const lineMaps = new Map<string, LineMap>();

/** A LineMap per text, for the few texts being checked (a map per call made checking n diagnostics quadratic). */
function lineMapOf(text: string): LineMap {
  let lines = lineMaps.get(text);
  if (!lines) {
    if (lineMaps.size >= 8) lineMaps.clear();
    lineMaps.set(text, (lines = new LineMap(text)));
  }
  return lines;
}

export function rangeProblem(text: string, r: Range | undefined): string | undefined {
  if (!r || !r.start || !r.end) return 'no range';
  const lines = lineMapOf(text);
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `bad position ${JSON.stringify(p)}`;
    if (p.line >= lines.lineCount) return `line ${p.line} past the last line ${lines.lineCount - 1}`;
    const len = lines.lineText(p.line).length;
    if (p.character > len) return `character ${p.character} past the end of line ${p.line} (${len})`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `start after end ${JSON.stringify(r)}`;
  return undefined;
}

/**
 * Everything wrong with a list of diagnostics for a set of texts (path → text): internal errors, ranges (of the
 * diagnostic, its related locations and its fix's edits) outside their document.
 */
export function diagnosticProblems(diags: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const check = (file: string, r: Range, what: string) => {
    const text = texts.get(file);
    if (text === undefined) {
      problems.push(`${what}: unknown file ${file}`);
      return;
    }
    const p = rangeProblem(text, r);
    if (p) problems.push(`${what} in ${path.basename(file)}: ${p}`);
  };
  for (const d of diags) {
    if (d.ruleId === INTERNAL_ERROR) problems.push(`internal error: ${d.message}`);
    if (typeof d.message !== 'string' || d.message.trim() === '') problems.push(`${d.ruleId}: empty message`);
    if (!['error', 'warning', 'info'].includes(d.severity)) problems.push(`${d.ruleId}: severity ${d.severity}`);
    check(d.file, d.range, d.ruleId);
    for (const rel of d.related ?? []) check(rel.file, rel.range, `${d.ruleId} related`);
    for (const e of d.fix?.edits ?? []) check(e.file, e.range, `${d.ruleId} fix`);
  }
  return problems;
}

/** fast-check parameters for the test suite: the fixed seed, a number of runs, and a time budget per property. */
export function suiteParams(numRuns: number, budgetMs: number): fc.Parameters<unknown> {
  const scale = Number(process.env.OPEX_FUZZ_SCALE ?? 1);
  return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * scale)), interruptAfterTimeLimit: budgetMs * scale, markInterruptAsFailure: false, endOnFailure: true };
}

/** One engine case: a fuzzed manifest, a spec (or none), and sometimes an untouched neighbour file. */
export const caseArb = fc.record({
  manifest: documentArb,
  spec: specArb,
  neighbour: fc.option(fc.nat({ max: MANIFEST_SEEDS.length - 1 }).map((i) => MANIFEST_SEEDS[i].text), { nil: undefined }),
});
