/** `opex lint` as a user runs it: the built CLI in a child process, on real files in a temporary folder. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/opex.js');

function opex(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...withoutColorForcing(process.env), NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withoutColorForcing(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.FORCE_COLOR;
  return copy;
}

const SPEC = `service: task-api
namespace: production
costLabels: {team: product-team, app: task-api, environment: production, cost-center: engineering}
`;

const DEPLOYMENT = `# the api
apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  replicas: 3
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        app: task-api   # stable selector label
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
`;

let dir: string;

before(() => {
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'the CLI is built (npm run build)');
});

function workspace(files: Record<string, string>): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('opex lint', () => {
  it('prints compiler-style lines and a summary, exit 1 on errors', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, 'k8s/deploy.yaml': DEPLOYMENT });
    const r = opex(['lint', '.', '--format', 'text'], cwd);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^k8s\/deploy\.yaml:14:7 error The pod template of Deployment task-api lacks the cost labels team: product-team, environment: production, cost-center: engineering\. .* \[cost-labels-missing\]$/m);
    assert.match(r.stdout, /✖ \d+ problems? \(1 error, \d+ warnings?\) in 2 files/);
    assert.match(r.stdout, /can be fixed with --fix/);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when not a TTY');
  });

  it('prints the JSON of PRODUCT.md with paths relative to the current folder', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, 'k8s/deploy.yaml': DEPLOYMENT });
    const r = opex(['lint', 'k8s', '--format', 'json'], cwd);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.files[0].path, 'k8s/deploy.yaml');
    const d = out.files[0].diagnostics.find((x: { ruleId: string }) => x.ruleId === 'cost-labels-missing');
    assert.deepEqual(d.range, { start: { line: 13, character: 6 }, end: { line: 13, character: 12 } });
    assert.equal(d.severity, 'error');
    assert.equal(out.files[1].path, 'opex.yaml', 'the spec that governs the folder is checked too');
    assert.equal(out.summary.files, 2);
    assert.equal(out.summary.errors, 1);
  });

  it('fixes in place with --fix: keeps comments and file mode, a second run has nothing to fix', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, 'deploy.yaml': DEPLOYMENT, 'clean.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: production}\n' });
    const file = path.join(cwd, 'deploy.yaml');
    fs.chmodSync(file, 0o640);
    const cleanBefore = fs.statSync(path.join(cwd, 'clean.yaml')).mtimeMs;
    const r = opex(['lint', '.', '--fix'], cwd);
    assert.match(r.stderr, /opex: fixed deploy\.yaml/);
    const fixed = fs.readFileSync(file, 'utf8');
    assert.ok(fixed.includes('        app: task-api   # stable selector label\n        team: product-team\n        environment: production\n        cost-center: engineering\n'), fixed);
    assert.ok(fixed.startsWith('# the api\n'));
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.equal(fs.statSync(path.join(cwd, 'clean.yaml')).mtimeMs, cleanBefore, 'a file without fixes is not rewritten');
    assert.deepEqual(fs.readdirSync(cwd).filter((f) => f.includes('.tmp')), [], 'no temporary file left');
    const again = opex(['lint', '.', '--fix'], cwd);
    assert.doesNotMatch(again.stderr, /fixed/);
    assert.equal(fs.readFileSync(file, 'utf8'), fixed);
  });

  it('writes nothing without --fix', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, 'deploy.yaml': DEPLOYMENT });
    opex(['lint', '.'], cwd);
    assert.equal(fs.readFileSync(path.join(cwd, 'deploy.yaml'), 'utf8'), DEPLOYMENT);
  });

  it('honours .gitignore and skips node_modules', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, '.gitignore': 'generated/\n', 'generated/deploy.yaml': DEPLOYMENT, 'node_modules/x/deploy.yaml': DEPLOYMENT, 'ok.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: production}\n' });
    const r = opex(['lint', '.', '--format', 'json'], cwd);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['ok.yaml', 'opex.yaml']);
  });

  it('finds the spec in a parent folder of the path given', () => {
    const cwd = workspace({ 'svc/opex.yaml': SPEC, 'svc/k8s/deploy.yaml': DEPLOYMENT });
    const r = opex(['lint', 'svc/k8s/deploy.yaml', '--format', 'json'], cwd);
    assert.equal(r.code, 1);
    assert.ok(JSON.parse(r.stdout).files.some((f: { diagnostics: Array<{ ruleId: string }> }) => f.diagnostics.some((d) => d.ruleId === 'cost-labels-missing')));
  });

  it('uses --spec for every file', () => {
    const cwd = workspace({ 'specs/task.yaml': SPEC, 'deploy.yaml': DEPLOYMENT });
    assert.equal(opex(['lint', 'deploy.yaml'], cwd).code, 0, 'no spec: spec rules stay quiet');
    assert.equal(opex(['lint', 'deploy.yaml', '--spec', 'specs/task.yaml'], cwd).code, 1);
  });

  it('says what is wrong in one line and exits 2 on bad usage or unreadable input', () => {
    const cwd = workspace({ 'deploy.yaml': DEPLOYMENT });
    const cases: Array<[string[], RegExp]> = [
      [['lint', 'nope.yaml'], /^opex lint: cannot read nope\.yaml: no such file or folder$/m],
      [['lint', '.', '--format', 'xml'], /unknown --format xml: use one of text, json, sarif, junit, github/],
      [['lint', '.', '--spec', '.'], /--spec \. is a folder/],
      [['lint', '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = opex(args, cwd);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('emits SARIF 2.1.0 with rule help URIs, JUnit XML and GitHub annotations', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, 'deploy.yaml': DEPLOYMENT });
    const sarif = JSON.parse(opex(['lint', '.', '--format', 'sarif'], cwd).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'cost-labels-missing');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'deploy.yaml');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 14, startColumn: 7, endLine: 14, endColumn: 13 });
    const rule = run.tool.driver.rules[result.ruleIndex];
    assert.equal(rule.id, 'cost-labels-missing');
    assert.match(rule.helpUri, /docs\/rules\/cost-labels-missing\.md$/);

    const junit = opex(['lint', '.', '--format', 'junit'], cwd).stdout;
    assert.match(junit, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="opex lint"/);
    assert.match(junit, /<testcase classname="deploy.yaml" name="cost-labels-missing deploy.yaml:14:7">\n\s+<failure type="cost-labels-missing" message="The pod template/);

    const gh = opex(['lint', '.', '--format', 'github'], cwd).stdout;
    assert.match(gh, /^::error file=deploy\.yaml,line=14,col=7,endLine=14,endColumn=13,title=opex cost-labels-missing::The pod template/m);
  });

  it('writes the report to --output', () => {
    const cwd = workspace({ 'opex.yaml': SPEC, 'deploy.yaml': DEPLOYMENT });
    const r = opex(['lint', '.', '--format', 'json', '--output', 'report.json'], cwd);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(path.join(cwd, 'report.json'), 'utf8')).summary.errors, 1);
  });
});
