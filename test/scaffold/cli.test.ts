/** `opex scaffold` on real folders, in process (the command's CliIO), and the written files linted as `opex lint` reads them. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CliIO } from '../../server/cli/io';
import { main } from '../../server/cli/main';
import { loadWorkspace } from '../../server/cli/workspace';
import { REPO, TASK_API_YAML, describeDiagnostics } from './specs';

const temps: string[] = [];
after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-scaffold-'));
  temps.push(dir);
  fs.mkdirSync(path.join(dir, '.git')); // a repository root: specs above it are not looked for
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function opex(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { cwd, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const yamlFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'opex.yaml').sort();

function lintDir(dir: string, spec?: string) {
  const ws = loadWorkspace([dir], { spec });
  return [...ws.linter.lintAll().values()].flat();
}

describe('opex scaffold', () => {
  it('writes every manifest next to the spec, and they lint clean', async () => {
    const dir = tempDir({ 'opex.yaml': TASK_API_YAML });
    const r = await opex(['scaffold'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(yamlFiles(dir), [
      'postgres-statefulset.yaml',
      'task-api-deployment.yaml',
      'task-api-pdb.yaml',
      'task-api-podchaos.yaml',
      'task-api-velero-schedule.yaml',
      'task-api-vpa.yaml',
    ]);
    assert.match(r.stdout, /wrote +task-api-deployment\.yaml +Deployment, Service/);
    assert.match(r.stderr, /6 files written; they lint clean/);
    const problems = lintDir(dir);
    assert.equal(problems.length, 0, describeDiagnostics(problems));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temporary file is left');

    const again = await opex(['scaffold'], dir);
    assert.equal(again.code, 0);
    assert.equal(again.stdout.match(/unchanged/g)?.length, 6);
  });

  it('keeps a file that exists unless --force', async () => {
    const dir = tempDir({ 'opex.yaml': TASK_API_YAML, 'task-api-vpa.yaml': '# mine\n' });
    const r = await opex(['scaffold'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kept +task-api-vpa\.yaml .*--force overwrites it/);
    assert.match(r.stderr, /kept 1 existing file/);
    assert.equal(fs.readFileSync(path.join(dir, 'task-api-vpa.yaml'), 'utf8'), '# mine\n');
    const forced = await opex(['scaffold', '--force'], dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /overwrote +task-api-vpa\.yaml/);
    assert.match(fs.readFileSync(path.join(dir, 'task-api-vpa.yaml'), 'utf8'), /updateMode: "Off"/);
  });

  it('does not write a database when the folder has one the hook matches', async () => {
    const postgres = fs.readFileSync(path.join(REPO, 'examples/task-api/postgres-statefulset.yaml'), 'utf8');
    const dir = tempDir({ 'opex.yaml': TASK_API_YAML, 'db/postgres.yaml': postgres });
    const r = await opex(['scaffold', '--out', 'app'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /StatefulSet postgres in db\/postgres\.yaml already runs the hook's pods/);
    assert.ok(!fs.existsSync(path.join(dir, 'app/postgres-statefulset.yaml')));
    assert.ok(fs.existsSync(path.join(dir, 'app/task-api-velero-schedule.yaml')));
    const problems = lintDir(dir);
    assert.equal(problems.length, 0, describeDiagnostics(problems));
  });

  it('prints the manifests with --stdout and lists them with --dry-run, writing nothing', async () => {
    const dir = tempDir({ 'opex.yaml': TASK_API_YAML });
    const printed = await opex(['scaffold', '--stdout'], dir);
    assert.equal(printed.code, 0);
    assert.match(printed.stdout, /^# Deployment and Service for task-api/);
    assert.equal(printed.stdout.split(/^---$/m).length, 8, 'six files, two of them with two documents');
    const dry = await opex(['scaffold', '--dry-run'], dir);
    assert.equal(dry.code, 0);
    assert.equal(dry.stdout.match(/would write/g)?.length, 6);
    assert.deepEqual(yamlFiles(dir), []);
  });

  it('takes --spec and --out', async () => {
    const dir = tempDir({ 'specs/task.yaml': TASK_API_YAML.replace('service: task-api', 'service: task-api') });
    fs.renameSync(path.join(dir, 'specs/task.yaml'), path.join(dir, 'specs/opex.yaml'));
    const r = await opex(['scaffold', '--spec', 'specs/opex.yaml', '--out', 'deploy/prod'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(dir, 'deploy/prod/task-api-deployment.yaml')));
    assert.match(r.stderr, /not governed by specs\/opex\.yaml/);
    const problems = lintDir(path.join(dir, 'deploy'), path.join(dir, 'specs/opex.yaml'));
    assert.equal(problems.length, 0, describeDiagnostics(problems));
  });

  it('finds the only spec below the current folder', async () => {
    const dir = tempDir({ 'svc/opex.yaml': TASK_API_YAML });
    const r = await opex(['scaffold', '--dry-run'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /would write svc\/task-api-deployment\.yaml/);
  });

  it('refuses bad usage with exit 2', async () => {
    const none = await opex(['scaffold'], tempDir());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no opex spec/);
    const two = await opex(['scaffold'], tempDir({ 'a/opex.yaml': TASK_API_YAML, 'b/opex.yaml': TASK_API_YAML }));
    assert.equal(two.code, 2);
    assert.match(two.stderr, /several specs below this folder; choose one with --spec:\n {2}a\/opex\.yaml\n {2}b\/opex\.yaml/);
    const dir = tempDir({ 'opex.yaml': TASK_API_YAML });
    assert.equal((await opex(['scaffold', 'extra'], dir)).code, 2);
    assert.equal((await opex(['scaffold', '--bogus'], dir)).code, 2);
    const missing = await opex(['scaffold', '--spec', 'nope.yaml'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read spec nope\.yaml: no such file/);
    const help = await opex(['scaffold', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: opex scaffold/);
  });

  it('refuses a spec with errors (exit 1) and writes nothing', async () => {
    const dir = tempDir({ 'opex.yaml': TASK_API_YAML.replace('retention: 720h', 'retention: 1h') });
    const r = await opex(['scaffold'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /opex\.yaml has 1 error; fix the spec first/);
    assert.match(r.stderr, /opex\.yaml:\d+:\d+ Retention 1 hour is shorter than the RPO/);
    assert.deepEqual(yamlFiles(dir), []);
  });
});
