/**
 * Hostile input through `opex lint` as a user runs it (a process on a temporary folder, its time and peak memory
 * measured): a folder of hostile files, a FIFO and /dev/zero named *.yaml, symlink loops, a file over the size cap,
 * a 10 MB file, `--spec` that points at a folder or a FIFO, a file deleted while being read; and `--fix` writing
 * atomically, keeping mode, owner, CRLF line endings and symbolic links.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import realFs from 'node:fs'; // the module object itself, whose methods node:test can mock
import * as path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { main } from '../../server/cli/main';
import { writeFileAtomic } from '../../server/cli/io';
import { ROOT } from '../fuzz/corpus';
import { cliCommand, lintRunProblems, tempFolder, terminalProblems } from '../fuzz/cli-harness';
import { bigDistinct, caseNamed } from './hostile-inputs';

const folders: string[] = [];
after(() => folders.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = tempFolder('opex-hostile-');
  folders.push(dir);
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssMB: number;
}

/** `opex <args>` in `cwd`, with its wall time and peak RSS. */
function opex(args: string[], cwd: string, timeoutMs = 120_000): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.OPEX_DEBUG;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--require', path.join(ROOT, 'test', 'robustness', 'rss-preload.cjs'), ...cliCommand(), ...args], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  const ms = Date.now() - t0;
  const m = /\nOPEX_TEST_MAXRSS_KB=(\d+)\n$/.exec(r.stderr ?? '');
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').replace(/\nOPEX_TEST_MAXRSS_KB=\d+\n$/, ''), ms, rssMB: m ? Math.round(Number(m[1]) / 1024) : -1 };
}

function report(run: Run): Map<string, Array<{ ruleId: string; message: string }>> {
  const json = JSON.parse(run.stdout) as { files: Array<{ path: string; diagnostics: Array<{ ruleId: string; message: string }> }> };
  return new Map(json.files.map((f) => [f.path, f.diagnostics]));
}

function text(data: string | Buffer): string {
  return Buffer.isBuffer(data) ? data.toString('utf8') : data;
}

