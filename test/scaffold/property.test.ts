/**
 * Whatever the spec, what the scaffolder writes lints with 0 problems under it (full rule catalog): random valid
 * specs (names, label values that are YAML 1.1 traps, RPOs, exact schedules, retention, databases, resilience,
 * stable selector labels, chaos namespaces) → scaffold → lint.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { scaffold } from '../../server/engine/scaffold';
import { loadSpec } from '../../server/engine/spec/load';
import { lintFiles } from '../../server/engine/testing';
import { describeDiagnostics } from './specs';

const word = fc.constantFrom('api', 'web', 'shop', 'billing', 'orders', 'x1', 'on', 'yes', 'no', 'off', 'true', 'null', '0755', '1e3', 'a-b');
const labelValue = fc.oneof(word, fc.tuple(word, word).map(([a, b]) => `${a}-${b}`));
const q = (s: string) => JSON.stringify(s);

const specText = fc
  .record({
    service: fc.tuple(word, word).map(([a, b]) => `${a}-${b}-svc`),
    namespace: fc.constantFrom('production', 'prod-eu', 'default', 'shop', 'staging'),
    team: labelValue,
    env: labelValue,
    costCenter: labelValue,
    owner: fc.option(labelValue, { nil: undefined }),
    app: fc.option(fc.tuple(word, word).map(([a, b]) => `${a}-${b}-app`), { nil: undefined }),
    recovery: fc.option(
      fc.record({
        rpoHours: fc.constantFrom(1, 2, 3, 4, 5, 6, 8, 12, 24, 48, 168),
        exact: fc.boolean(),
        retentionDays: fc.constantFrom(7, 14, 30, 90),
        database: fc.option(
          fc.record({ key: fc.constantFrom('app', 'role', 'app.kubernetes.io/name'), value: fc.constantFrom('postgres', 'db', 'pg-main'), container: fc.constantFrom('postgres', 'db'), timeout: fc.option(fc.constantFrom('30s', '120s', '10m'), { nil: undefined }) }),
          { nil: undefined },
        ),
      }),
      { nil: undefined },
    ),
    resilience: fc.boolean(),
    stableTeam: fc.boolean(),
    chaos: fc.constantFrom(['staging'], ['chaos', 'staging'], ['qa']),
    mode: fc.constantFrom('Off', 'Initial'),
  })
  .map((r) => {
    const labels = [`team: ${q(r.team)}`, `app: ${q(r.app ?? r.service)}`, `environment: ${q(r.env)}`, `cost-center: ${q(r.costCenter)}`];
    if (r.owner) labels.push(`example.com/owner: ${q(r.owner)}`);
    let text = `service: ${r.service}\nnamespace: ${r.namespace}\ncostLabels: {${labels.join(', ')}}\n`;
    if (r.recovery) {
      const rec = r.recovery;
      text += `recovery:\n  rpo: ${rec.rpoHours}h\n  retention: ${rec.retentionDays * 24}h\n`;
      if (rec.exact) text += `  schedule: "${rec.rpoHours >= 24 ? '30 3 * * *' : '15 * * * *'}"\n`;
      if (rec.database) {
        text += `  database: {selector: {${rec.database.key}: ${rec.database.value}}, container: ${rec.database.container}${rec.database.timeout ? `, hookTimeout: ${rec.database.timeout}` : ''}}\n`;
      }
    }
    if (r.resilience) text += 'resilience: {podKillRecovery: 30s, max5xx: 0, p95LatencyMs: 500}\n';
    text += `constraints:\n  vpaUpdateMode: "${r.mode}"\n  chaosNamespaces: [${r.chaos.join(', ')}]\n  stableSelectorLabels: [app${r.stableTeam ? ', team' : ''}]\n`;
    return text;
  });

describe('scaffold: any valid spec', () => {
  it('lints clean under the spec it came from', () => {
    let checked = 0;
    fc.assert(
      fc.property(specText, (text) => {
        const loaded = loadSpec('/opex-test-workspace/opex.yaml', text);
        fc.pre(loaded.diagnostics.every((d) => d.severity !== 'error'));
        checked++;
        const files = scaffold(loaded.spec, { specName: 'opex.yaml' });
        const problems = lintFiles(Object.fromEntries(files.map((f) => [f.path, f.text])), { spec: text });
        assert.equal(problems.length, 0, `spec:\n${text}\nproblems:\n${describeDiagnostics(problems)}`);
      }),
      { numRuns: 120, seed: 20250101 },
    );
    assert.ok(checked > 60, `enough valid specs were checked (${checked})`);
  });
});
