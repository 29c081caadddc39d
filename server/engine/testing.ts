/** Helpers for tests: lint in-memory files as the CLI would lint them on disk. */
import * as path from 'node:path';
import { applyEdits } from './edit';
import { Linter } from './lint';
import { SpecSet } from './spec/specs';
import { LineMap } from './text';
import type { Diagnostic } from './types';
import { WorkspaceIndex } from './workspace';

/** The opex.yaml of PRODUCT.md (the chapter's task-api, with the hook timeout the chapter's Schedule uses). */
export const TEST_SPEC = `service: task-api
namespace: production
costLabels: {team: product-team, app: task-api, environment: production, cost-center: engineering}
recovery:
  rto: 30m
  rpo: 24h
  schedule: "0 2 * * *"
  timezone: UTC
  retention: 720h
  database: {selector: {app: postgres}, container: postgres, hookTimeout: 120s}
resilience:
  podKillRecovery: 30s
  max5xx: 0
  p95LatencyMs: 500
constraints:
  vpaUpdateMode: "Off"
  chaosNamespaces: [staging]
  stableSelectorLabels: [app]
`;

/** Where in-memory workspaces live; nothing is read from or written to it. */
export const TEST_ROOT = path.resolve('/opex-test-workspace');

export interface TestWorkspace {
  index: WorkspaceIndex;
  specs: SpecSet;
  linter: Linter;
  /** Absolute path of a file given by its name relative to the workspace. */
  abs(name: string): string;
}

/**
 * A workspace of in-memory files (name → text). The spec is opex.yaml at the root: TEST_SPEC unless
 * `spec` gives another text, or none with `spec: null`.
 */
export function testWorkspace(files: Record<string, string>, opts: { spec?: string | null; only?: string[] } = {}): TestWorkspace {
  const index = new WorkspaceIndex();
  const specs = new SpecSet();
  const spec = opts.spec === undefined ? TEST_SPEC : opts.spec;
  if (spec !== null) specs.setFile(path.join(TEST_ROOT, 'opex.yaml'), spec);
  for (const [name, text] of Object.entries(files)) index.setFile(path.join(TEST_ROOT, name), text);
  const linter = new Linter(index, specs, { only: opts.only });
  return { index, specs, linter, abs: (name) => path.join(TEST_ROOT, name) };
}

/** Lints files and returns every diagnostic with its file made relative to the workspace. */
export function lintFiles(files: Record<string, string>, opts: { spec?: string | null; only?: string[] } = {}): Diagnostic[] {
  const ws = testWorkspace(files, opts);
  const out: Diagnostic[] = [];
  for (const list of ws.linter.lintAll().values()) {
    for (const d of list) out.push({ ...d, file: path.relative(TEST_ROOT, d.file) });
  }
  return out;
}

/** Diagnostics of one rule for one manifest text (as `manifests.yaml`). */
export function lintRule(ruleId: string, manifests: string, opts: { spec?: string | null } = {}): Diagnostic[] {
  return lintFiles({ 'manifests.yaml': manifests }, { ...opts, only: [ruleId] }).filter((d) => d.ruleId === ruleId);
}

/** Applies the fixes of the given diagnostics (all in one file) to its text. */
export function applyFixes(text: string, diagnostics: readonly Diagnostic[]): string {
  const edits = diagnostics.flatMap((d) => d.fix?.edits ?? []);
  return applyEdits(text, new LineMap(text), edits);
}

/** 1-based line of a diagnostic, as editors show it (handy in assertions). */
export function lineOf(d: Diagnostic): number {
  return d.range.start.line + 1;
}

/** The text a diagnostic's range covers. */
export function textAt(text: string, d: Diagnostic): string {
  const lines = new LineMap(text);
  return text.slice(lines.offset(d.range.start), lines.offset(d.range.end));
}