describe('opex lint on hostile folders', () => {
  it('a folder of hostile files: each gets its diagnostic, special files and symlink loops are skipped, no hang, no stack trace', () => {
    const files: Record<string, string | Buffer> = {
      'binary.yaml': caseNamed('binary').make(),
      'bad-utf8.yaml': caseNamed('invalid-utf8').make(),
      'bomb.yaml': caseNamed('alias-bomb').make(),
      'merge-bomb.yaml': caseNamed('merge-bomb').make(),
      'deep-flow.yaml': caseNamed('nesting-flow-10k').make(),
      'deep-seq.yaml': caseNamed('nesting-seq-10k').make(),
      'line.yaml': caseNamed('line-1mb-plain').make(),
      'warnings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? [a, b]\n  : c\n  d: !custom x\n',
      'opex.yaml': 'service: task-api\nnamespace: production\ncostLabels: {team: product-team, app: task-api}\nlive:\n  weird: !tag {? [a]: b}\n',
    };
    const dir = folder(files);
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    fs.symlinkSync('.', path.join(dir, 'loop'));
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.symlinkSync('../..', path.join(dir, 'a', 'b', 'up'));
    fs.symlinkSync('self.yaml', path.join(dir, 'self.yaml'));
    fs.symlinkSync('missing.yaml', path.join(dir, 'dangling.yaml'));
    const run = opex(['lint', '--format', 'json', '.'], dir, 60_000);
    assert.equal(run.signal, null, 'no hang');
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(terminalProblems(run.stderr), []);
    const texts = new Map(Object.entries(files).map(([n, d]) => [path.join(dir, n), text(d)]));
    assert.deepEqual(lintRunProblems({ ...run, signal: null }, texts, dir), []);
    const byFile = report(run);
    const first = (f: string) => byFile.get(f)?.map((d) => d.message).join(' | ') ?? '';
    assert.match(first('binary.yaml'), /not a text file/);
    assert.match(first('bad-utf8.yaml'), /not valid UTF-8/);
    assert.match(first('bomb.yaml'), /expanded at most 1000 times/);
    assert.match(first('merge-bomb.yaml'), /expanded at most 1000 times/);
    assert.match(first('deep-flow.yaml'), /nests maps and lists too deeply/);
    assert.match(first('deep-seq.yaml'), /nests maps and lists too deeply/);
    assert.deepEqual(byFile.get('warnings.yaml') ?? [], []);
    for (const special of ['pipe.yaml', 'zero.yaml', 'self.yaml', 'dangling.yaml']) assert.equal(byFile.has(special), false, special);
    assert.ok([...byFile.keys()].every((f) => !f.startsWith('loop/') && !f.startsWith('a/')), 'the loops were not followed');
    assert.ok(run.ms < 20_000, `${run.ms} ms`);
    assert.ok(run.rssMB > 0 && run.rssMB < 400, `${run.rssMB} MB`);
  });

  it('a 10 MB manifest is linted within bounds', () => {
    const dir = folder({ 'big.yaml': bigDistinct(10 * 1024 * 1024) });
    const run = opex(['lint', '--format', 'json', 'big.yaml'], dir);
    assert.equal(run.signal, null);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.deepEqual(terminalProblems(run.stderr), []);
    assert.ok(run.ms < 60_000, `${run.ms} ms`);
    assert.ok(run.rssMB < 1200, `${run.rssMB} MB`);
  });

  it('a file over the 16 MB cap: exit 2 with a clear message, without reading it', () => {
    const dir = folder();
    const fd = fs.openSync(path.join(dir, 'huge.yaml'), 'w');
    fs.ftruncateSync(fd, 17 * 1024 * 1024); // sparse: no memory, no disk
    fs.closeSync(fd);
    const run = opex(['lint', '.'], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^opex lint: .*huge\.yaml: 17\.0 MB is larger than opex reads \(16 MB\)\n$/);
    assert.ok(run.rssMB < 200, `read it anyway? ${run.rssMB} MB`);
  });

  it('--spec that points at a folder, a FIFO or nothing: exit 2 with one line, no hang', () => {
    const dir = folder({ 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    fs.mkdirSync(path.join(dir, 'specs'));
    execFileSync('mkfifo', [path.join(dir, 'spec.fifo')]);
    const asFolder = opex(['lint', '--spec', 'specs', '.'], dir);
    assert.equal(asFolder.code, 2);
    assert.equal(asFolder.stderr, 'opex lint: --spec specs is a folder; give the spec file (opex.yaml or *-opex-spec.md)\n');
    const asFifo = opex(['lint', '--spec', 'spec.fifo', '.'], dir, 20_000);
    assert.equal(asFifo.signal, null, 'opening a FIFO must not wait for a writer');
    assert.equal(asFifo.code, 2);
    assert.match(asFifo.stderr, /^opex lint: .*spec\.fifo: not a regular file\n$/);
    const missing = opex(['lint', '--spec', 'nope/opex.yaml', '.'], dir);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'opex lint: cannot read spec nope/opex.yaml: no such file or folder\n');
    const fifoPath = opex(['lint', 'spec.fifo'], dir, 20_000);
    assert.equal(fifoPath.code, 2);
    assert.equal(fifoPath.stderr, 'opex lint: cannot read spec.fifo: not a file or folder\n');
  });

  it('a file deleted while being read: exit 2 naming it, no stack trace', async () => {
    const dir = folder({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' });
    const victim = path.join(dir, 'b.yaml');
    const original = realFs.openSync;
    const spy = mock.method(realFs, 'openSync', (file: fs.PathLike, ...rest: unknown[]) => {
      if (String(file) === victim) fs.rmSync(victim, { force: true }); // gone between the walk and the read
      return (original as (...a: unknown[]) => number)(file, ...rest);
    });
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await main(['lint', '--format', 'json', '.'], { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => err.push(t), color: false, interactive: false });
      assert.equal(code, 2);
      assert.equal(err.join(''), 'opex lint: cannot read b.yaml: no such file or folder\n');
    } finally {
      spy.mock.restore();
    }
  });
});

describe('opex lint --fix writes safely', () => {
  const CRLF_DEPLOYMENT = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: task-api',
    '  namespace: production',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    '      app: task-api',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: task-api # the stable label',
    '    spec:',
    '      containers:',
    '        - name: task-api',
    '          image: ghcr.io/panaversity/task-api:1.0.0',
    '',
  ].join('\r\n');
  const SPEC = 'service: task-api\nnamespace: production\ncostLabels: {team: product-team, app: task-api, environment: production, cost-center: engineering}\nresilience: {podKillRecovery: 30s}\n';

  it('keeps mode 0640, CRLF line endings, comments and the owner; replaces the file by rename (a new inode); leaves no temporary file', () => {
    const dir = folder({ 'opex.yaml': SPEC, 'deploy.yaml': CRLF_DEPLOYMENT });
    const file = path.join(dir, 'deploy.yaml');
    fs.chmodSync(file, 0o640);
    const before = fs.statSync(file);
    const run = opex(['lint', '--fix', '.'], dir);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.match(run.stderr, /opex: fixed deploy\.yaml/);
    const after = fs.statSync(file);
    const fixed = fs.readFileSync(file, 'utf8');
    assert.notEqual(fixed, CRLF_DEPLOYMENT, 'something was fixed');
    assert.equal(after.mode & 0o7777, 0o640);
    assert.equal(after.uid, before.uid);
    assert.notEqual(after.ino, before.ino, 'written to a temporary file and renamed over');
    assert.doesNotMatch(fixed.replace(/\r\n/g, ''), /\n/, 'every line ends in CRLF');
    assert.match(fixed, /app: task-api # the stable label\r\n/);
    assert.match(fixed, /replicas: 2\r\n/);
    assert.match(fixed, /team: product-team\r\n/);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('a symbolic link is written through: the link stays, its target gets the fix', () => {
    const dir = folder({ 'opex.yaml': SPEC, 'real/deploy.yaml': CRLF_DEPLOYMENT.replace(/\r\n/g, '\n') });
    fs.symlinkSync('real/deploy.yaml', path.join(dir, 'deploy.yaml'));
    const run = opex(['lint', '--fix', 'deploy.yaml'], dir);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.ok(fs.lstatSync(path.join(dir, 'deploy.yaml')).isSymbolicLink(), 'still a link');
    assert.match(fs.readFileSync(path.join(dir, 'real', 'deploy.yaml'), 'utf8'), /replicas: 2\n/);
  });

  it('a write that fails leaves the file as it was and no temporary file', () => {
    const dir = folder({ 'a.yaml': 'old\n' });
    const file = path.join(dir, 'a.yaml');
    const spy = mock.method(realFs, 'fsyncSync', () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    try {
      assert.throws(() => writeFileAtomic(file, 'new\n'), /ENOSPC/);
    } finally {
      spy.mock.restore();
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(dir), ['a.yaml']);
  });
});
