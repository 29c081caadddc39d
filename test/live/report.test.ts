/** Report formats: the chapter's table as text and Markdown, JUnit XML for CI, JSON. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport } from '../../server/live/report';
import { summarize } from '../../server/live/run';
import type { CheckResult, VerifyReport } from '../../server/live/types';

const res = (id: CheckResult['id'], status: CheckResult['status'], target: string, actual: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id, title: `title of ${id}`, criterion: '', status, target, actual, details: [], durationMs: 120, disruptive: false, objects: [], ...extra,
});

function report(results: CheckResult[]): VerifyReport {
  return {
    version: 1, tool: 'opex verify',
    spec: { file: '/w/opex.yaml', service: 'task-api', namespace: 'production' },
    cluster: { context: 'kind-opex', server: 'https://127.0.0.1:6443', version: 'v1.32.4' },
    startedAt: '2025-12-30T10:45:00.000Z', finishedAt: '2025-12-30T10:45:03.200Z', durationMs: 3200,
    allowDisruptive: false, cancelled: false, results, summary: summarize(results),
  };
}

const sample = report([
  res('SC-001', 'PASS', '4 labels', '4 labels', { details: ['3 pods checked'] }),
  res('SC-003', 'FAIL', 'Available', 'Missing', { reason: 'VPA <x> has no recommendation & "none"', details: ['a | b'] }),
  res('SC-004', 'ERROR', '0 2 * * * UTC', '', { reason: '403: cannot list schedules.velero.io in velero' }),
  res('SC-007', 'SKIP', '< 30m', '', { reason: 'changes the cluster' }),
]);

describe('reports', () => {
  it('text: an aligned table, then the reasons of what did not pass, then the summary', () => {
    const text = formatReport(sample, 'text');
    const lines = text.split('\n');
    assert.equal(lines[0], 'opex verify: task-api (namespace production) against context kind-opex (https://127.0.0.1:6443, v1.32.4)');
    assert.equal(lines[2], 'Success Criterion        Target         Actual    Status');
    assert.equal(lines[4], 'SC-001: title of SC-001  4 labels       4 labels  PASS');
    assert.equal(lines[6], 'SC-004: title of SC-004  0 2 * * * UTC  —         ERROR');
    assert.ok(text.includes('\nSC-003 FAIL: VPA <x> has no recommendation & "none"\n    a | b\n'));
    assert.ok(!text.includes('3 pods checked'), 'passing details only with verbose');
    assert.ok(formatReport(sample, 'text', { verbose: true }).includes('    3 pods checked'));
    assert.ok(text.endsWith('\n1 passed, 1 failed, 1 skipped, 1 error in 3.20 s\n'));
    assert.ok(formatReport(sample, 'text', { color: true }).includes('\u001b[31mFAIL\u001b[0m'));
  });

  it('markdown: the chapter\'s table with pipes escaped, then details', () => {
    const md = formatReport(sample, 'markdown');
    assert.ok(md.includes('| Success Criterion | Target | Actual | Status |\n|---|---|---|---|\n| SC-001: title of SC-001 | 4 labels | 4 labels | PASS |\n'));
    assert.ok(md.includes('| SC-004: title of SC-004 | 0 2 * * * UTC | — | ERROR |'));
    assert.ok(md.includes('- **SC-003 FAIL**: VPA <x> has no recommendation & "none"\n  - a | b'));
  });

  it('junit: counts, one testcase per criterion, escaped text', () => {
    const xml = formatReport(sample, 'junit');
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="opex verify" tests="4" failures="1" errors="1" skipped="1" time="3.20">'));
    assert.equal(xml.match(/<testcase /g)?.length, 4);
    assert.ok(xml.includes('<failure message="VPA &lt;x&gt; has no recommendation &amp; &quot;none&quot;" type="FAIL">target: Available\nactual: Missing'));
    assert.ok(xml.includes('<error message="403: cannot list schedules.velero.io in velero" type="ERROR">'));
    assert.ok(xml.includes('<skipped message="changes the cluster"/>'));
    assert.ok(xml.includes('<property name="context" value="kind-opex"/>'));
    assert.ok(!/[<&](?!(lt|gt|amp|quot);|\/?[a-z?])/.test(xml.replace(/<\?xml[^>]*>/, '')), 'no raw markup characters in text');
  });

  it('json: the report object itself', () => {
    const back = JSON.parse(formatReport(sample, 'json'));
    assert.deepEqual(back, JSON.parse(JSON.stringify(sample)));
    assert.deepEqual(back.summary, { pass: 1, fail: 1, skip: 1, error: 1, total: 4 });
  });
});
