import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LineMap } from '../text';
import type { Range } from '../types';
import { loadSpec } from './load';
import type { LoadedSpec, OpexSpec } from './types';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/specs');
const CHAPTER = readFileSync(path.join(FIXTURES, 'task-api-opex-spec.md'), 'utf8');

const load = (text: string, file = '/ws/task-api-opex-spec.md'): LoadedSpec => loadSpec(file, text);
const slice = (text: string, r: Range) => {
  const lines = new LineMap(text);
  return text.slice(lines.offset(r.start), lines.offset(r.end));
};
/** Diagnostics as [1-based line, text at the range, severity]. */
const problems = (text: string, l: LoadedSpec) => l.diagnostics.map((d) => [d.range.start.line + 1, slice(text, d.range), d.severity]);
const clean = (text: string, file?: string) => {
  const l = load(text, file);
  assert.deepEqual(l.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
  return l;
};
/** A minimal spec around some lines. */
const spec = (...body: string[]) => `# Task API Operational Excellence Specification\n\n${body.join('\n')}\n`;
const withLabels = (...more: string[]) => spec('- SC-001: All pods carry two cost allocation labels', '  - team: product-team', '  - app: task-api', ...more);

const CHAPTER_SPEC: OpexSpec = {
  service: 'task-api',
  namespace: 'production',
  costLabels: { team: 'product-team', app: 'task-api', environment: 'production', 'cost-center': 'engineering' },
  costLabelScope: 'service',
  cost: { vpaRecommendationWithin: 86400 },
  recovery: {
    rto: 1800,
    rpo: 86400,
    schedule: '0 2 * * *',
    timezone: 'UTC',
    retention: 2592000,
    database: { selector: { app: 'postgres' }, container: 'postgres' },
  },
  resilience: { podKillRecovery: 30, max5xx: 0, p95LatencyMs: 500 },
  constraints: { vpaUpdateMode: 'Off', chaosNamespaces: ['staging'], stableSelectorLabels: ['app'] },
  rules: {},
  criteria: [
    { id: 'SC-001', text: 'All Task API pods carry four cost allocation labels' },
    { id: 'SC-002', text: 'OpenCost returns cost data when queried by team label' },
    { id: 'SC-003', text: 'VPA generates right-sizing recommendations within 24 hours' },
    { id: 'SC-004', text: 'Velero Schedule runs daily at 2 AM UTC' },
    { id: 'SC-005', text: 'Backups retain for 30 days (720 hours)' },
    { id: 'SC-006', text: 'Pre-backup hook runs pg_dump for database consistency' },
    { id: 'SC-007', text: 'Restore completes within RTO (test in staging)' },
    { id: 'SC-008', text: 'Pod kill recovery under 30 seconds' },
    { id: 'SC-009', text: 'No 5xx errors during single pod failure' },
    { id: 'SC-010', text: 'P95 latency stays under 500ms during recovery' },
  ],
};

describe('markdown spec: the chapter\'s task-api-opex-spec.md', () => {
  it('loads to the spec the chapter means, with no diagnostics', () => {
    const l = clean(CHAPTER);
    assert.equal(l.format, 'markdown');
    assert.deepEqual(l.spec, CHAPTER_SPEC);
  });

  it('records where every field was written', () => {
    const l = load(CHAPTER);
    const at = (field: string) => {
      assert.ok(l.locations[field], `no location for ${field}`);
      return slice(CHAPTER, l.locations[field]);
    };
    assert.equal(at('service'), 'app: task-api');
    assert.equal(at('costLabels.team'), 'team: product-team');
    assert.equal(at('costLabels.cost-center'), 'cost-center: engineering');
    assert.equal(at('costLabels'), 'SC-001: All Task API pods carry four cost allocation labels');
    assert.equal(at('cost.vpaRecommendationWithin'), '24 hours');
    assert.equal(at('recovery.rto'), '30 minutes');
    assert.equal(at('recovery.rpo'), '24 hours');
    assert.equal(at('recovery.schedule'), 'daily at 2 AM UTC');
    assert.equal(at('recovery.timezone'), 'UTC');
    assert.equal(at('recovery.retention'), '30 days');
    assert.equal(at('recovery.database'), 'Pre-backup hook runs pg_dump for database consistency');
    assert.equal(at('resilience.podKillRecovery'), '30 seconds');
    assert.equal(at('resilience.max5xx'), 'No 5xx errors');
    assert.equal(at('resilience.p95LatencyMs'), '500ms');
    assert.equal(at('constraints.vpaUpdateMode'), 'Off');
    assert.equal(at('constraints.chaosNamespaces'), 'staging');
    assert.equal(at('constraints.stableSelectorLabels'), 'Cost labels must not conflict with existing selectors');
    assert.equal(at('recovery'), '2. Disaster Recovery Requirements');
    assert.equal(at('resilience'), '3. Resilience Requirements');
    assert.equal(at('constraints'), '4. Constraints');
    for (const c of CHAPTER_SPEC.criteria) {
      assert.ok(at(`criteria.${c.id}`).startsWith(`${c.id}: ${c.text}`), c.id);
    }
    // Code lenses go on the SC lines: one per line, in order.
    const lines = CHAPTER_SPEC.criteria.map((c) => l.locations[`criteria.${c.id}`].start.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.equal(new Set(lines).size, 10);
  });

  it('reads the seed as printed, with the label bullets not indented under SC-001', () => {
    const flat = CHAPTER.replace(/^ {2}- /gm, '- ');
    assert.notEqual(flat, CHAPTER);
    assert.deepEqual(clean(flat).spec, CHAPTER_SPEC);
  });

  it('reads the seed exactly as the page lost its blank lines', () => {
    const dense = CHAPTER.replace(/^ {2}- /gm, '- ').replace(/\n\n+/g, '\n');
    assert.deepEqual(clean(dense).spec, CHAPTER_SPEC);
  });
});

describe('markdown spec: the ways people write it', () => {
  it('reads CRLF line ends and a byte-order mark, with ranges in the original text', () => {
    const crlf = `\uFEFF${CHAPTER.replace(/\n/g, '\r\n')}`;
    const l = clean(crlf);
    assert.deepEqual(l.spec, CHAPTER_SPEC);
    assert.equal(slice(crlf, l.locations['recovery.rpo']), '24 hours');
    assert.equal(slice(crlf, l.locations['costLabels.app']), 'app: task-api');
    assert.equal(l.locations['recovery.rpo'].start.line, CHAPTER.split('\n').findIndex((s) => s.startsWith('**RPO')));
  });

  it('reads `*`, `+` and numbered lists, deeper or tab indentation, and other heading levels', () => {
    const varied = CHAPTER
      .replace(/^- /gm, '* ')
      .replace(/^ {2}- /gm, '\t+ ')
      .replace(/^## /gm, '### ')
      .replace(/^# (.*)$/m, '$1\n===');
    assert.deepEqual(clean(varied).spec, CHAPTER_SPEC);
    const numbered = CHAPTER.replace(/^- (SC-\d+)/gm, '1. $1').replace(/^ {2}- /gm, '    - ');
    assert.deepEqual(clean(numbered).spec, CHAPTER_SPEC);
  });

  it('reads labels as `key: value`, in backticks, with `=`, in bold, quoted, or with a comment', () => {
    const l = clean(spec(
      '- SC-001: All Task API pods carry five cost allocation labels',
      '  - `team: product-team`',
      '  - **app**: task-api',
      '  - environment=production',
      '  - cost-center: "engineering" (finance code)',
      '  - `owner`: `platform`',
    ));
    assert.deepEqual(l.spec.costLabels, { team: 'product-team', app: 'task-api', environment: 'production', 'cost-center': 'engineering', owner: 'platform' });
  });

  it('reads labels written inline in SC-001 or in a **Cost labels** line', () => {
    const inline = clean(spec('- SC-001: Pods carry team=commerce, app=order-service, environment=production, cost-center=revenue'), '/ws/order-service-opex-spec.md');
    assert.deepEqual(inline.spec.costLabels, { team: 'commerce', app: 'order-service', environment: 'production', 'cost-center': 'revenue' });
    const ticks = clean(spec('- SC-001: Pods carry `team: commerce` and `app: order-service`'));
    assert.deepEqual(ticks.spec.costLabels, { team: 'commerce', app: 'order-service' });
    const field = clean(spec('**Cost labels**: team: commerce, app: order-service, cost-center: revenue'));
    assert.deepEqual(field.spec.costLabels, { team: 'commerce', app: 'order-service', 'cost-center': 'revenue' });
    const list = clean(spec('**Cost labels**:', '- team: commerce', '- app: order-service'));
    assert.deepEqual(list.spec.costLabels, { team: 'commerce', app: 'order-service' });
  });

  it('reads bold, italic and plain field keys, with the colon inside or outside the bold', () => {
    for (const line of ['**RTO (Recovery Time Objective)**: 30 minutes', '**RTO:** 30 minutes', '*RTO*: 30m', 'RTO: 30 min', '- **RTO**: `30m`', '__Recovery Time Objective__: half an hour', 'RTO = 30 minutes', '> **RTO**: 30 minutes']) {
      const l = clean(withLabels(line));
      assert.equal(l.spec.recovery?.rto, 1800, line);
    }
  });

  it('reads durations in words and in Go syntax', () => {
    const cases: Array<[string, number]> = [
      ['30 minutes', 1800], ['24 hours', 86400], ['720 hours', 2592000], ['30 days', 2592000], ['4 hours', 14400],
      ['`30m`', 1800], ['`720h`', 2592000], ['1h30m', 5400], ['1 hour 30 minutes', 5400], ['< 15 minutes', 900],
      ['24 hours (daily backups acceptable)', 86400], ['within 2 hours', 7200], ['daily', 86400],
    ];
    for (const [text, seconds] of cases) {
      const l = clean(withLabels(`**RPO (Recovery Point Objective)**: ${text}`));
      assert.equal(l.spec.recovery?.rpo, seconds, text);
    }
  });

  it('reads every backup frequency of SC-004 as a 5-field cron and its time zone', () => {
    const cases: Array<[string, string, string]> = [
      ['Velero Schedule runs daily at 2 AM UTC', '0 2 * * *', 'UTC'],
      ['Velero Schedule runs every 6 hours', '0 */6 * * *', 'UTC'],
      ['Velero Schedule runs hourly', '0 * * * *', 'UTC'],
      ['Velero Schedule runs weekly on Sunday at 3 AM', '0 3 * * 0', 'UTC'],
      ['Velero Schedule runs daily at 02:00 UTC', '0 2 * * *', 'UTC'],
      ['Velero Schedule runs at 2:30 AM Europe/Berlin', '30 2 * * *', 'Europe/Berlin'],
      ['Velero Schedule uses `0 1 * * *`', '0 1 * * *', 'UTC'],
    ];
    for (const [sc4, cron, tz] of cases) {
      const l = clean(withLabels(`- SC-004: ${sc4}`));
      assert.equal(l.spec.recovery?.schedule, cron, sc4);
      assert.equal(l.spec.recovery?.timezone, tz, sc4);
    }
  });

  it('takes a frequency without a time as the RPO when the spec states none, and no exact schedule', () => {
    const l = clean(withLabels('- SC-004: Velero Schedule runs daily'));
    assert.equal(l.spec.recovery?.schedule, undefined);
    assert.equal(l.spec.recovery?.rpo, 86400);
    const text = withLabels('- SC-004: Velero Schedule runs daily');
    assert.equal(slice(text, l.locations['recovery.rpo']), 'daily');
    const meets = clean(withLabels('**RPO**: 4 hours', '- SC-004: Velero Schedule runs at least every 4 hours (the RPO)'));
    assert.equal(meets.spec.recovery?.rpo, 14400);
    assert.equal(meets.spec.recovery?.schedule, undefined);
    const refers = clean(withLabels('**RPO**: 4 hours', '- SC-004: Velero Schedule meets the RPO'));
    assert.equal(refers.spec.recovery?.rpo, 14400);
  });

  it('reads retention, database, recovery, 5xx and latency phrases', () => {
    const l = clean(withLabels(
      '- SC-005: Backups are kept for 7 days',
      '- SC-006: Pre-backup hook runs `pg_dump` in container `db` of pods `app: orders-db` with a 5 minutes timeout',
      '- SC-007: Restore completes within 20 minutes',
      '- SC-008: Pod kill recovery within 45s',
      '- SC-009: At most 3 5xx errors during single pod failure',
      '- SC-010: P95 latency stays below 0.8 seconds during recovery',
    ));
    assert.equal(l.spec.recovery?.retention, 604800);
    assert.deepEqual(l.spec.recovery?.database, { selector: { app: 'orders-db' }, container: 'db', hookTimeout: 300 });
    assert.equal(l.spec.recovery?.rto, 1200);
    assert.deepEqual(l.spec.resilience, { podKillRecovery: 45, max5xx: 3, p95LatencyMs: 800 });
  });

  it('gives SC-006 with pg_dump the documented defaults, and no database to a stateless service', () => {
    assert.deepEqual(clean(withLabels('- SC-006: Pre-backup hook runs pg_dump …')).spec.recovery?.database, { selector: { app: 'postgres' }, container: 'postgres' });
    assert.equal(clean(withLabels('- SC-006: Not applicable (stateless service)')).spec.recovery?.database, undefined);
    assert.equal(clean(withLabels('- SC-004: Velero Schedule runs daily at 2 AM UTC')).spec.recovery?.database, undefined);
    const mysql = clean(withLabels('- SC-006: Pre-backup hook runs mysqldump in container `mysql` of pods `app: mysql`'));
    assert.deepEqual(mysql.spec.recovery?.database, { selector: { app: 'mysql' }, container: 'mysql' });
  });

  it('leaves criteria without a value alone when they state none', () => {
    const l = clean(withLabels(
      '- SC-003: VPA generates right-sizing recommendations for all containers',
      '- SC-007: Restore completes within RTO (test in staging)',
      '- SC-008: Survives the loss of any single pod',
    ));
    assert.equal(l.spec.cost.vpaRecommendationWithin, undefined);
    assert.deepEqual(l.spec.resilience, {});
  });

  it('reads the constraints list', () => {
    const l = clean(withLabels(
      '## Constraints',
      '- VPA in Initial mode only (never Auto)',
      '- Chaos experiments only in `staging` and `qa` (not production)',
      '- Selectors may only use `app` and `version`',
      '- All changes go through review',
    ));
    assert.deepEqual(l.spec.constraints, { vpaUpdateMode: 'Initial', chaosNamespaces: ['staging', 'qa'], stableSelectorLabels: ['app', 'version'] });
    const words = clean(withLabels('## 4. Constraints', '- Chaos experiments limited to staging and perf namespaces'));
    assert.deepEqual(words.spec.constraints.chaosNamespaces, ['staging', 'perf']);
  });

  it('reads severity overrides from a Rules section', () => {
    const l = clean(withLabels('## Rules', '- resources-requests-missing: off', '- `chaos-mode-too-broad`: error'));
    assert.deepEqual(l.spec.rules, { 'resources-requests-missing': 'off', 'chaos-mode-too-broad': 'error' });
  });

  it('takes the service name from the app label, else the file name, else the title, and a **Service** line first', () => {
    assert.equal(clean(withLabels(), '/ws/whatever-opex-spec.md').spec.service, 'task-api');
    const noApp = spec('- SC-001: Pods carry `team: commerce`');
    assert.equal(clean(noApp, '/ws/order-service-opex-spec.md').spec.service, 'order-service');
    assert.equal(clean(noApp, '/ws/opex-spec.md').spec.service, 'task-api');
    assert.equal(clean(`# Payments: Operational Excellence Spec\n\n- SC-001: Pods carry \`team: money\`\n`, '/ws/opex-spec.md').spec.service, 'payments');
    assert.equal(clean(withLabels('**Service**: tasks'), '/ws/x-opex-spec.md').spec.service, 'tasks');
  });

  it('defaults the namespace to production and reads a **Namespace** line', () => {
    assert.equal(clean(withLabels()).spec.namespace, 'production');
    const text = withLabels('**Namespace**: `shop`');
    const l = clean(text);
    assert.equal(l.spec.namespace, 'shop');
    assert.equal(slice(text, l.locations.namespace), 'shop');
  });

  it('skips code blocks, HTML comments, tables and summary lines', () => {
    const l = clean(withLabels(
      '```yaml',
      '**RTO**: 1 minute',
      '- SC-004: broken',
      '```',
      '<!--',
      '- SC-005: Backups retain for nothing',
      '-->',
      '| SC-008: Pod recovery | < 30s | 4s | PASS |',
      '- SC-004 to SC-007: Disaster recovery (Velero schedule, hooks, 30-min RTO)',
      '**RTO**: 30 minutes',
    ));
    assert.equal(l.spec.recovery?.rto, 1800);
    assert.deepEqual(l.spec.criteria.map((c) => c.id), ['SC-001']);
  });

  it('reads tables whose first cell is an SC id or a field', () => {
    const text = withLabels(
      '| Objective | Target |',
      '|---|:---:|',
      '| **RTO** | 30 minutes |',
      '| RPO | `4h` |',
      '',
      '| Criterion | Statement |',
      '| --- | --- |',
      '| SC-004 | Velero Schedule runs every 4 hours |',
      '| SC-009 | No 5xx errors during single pod failure |',
    );
    const l = clean(text);
    assert.equal(l.spec.recovery?.rto, 1800);
    assert.equal(l.spec.recovery?.rpo, 14400);
    assert.equal(l.spec.recovery?.schedule, '0 */4 * * *');
    assert.equal(l.spec.resilience?.max5xx, 0);
    assert.deepEqual(l.spec.criteria.map((c) => c.id), ['SC-001', 'SC-004', 'SC-009']);
    assert.equal(slice(text, l.locations['criteria.SC-004']), 'SC-004 | Velero Schedule runs every 4 hours');
    const bad = withLabels('| RTO | soon |');
    assert.deepEqual(problems(bad, load(bad)), [[6, 'soon', 'error']]);
  });

  it('leaves verification checklists and results alone', () => {
    const l = clean(CHAPTER + [
      '',
      '## Verification Checklist',
      '',
      '- SC-004: `velero schedule describe` shows Phase Enabled',
      '| SC-001: Cost labels present | 4 labels | 4 labels | PASS |',
      '**RTO**: measured 2m 15s',
    ].join('\n'));
    assert.deepEqual(l.spec, CHAPTER_SPEC);
  });

  it('leaves constraints it does not check alone', () => {
    const l = clean(withLabels('## Constraints', '- A/B experiments use feature flags', '- All changes go through GitOps review', '- Do not change Deployment selectors'));
    assert.deepEqual(l.spec.constraints, { vpaUpdateMode: 'Off', chaosNamespaces: ['staging'], stableSelectorLabels: ['app'] });
  });

  it('reads YAML front matter fields', () => {
    const l = clean(`---\nservice: orders\nnamespace: shop\n---\n# Orders spec\n\n- SC-001: Pods carry \`team: commerce\`\n`);
    assert.equal(l.spec.service, 'orders');
    assert.equal(l.spec.namespace, 'shop');
  });

  it('joins an indented continuation line to its criterion', () => {
    const l = clean(withLabels('- SC-004: Velero Schedule runs daily', '  at 2 AM UTC'));
    assert.equal(l.spec.recovery?.schedule, '0 2 * * *');
    assert.equal(l.spec.criteria[1].text, 'Velero Schedule runs daily at 2 AM UTC');
  });
});

describe('markdown spec: what cannot be understood is reported on its line', () => {
  const one = (text: string) => {
    const l = load(text);
    assert.equal(l.diagnostics.length, 1, JSON.stringify(l.diagnostics.map((d) => d.message)));
    const d = l.diagnostics[0];
    assert.equal(d.ruleId, 'spec-invalid');
    return { line: d.range.start.line + 1, text: slice(text, d.range), message: d.message, severity: d.severity };
  };
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((s) => s.includes(needle)) + 1;

  it('a field with no duration', () => {
    for (const [line, bad] of [['**RTO**: soon', 'soon'], ['**RPO**: 24', '24'], ['**RPO (Recovery Point Objective)**: about a fortnight', 'about a fortnight'], ['**RTO**: 30 or 40 minutes', '30 or 40 minutes']]) {
      const text = withLabels(line);
      const p = one(text);
      assert.equal(p.line, lineOf(text, line), line);
      assert.equal(p.text, bad, line);
    }
    const empty = withLabels('**RTO**:');
    assert.equal(one(empty).line, lineOf(empty, '**RTO**'));
  });

  it('two durations that disagree', () => {
    const text = withLabels('- SC-005: Backups retain for 30 days (700 hours)');
    const p = one(text);
    assert.equal(p.line, lineOf(text, 'SC-005'));
    assert.equal(p.text, '30 days (700 hours');
    const rpo = withLabels('**RPO**: 24 hours (2 days)');
    assert.equal(one(rpo).text, '2 days');
  });

  it('a frequency, retention, recovery time, 5xx count or latency it cannot read', () => {
    const cases: Array<[string, string]> = [
      ['- SC-004: Velero Schedule runs fortnightly', 'Velero Schedule runs fortnightly'],
      ['- SC-004: Velero Schedule runs every 5 hours', 'every 5 hours'],
      ['- SC-004: Velero Schedule runs daily at 2 AM PST8', 'PST8'],
      ['- SC-005: Backups retain for a long time', 'Backups retain for a long time'],
      ['- SC-008: Pod kill recovery under thirty-five seconds', 'Pod kill recovery under thirty-five seconds'],
      ['- SC-009: Fewer than 1% 5xx errors', 'Fewer than 1% 5xx errors'],
      ['- SC-009: Errors stay low', 'Errors stay low'],
      ['- SC-010: P99 latency under 1s', 'P99'],
      ['- SC-010: Latency stays under 500ms', 'Latency stays under 500ms'],
      ['- SC-003: VPA recommends within a fortnight', 'VPA recommends within a fortnight'],
    ];
    for (const [line, bad] of cases) {
      const text = withLabels(line);
      const p = one(text);
      assert.equal(p.line, lineOf(text, line), line);
      assert.equal(p.text, bad, line);
    }
  });

  it('labels that are no labels, or do not match SC-001\'s count', () => {
    const nested = spec('- SC-001: Pods carry two labels', '  - team product-team', '  - app: task-api');
    assert.deepEqual(problems(nested, load(nested)), [[4, 'team product-team', 'error']]);
    const invalid = spec('- SC-001: Pods carry two labels', '  - team: Product Team!', '  - app: task-api');
    assert.equal(one(invalid).line, 4);
    const count = spec('- SC-001: Pods carry four cost allocation labels', '  - team: a', '  - app: b', '  - environment: c');
    const p = one(count);
    assert.equal(p.line, 3);
    assert.equal(p.text, 'four cost allocation labels');
    const none = spec('- SC-001: Pods carry the cost labels');
    assert.equal(one(none).line, 3);
    const twice = withLabels('  - team: other-team');
    assert.equal(one(twice).line, lineOf(twice, 'other-team'));
  });

  it('SC-002 querying by a label the spec does not list', () => {
    const text = withLabels('- SC-002: OpenCost returns cost data when queried by department label');
    assert.equal(one(text).text, 'by department label');
  });

  it('constraints it cannot read', () => {
    const vpa = withLabels('## Constraints', '- VPA in Sometimes mode');
    assert.equal(one(vpa).line, lineOf(vpa, 'Sometimes'));
    const two = withLabels('## Constraints', '- VPA in Off or Initial mode');
    assert.match(one(two).message, /Off and Initial/);
    const chaos = withLabels('## Constraints', '- Chaos experiments somewhere safe');
    assert.equal(one(chaos).line, lineOf(chaos, 'somewhere safe'));
    const both = withLabels('## Constraints', '- Chaos experiments only in production (not production)');
    assert.equal(one(both).line, lineOf(both, 'only in production'));
  });

  it('a database tool without its pods and container', () => {
    const text = withLabels('- SC-006: Pre-backup hook runs mysqldump');
    assert.match(one(text).message, /mysqldump/);
  });

  it('the same field stated twice with different values, on the second', () => {
    const text = withLabels('**RTO**: 30 minutes', '- SC-007: Restore completes within 15 minutes');
    const p = one(text);
    assert.equal(p.line, lineOf(text, 'SC-007'));
    assert.equal(p.text, '15 minutes');
    assert.match(p.message, /line \d+ already says 30 minutes/);
    const same = withLabels('**RTO**: 30 minutes', '- SC-007: Restore completes within 30 minutes');
    assert.equal(load(same).diagnostics.length, 0);
  });

  it('a criterion stated twice, and ids opex does not know (a warning)', () => {
    const dup = withLabels('- SC-009: No 5xx errors', '- SC-009: No 5xx errors ever');
    assert.equal(one(dup).line, lineOf(dup, 'errors ever'));
    const extra = withLabels('- SC-011: Dashboards exist');
    const p = one(extra);
    assert.equal(p.severity, 'warning');
    assert.equal(p.text, 'SC-011');
  });

  it('bad names and time zones', () => {
    assert.equal(one(withLabels('**Namespace**: Prod_1')).text, 'Prod_1');
    assert.equal(one(withLabels('**Timezone**: Mars/Base')).text, 'Mars/Base');
    const f = one(withLabels('- SC-004: Velero Schedule runs daily at 2 AM local time'));
    assert.equal(f.text, 'local time');
  });

  it('a file with nothing opex can read', () => {
    const l = load('# Notes\n\nSome prose about the service.\n', '/ws/opex-spec.md');
    assert.deepEqual(l.diagnostics.map((d) => d.range.start.line), [0]);
    assert.match(l.diagnostics[0].message, /No success criteria/);
    const empty = load('', '/ws/opex-spec.md');
    assert.equal(empty.diagnostics.length, 2); // no service, nothing readable
    assert.ok(empty.diagnostics.every((d) => d.range.start.line === 0));
  });
});

describe('markdown spec: never throws, ranges stay inside the text', () => {
  const check = (text: string) => {
    const l = load(text);
    const lines = new LineMap(text);
    const inside = (r: Range) =>
      r.start.line < lines.lineCount && r.end.line < lines.lineCount &&
      r.start.character <= lines.lineText(r.start.line).length + 1 && r.end.character <= lines.lineText(r.end.line).length + 1;
    for (const d of l.diagnostics) assert.ok(inside(d.range), JSON.stringify(d));
    for (const [k, r] of Object.entries(l.locations)) assert.ok(inside(r), k);
  };

  it('on random text', async () => {
    const fc = await import('fast-check');
    fc.assert(fc.property(fc.string({ maxLength: 400 }), check), { numRuns: 300 });
  });

  it('on the chapter\'s lines shuffled, cut and re-indented', async () => {
    const fc = await import('fast-check');
    const source = CHAPTER.split('\n');
    const line = fc.oneof(fc.constantFrom(...source), fc.string({ maxLength: 40 }));
    const edit = fc.tuple(fc.constantFrom('', '  ', '\t', '> ', '* ', '1. ', '### '), line, fc.constantFrom('\n', '\r\n'));
    fc.assert(fc.property(fc.array(edit, { maxLength: 60 }), (parts) => check(parts.map(([a, b, c]) => a + b + c).join(''))), { numRuns: 300 });
  });
});
