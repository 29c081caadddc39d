import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineMap } from '../text';
import type { Range } from '../types';
import { loadSpec } from './load';

const slice = (text: string, r: Range) => {
  const lines = new LineMap(text);
  return text.slice(lines.offset(r.start), lines.offset(r.end));
};
const contradictions = (file: string, text: string) =>
  loadSpec(file, text).diagnostics.map((d) => ({ line: d.range.start.line + 1, at: slice(text, d.range), message: d.message }));

const yaml = (recovery: string, resilience = '') => `service: a\nrecovery:\n${recovery}${resilience ? `resilience:\n${resilience}` : ''}`;
const md = (...lines: string[]) => `# A spec\n\n- SC-001: Pods carry \`app: a\`\n${lines.join('\n')}\n`;

describe('loadSpec: contradictions within a spec', () => {
  it('dispatches by extension', () => {
    assert.equal(loadSpec('/ws/a-opex-spec.md', md()).format, 'markdown');
    assert.equal(loadSpec('/ws/opex.yaml', 'service: a\n').format, 'yaml');
    assert.equal(loadSpec('/ws/SPEC.MARKDOWN', md()).format, 'markdown');
  });

  it('retention shorter than the RPO, on the retention', () => {
    const y = contradictions('/ws/opex.yaml', yaml('  rpo: 24h\n  retention: 12h\n'));
    assert.deepEqual(y.map((d) => [d.line, d.at]), [[4, '12h']]);
    assert.match(y[0].message, /Retention 12 hours is shorter than the RPO 1 day/);
    const m = contradictions('/ws/a-opex-spec.md', md('**RPO**: 24 hours', '- SC-005: Backups retain for 12 hours'));
    assert.deepEqual(m.map((d) => [d.line, d.at]), [[5, '12 hours']]);
    // Limits are inclusive.
    assert.deepEqual(contradictions('/ws/opex.yaml', yaml('  rpo: 24h\n  retention: 24h\n')), []);
  });

  it('an RTO shorter than the pod-kill recovery target, on the RTO', () => {
    const y = contradictions('/ws/opex.yaml', yaml('  rto: 10s\n', '  podKillRecovery: 30s\n'));
    assert.deepEqual(y.map((d) => [d.line, d.at]), [[3, '10s']]);
    const m = contradictions('/ws/a-opex-spec.md', md('**RTO**: 10 seconds', '- SC-008: Pod kill recovery under 30 seconds'));
    assert.deepEqual(m.map((d) => [d.line, d.at]), [[4, '10 seconds']]);
    assert.deepEqual(contradictions('/ws/opex.yaml', yaml('  rto: 30s\n', '  podKillRecovery: 30s\n')), []);
  });

  it('a required schedule whose gaps exceed the RPO, on the schedule', () => {
    const y = contradictions('/ws/opex.yaml', yaml('  rpo: 4h\n  schedule: "0 */6 * * *"\n'));
    assert.deepEqual(y.map((d) => [d.line, d.at]), [[4, '"0 */6 * * *"']]);
    assert.match(y[0].message, /6 hours between backups, more than the RPO of 4 hours/);
    const weekdays = contradictions('/ws/opex.yaml', yaml('  rpo: 24h\n  schedule: "0 0 * * 1-5"\n'));
    assert.match(weekdays[0].message, /3 days/);
    assert.deepEqual(contradictions('/ws/opex.yaml', yaml('  rpo: 24h\n  schedule: "0 2 * * *"\n')), []);
    assert.deepEqual(contradictions('/ws/opex.yaml', yaml('  rpo: 6h\n  schedule: "0 */6 * * *"\n')), []);
    const m = contradictions('/ws/a-opex-spec.md', md('**RPO**: 4 hours', '- SC-004: Velero Schedule runs every 6 hours'));
    assert.deepEqual(m.map((d) => [d.line, d.at]), [[5, 'every 6 hours']]);
  });

  it('a frequency bound longer than the RPO (markdown), on the frequency', () => {
    const m = contradictions('/ws/a-opex-spec.md', md('**RPO**: 4 hours', '- SC-004: Velero Schedule runs daily'));
    assert.deepEqual(m.map((d) => [d.line, d.at]), [[5, 'daily']]);
    // A stricter bound than the RPO is what the spec asks.
    const strict = loadSpec('/ws/a-opex-spec.md', md('**RPO**: 24 hours', '- SC-004: Velero Schedule runs at least every 12 hours'));
    assert.deepEqual(strict.diagnostics, []);
    assert.equal(strict.spec.recovery?.rpo, 12 * 3600);
  });

  it('a hook timeout not shorter than the RPO', () => {
    const y = contradictions('/ws/opex.yaml', yaml('  rpo: 1h\n  database: {hookTimeout: 2h}\n'));
    assert.deepEqual(y.map((d) => [d.line, d.at]), [[4, '2h']]);
  });
});
