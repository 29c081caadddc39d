/**
 * The chapter's two specs in both forms, for the scaffold and snippet tests: the markdown files of examples/
 * (read when the markdown loader is available) and their opex.yaml equivalents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Linter } from '../../server/engine/lint';
import { loadSpec } from '../../server/engine/spec/load';
import { SpecSet } from '../../server/engine/spec/specs';
import type { LoadedSpec } from '../../server/engine/spec/types';
import { TEST_ROOT, TEST_SPEC } from '../../server/engine/testing';
import type { Diagnostic } from '../../server/engine/types';
import { WorkspaceIndex } from '../../server/engine/workspace';

export const REPO = path.resolve(__dirname, '../..');

/** The chapter's task-api spec as opex.yaml (PRODUCT.md's example). */
export const TASK_API_YAML = TEST_SPEC;

/** examples/order-service/order-service-opex-spec.md as opex.yaml: RPO 4 hours, no exact schedule, defaults elsewhere. */
export const ORDER_SERVICE_YAML = `service: order-service
namespace: production
costLabels: {team: commerce, app: order-service, environment: production, cost-center: revenue}
cost:
  vpaRecommendationWithin: 24h
recovery:
  rto: 15m
  rpo: 4h
  retention: 720h
  database: {selector: {app: postgres}, container: postgres}
resilience:
  podKillRecovery: 30s
  max5xx: 0
  p95LatencyMs: 500
constraints:
  vpaUpdateMode: "Off"
  chaosNamespaces: [staging]
`;

export interface NamedSpec {
  name: string;
  /** Spec file name in the test workspace. */
  file: string;
  text: string;
}

export const YAML_SPECS: NamedSpec[] = [
  { name: 'task-api (opex.yaml)', file: 'opex.yaml', text: TASK_API_YAML },
  { name: 'order-service (opex.yaml)', file: 'opex.yaml', text: ORDER_SERVICE_YAML },
];

export const MARKDOWN_SPECS: NamedSpec[] = [
  { name: 'task-api (markdown)', file: 'task-api-opex-spec.md', text: fs.readFileSync(path.join(REPO, 'examples/task-api/task-api-opex-spec.md'), 'utf8') },
  { name: 'order-service (markdown)', file: 'order-service-opex-spec.md', text: fs.readFileSync(path.join(REPO, 'examples/order-service/order-service-opex-spec.md'), 'utf8') },
];

/** Loads a spec text as if it were `file` at the test workspace's root; undefined when its form has no loader yet. */
export function loadNamed(s: NamedSpec): LoadedSpec | undefined {
  try {
    return loadSpec(path.join(TEST_ROOT, s.file), s.text);
  } catch (err) {
    if (/not registered/.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** Whether the markdown loader has landed (the markdown cases are skipped until it has). */
export function markdownAvailable(): boolean {
  return loadNamed(MARKDOWN_SPECS[0]) !== undefined;
}

/**
 * Lints in-memory files (name → text) under a spec given as a file at the workspace root, with the full rule
 * catalog, and returns every diagnostic (the spec's own included), files relative to the workspace.
 */
export function lintUnder(spec: NamedSpec, files: Record<string, string>): Diagnostic[] {
  const index = new WorkspaceIndex();
  const specs = new SpecSet();
  specs.setFile(path.join(TEST_ROOT, spec.file), spec.text);
  for (const [name, text] of Object.entries(files)) index.setFile(path.join(TEST_ROOT, name), text);
  const out: Diagnostic[] = [];
  for (const list of new Linter(index, specs, {}).lintAll().values()) {
    for (const d of list) out.push({ ...d, file: path.relative(TEST_ROOT, d.file) });
  }
  return out;
}

export function describeDiagnostics(list: readonly Diagnostic[]): string {
  return list.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.ruleId}: ${d.message}`).join('\n');
}
