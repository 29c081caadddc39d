/**
 * Child process of hostile.test.ts: lints one hostile input (test/robustness/hostile-inputs.ts) with the whole
 * catalog and the test spec in a fresh process, and prints what happened with the time and peak RSS it took.
 */
import { TEST_SPEC } from '../../server/engine/testing';
import { diagnosticProblems } from '../fuzz/corpus';
import { lintCase } from '../fuzz/engine-harness';
import { caseNamed } from './hostile-inputs';

const c = caseNamed(process.argv[2]);
const data = c.make();
const text = Buffer.isBuffer(data) ? data.toString('utf8') : data;
const t0 = performance.now();
const r = lintCase({ manifest: text, spec: { name: 'opex.yaml', text: TEST_SPEC } });
const ms = Math.round(performance.now() - t0);
const byRule: Record<string, number> = {};
for (const d of r.diagnostics) byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
const messages = [...new Set(r.diagnostics.map((d) => d.message))].slice(0, 8);
process.stdout.write(
  `${JSON.stringify({ name: c.name, bytes: Buffer.byteLength(text), ms, rssMB: Math.round(process.resourceUsage().maxRSS / 1024), byRule, messages, problems: [...r.problems, ...diagnosticProblems(r.diagnostics, r.ws.texts)].slice(0, 5) })}\n`,
);
