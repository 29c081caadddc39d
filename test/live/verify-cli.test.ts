/** `opex verify`: arguments, exit codes, report formats on stdout or in a file, progress on stderr. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseVerifyArgs, verifyCommand, type VerifyIO } from '../../server/cli/verify';
import { UsageError } from '../../server/cli/workspace';
import { FAST, specWith, TEST_SPEC, withCluster } from './helpers';

function io(cwd: string, opts: { interactive?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: VerifyIO = {
    cwd,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    color: false,
    interactive: opts.interactive ?? false,
    signal: new AbortController().signal,
    settings: FAST,
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

function project(spec = TEST_SPEC): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opex-verify-'));
  writeFileSync(path.join(dir, 'opex.yaml'), spec);
  return dir;
}

describe('opex verify', () => {
  it('parses its options and rejects bad ones as usage errors', () => {
    const a = parseVerifyArgs(['--only', 'sc-1,SC-004', '--only', 'SC-004', '--format', 'junit', '--timeout', '5s', '--allow-disruptive', '--no-progress']);
    assert.deepEqual([a.only, a.format, a.timeoutMs, a.allowDisruptive, a.progress], [['SC-001', 'SC-004'], 'junit', 5000, true, false]);
    assert.throws(() => parseVerifyArgs(['--format', 'xml']), (e: unknown) => e instanceof UsageError && /unknown --format xml: use one of text, json, junit, markdown/.test(e.message));
    assert.throws(() => parseVerifyArgs(['--only', 'SC-011']), /--only SC-011: not a success criterion/);
    assert.throws(() => parseVerifyArgs(['--timeout', 'soon']), /--timeout soon: give a duration/);
    assert.throws(() => parseVerifyArgs(['extra']), /unexpected argument extra/);
    assert.throws(() => parseVerifyArgs(['--bogus']), (e: any) => e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION');
  });

  it('prints its help', async () => {
    const t = io(process.cwd());
    assert.equal(await verifyCommand(['--help'], t.io), 0);
    assert.match(t.out(), /^Usage: opex verify \[options\]/);
    assert.match(t.out(), /--allow-disruptive/);
  });

  it('finds the spec in the folder, prints the table on stdout, exits 0, and keeps stderr quiet off a terminal', async () => {
    await withCluster({}, async (c) => {
      const dir = project();
      try {
        const t = io(dir);
        const code = await verifyCommand(['--kubeconfig', c.kubeconfigPath], t.io);
        assert.equal(code, 0, t.err());
        const out = t.out();
        assert.match(out, /^opex verify: task-api \(namespace production\) against context opex-loopback \(https:\/\/127\.0\.0\.1:\d+, v1\.32\.4\)\n\n/);
        assert.match(out, /\nSuccess Criterion +Target +Actual +Status\n-{34}  -+  -+  -{6}\n/);
        assert.match(out, /\nSC-001: Cost labels present +4 labels +4 labels +PASS\n/);
        assert.match(out, /\nSC-005: Backup retention +720h +720h +PASS\n/);
        assert.match(out, /\nSC-007: Restore within RTO +< 30m +— +SKIP\n/);
        assert.match(out, /\nSC-007 SKIP: changes the cluster: run with --allow-disruptive/);
        assert.match(out, /\n8 passed, 0 failed, 2 skipped, 0 errors in \d+\.\d+ s\n$/);
        assert.equal(t.err(), '');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('exits 1 when a check fails, and shows progress on stderr with --progress', async () => {
    await withCluster({}, async (c) => {
      const dir = project(specWith({ 'schedule: "0 2 * * *"': 'schedule: "0 3 * * *"' }));
      try {
        const t = io(dir);
        const code = await verifyCommand(['--kubeconfig', c.kubeconfigPath, '--only', 'SC-001,SC-004', '--progress'], t.io);
        assert.equal(code, 1);
        assert.match(t.out(), /SC-004 FAIL: Schedule task-api-production-daily runs on "0 2 \* \* \*", the spec requires "0 3 \* \* \*"/);
        const err = t.err();
        assert.match(err, /^opex verify: 2 criteria against context opex-loopback/);
        assert.match(err, /\[1\/2\] SC-001 PASS  Cost labels present: 4 labels \(\d+\.\d s\)\n/);
        assert.match(err, /\[2\/2\] SC-004 FAIL  Velero schedule: 0 2 \* \* \* \(\d+\.\d s\)\n/);
        assert.doesNotMatch(t.out(), /\[1\/2\]/, 'progress never reaches stdout');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('writes JSON, JUnit or Markdown to --output, leaving stdout empty', async () => {
    await withCluster({}, async (c) => {
      const dir = project();
      try {
        const t = io(dir);
        assert.equal(await verifyCommand(['--kubeconfig', c.kubeconfigPath, '--format', 'json', '--output', 'report.json', '--only', 'SC-001'], t.io), 0);
        assert.equal(t.out(), '');
        const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
        assert.equal(json.version, 1);
        assert.deepEqual(json.summary, { pass: 1, fail: 0, skip: 0, error: 0, total: 1 });
        assert.equal(json.results[0].id, 'SC-001');
        const j = io(dir);
        await verifyCommand(['--kubeconfig', c.kubeconfigPath, '--format', 'junit', '--only', 'SC-001,SC-007'], j.io);
        assert.match(j.out(), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="opex verify" tests="2" failures="0" errors="0" skipped="1"/);
        const m = io(dir);
        await verifyCommand(['--kubeconfig', c.kubeconfigPath, '--format', 'markdown', '--only', 'SC-001'], m.io);
        assert.match(m.out(), /\| Success Criterion \| Target \| Actual \| Status \|\n\|---\|---\|---\|---\|\n\| SC-001: Cost labels present \| 4 labels \| 4 labels \| PASS \|/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('exits 2 on a context the kubeconfig lacks, and throws a usage error without a spec', async () => {
    await withCluster({}, async (c) => {
      const dir = project();
      try {
        const t = io(dir);
        assert.equal(await verifyCommand(['--kubeconfig', c.kubeconfigPath, '--context', 'prod'], t.io), 2);
        assert.equal(t.err(), 'opex verify: the kubeconfig has no context "prod" (contexts: opex-loopback)\n');
        assert.equal(t.out(), '');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const empty = mkdtempSync(path.join(tmpdir(), 'opex-verify-empty-'));
      try {
        await assert.rejects(verifyCommand([], io(empty).io), (e: unknown) => e instanceof UsageError && /no opex spec/.test(e.message));
        await assert.rejects(verifyCommand(['--spec', 'missing.yaml'], io(empty).io), /cannot read spec missing\.yaml: no such file or folder/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  it('reads the markdown spec of the examples', async () => {
    await withCluster({}, async (c) => {
      const t = io(process.cwd());
      const code = await verifyCommand({ spec: path.resolve(__dirname, '../../examples/task-api/task-api-opex-spec.md'), kubeconfig: c.kubeconfigPath, only: ['SC-003', 'SC-005'] }, t.io);
      assert.equal(code, 0, t.out() + t.err());
      assert.match(t.out(), /SC-003: VPA recommendations +Within 24h +Available +PASS/);
    });
  });
});
