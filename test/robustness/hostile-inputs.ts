/**
 * Hostile inputs for the engine, the CLI and the language server, each with the time and peak memory it must stay
 * within (measured on a 2-core CI machine, with headroom; README.md's Reliability section states them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../fuzz/corpus';

const DEPLOYMENT = fs.readFileSync(path.join(ROOT, 'examples', 'task-api', 'task-api-deployment.yaml'), 'utf8');
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hostile\n  namespace: production\n';

export interface HostileCase {
  name: string;
  /** What the file holds, for the docs. */
  what: string;
  make(): string | Buffer;
  /** What the user must be told (a diagnostic message of the file, or nothing when the file is read normally). */
  expect?: RegExp;
  /** Bounds for linting the file in a fresh process: wall time (ms) and peak RSS (MB). */
  bounds: { ms: number; rssMB: number };
}

function billionLaughs(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  return `${CM}data:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

function mergeBomb(): string {
  const lines = ['m0: &m0 {k0: v}'];
  for (let i = 1; i < 40; i++) lines.push(`m${i}: &m${i} {<<: [*m${i - 1}], x${i}: *m${i - 1}, y${i}: *m${i - 1}}`);
  return `${CM}data:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** About `bytes` of Deployments and Services, each pair its own application (a large rendered bundle). */
export function bigDistinct(bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = DEPLOYMENT.replaceAll('task-api', `app-${i}`);
    out.push(doc);
    size += doc.length + 4;
  }
  return out.join('---\n');
}

/** About `bytes` of copies of one Deployment and Service with other names: every Service selects every copy. */
export function bigCopies(bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = DEPLOYMENT.replace(/name: task-api\n/g, `name: task-api-${i}\n`);
    out.push(doc);
    size += doc.length + 4;
  }
  return out.join('---\n');
}

export const deepFlow = (n: number) => `${CM}data:\n  k: ${'['.repeat(n)}${']'.repeat(n)}\n`;
export const deepFlowMap = (n: number) => `${CM}data:\n  k: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
/** Block nesting: each level indented one more space (10,000 levels are 50 MB of indentation, so fewer). */
export const deepBlock = (n: number) => `${CM}data:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(2 + i)}k:`).join('\n')}\n${' '.repeat(2 + n)}v\n`;
/** Compact block sequences: `- - - - x`, 10,000 levels on one line. */
export const deepSeq = (n: number) => `${CM}data:\n  k:\n    ${'- '.repeat(n)}x\n`;

function binary(size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 255;
  }
  return b;
}

function invalidUtf8(): Buffer {
  return Buffer.concat([Buffer.from(`${CM}data:\n  k: "`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]), Buffer.from('"\n')]);
}

export const HOSTILE: readonly HostileCase[] = [
  { name: 'alias-bomb', what: 'billion laughs: 9 levels of 10 aliases (10⁹ nodes once expanded)', make: billionLaughs, expect: /Anchors and aliases are expanded at most 1000 times/, bounds: { ms: 5000, rssMB: 300 } },
  { name: 'merge-bomb', what: '40 levels of merge keys, each merging and aliasing the previous map twice', make: mergeBomb, expect: /Anchors and aliases are expanded at most 1000 times/, bounds: { ms: 5000, rssMB: 300 } },
  { name: '10mb-distinct', what: '10 MB: 7,000 Deployments and Services of distinct applications', make: () => bigDistinct(10 * 1024 * 1024), bounds: { ms: 40_000, rssMB: 1200 } },
  { name: '10mb-copies', what: '10 MB: 7,000 copies of one Deployment and Service (every Service selects every copy)', make: () => bigCopies(10 * 1024 * 1024), expect: /also selects the pods of Deployment/, bounds: { ms: 60_000, rssMB: 1600 } },
  { name: 'map-200k-keys', what: '11 MB: a ConfigMap of 200,000 keys', make: () => `${CM}data:\n${Array.from({ length: 200_000 }, (_, i) => `  key${i}: "${'v'.repeat(40)}"`).join('\n')}\n`, bounds: { ms: 30_000, rssMB: 1200 } },
  { name: 'nesting-flow-10k', what: '10,000 nested flow sequences `[[[…]]]`', make: () => deepFlow(10_000), expect: /nests maps and lists too deeply/, bounds: { ms: 5000, rssMB: 300 } },
  { name: 'nesting-flowmap-10k', what: '10,000 nested flow maps `{a: {a: …}}`', make: () => deepFlowMap(10_000), expect: /nests maps and lists too deeply/, bounds: { ms: 5000, rssMB: 300 } },
  { name: 'nesting-block-10k', what: '10,000 nested block maps (50 MB of indentation, over the CLI\'s 16 MB cap: 2,000 levels here)', make: () => deepBlock(2000), expect: /nests maps and lists too deeply/, bounds: { ms: 5000, rssMB: 300 } },
  { name: 'nesting-seq-10k', what: '10,000 nested block sequences `- - - … x`', make: () => deepSeq(10_000), expect: /nests maps and lists too deeply/, bounds: { ms: 5000, rssMB: 300 } },
  { name: 'line-1mb-quoted', what: 'a 1 MB single line: one quoted string', make: () => `${CM}data: {k: "${'x'.repeat(1024 * 1024)}"}\n`, bounds: { ms: 5000, rssMB: 400 } },
  { name: 'line-1mb-plain', what: 'a 1 MB single line: one plain scalar of words', make: () => `${CM}data:\n  k: ${'ab '.repeat(350_000)}x\n`, bounds: { ms: 5000, rssMB: 400 } },
  { name: 'line-1mb-flow', what: 'a 1 MB single line: a flow map of 90,000 keys', make: () => `${CM}data: {${Array.from({ length: 90_000 }, (_, i) => `k${i}: v`).join(', ')}}\n`, bounds: { ms: 10_000, rssMB: 500 } },
  { name: 'binary', what: '1 MB of random bytes with a .yaml name', make: () => binary(1024 * 1024), expect: /not a text file|not valid UTF-8/, bounds: { ms: 5000, rssMB: 300 } },
  { name: 'invalid-utf8', what: 'a manifest with invalid UTF-8 bytes in a value', make: invalidUtf8, expect: /not valid UTF-8/, bounds: { ms: 5000, rssMB: 300 } },
];

export function caseNamed(name: string): HostileCase {
  const c = HOSTILE.find((x) => x.name === name);
  if (!c) throw new Error(`no hostile case ${name}`);
  return c;
}
