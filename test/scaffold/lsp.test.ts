/**
 * `opex/scaffold` and `opex/specTemplate` from the language server running as a real process (the requests behind
 * the editor's "Scaffold service from spec" and "Create opex spec"). The server computes; it writes nothing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SPEC_TEMPLATE } from '../../server/engine/scaffold';
import { ScaffoldRequest, SpecTemplateRequest } from '../../server/protocol';
import { TestClient, copyFixture, uriOf } from '../lsp/harness';
import { REPO, TASK_API_YAML } from './specs';

describe('opex/scaffold', () => {
  let c: TestClient;
  let folder: string;

  before(async () => {
    folder = copyFixture(path.join(REPO, 'examples', 'task-api'));
    c = await TestClient.start({ folder });
    await c.ready();
  });
  after(() => c.stop());

  test("computes the spec's files, marks existing ones, and skips the database the workspace has", async () => {
    const r = await c.conn.sendRequest(ScaffoldRequest, {});
    assert.equal(r.problem, undefined);
    assert.equal(r.spec?.service, 'task-api');
    assert.equal(r.spec?.format, 'markdown');
    assert.equal(r.folder, uriOf(folder));
    assert.deepEqual(r.files.map((f) => path.basename(new URL(f.uri).pathname)), [
      'task-api-deployment.yaml',
      'task-api-pdb.yaml',
      'task-api-vpa.yaml',
      'task-api-velero-schedule.yaml',
      'task-api-podchaos.yaml',
    ]);
    const byName = Object.fromEntries(r.files.map((f) => [path.basename(new URL(f.uri).pathname), f]));
    assert.equal(byName['task-api-deployment.yaml'].exists, true, "the chapter's Deployment file is there");
    assert.equal(byName['task-api-deployment.yaml'].unchanged, false);
    assert.equal(byName['task-api-pdb.yaml'].exists, false);
    assert.deepEqual(byName['task-api-deployment.yaml'].kinds, ['Deployment', 'Service']);
    assert.match(r.notes.join('\n'), /StatefulSet postgres \(postgres-statefulset\.yaml\) already runs the pods the backup hook needs/);
    assert.ok(!fs.existsSync(path.join(folder, 'task-api-pdb.yaml')), 'the server writes nothing');
  });

  test('a file open in the editor counts with its unsaved text', async () => {
    const r0 = await c.conn.sendRequest(ScaffoldRequest, {});
    const pdb = r0.files.find((f) => f.uri.endsWith('task-api-pdb.yaml'))!;
    await c.open('task-api-pdb.yaml', pdb.text);
    const r = await c.conn.sendRequest(ScaffoldRequest, { spec: uriOf(path.join(folder, 'task-api-opex-spec.md')) });
    const again = r.files.find((f) => f.uri.endsWith('task-api-pdb.yaml'))!;
    assert.equal(again.exists, true);
    assert.equal(again.unchanged, true);
  });

  test('writes into another folder when asked', async () => {
    const r = await c.conn.sendRequest(ScaffoldRequest, { folder: uriOf(path.join(folder, 'deploy')) });
    assert.ok(r.files.every((f) => f.uri.startsWith(uriOf(path.join(folder, 'deploy')) + '/')));
    assert.ok(r.files.every((f) => !f.exists));
  });

  test('answers with a problem for something that is not a spec', async () => {
    const r = await c.conn.sendRequest(ScaffoldRequest, { spec: uriOf(path.join(folder, 'task-api-vpa.yaml')) });
    assert.match(r.problem ?? '', /is not an opex spec of this workspace/);
    assert.deepEqual(r.files, []);
  });

  test('the spec template goes next to the existing spec only if there is none', async () => {
    const r = await c.conn.sendRequest(SpecTemplateRequest, { folder: uriOf(folder) });
    assert.equal(r.existing, uriOf(path.join(folder, 'task-api-opex-spec.md')));
    assert.equal(r.uri, uriOf(path.join(folder, 'opex.yaml')));
    assert.equal(r.text, SPEC_TEMPLATE);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-empty-'));
    const e = await c.conn.sendRequest(SpecTemplateRequest, { folder: uriOf(empty) });
    assert.equal(e.existing, null);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

describe('opex/scaffold with several specs, and with a broken one', () => {
  let c: TestClient;
  let folder: string;

  before(async () => {
    folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'opex-lsp-specs-')));
    fs.mkdirSync(path.join(folder, 'a'));
    fs.mkdirSync(path.join(folder, 'b'));
    fs.writeFileSync(path.join(folder, 'a', 'opex.yaml'), TASK_API_YAML);
    fs.writeFileSync(path.join(folder, 'b', 'opex.yaml'), TASK_API_YAML.replace('retention: 720h', 'retention: 1h'));
    c = await TestClient.start({ folder });
    await c.ready();
  });
  after(async () => {
    await c.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('lists the specs to choose from and computes nothing', async () => {
    const r = await c.conn.sendRequest(ScaffoldRequest, {});
    assert.deepEqual(r.specs.map((s) => path.relative(folder, s.file)), [path.join('a', 'opex.yaml'), path.join('b', 'opex.yaml')]);
    assert.equal(r.spec, null);
    assert.deepEqual(r.files, []);
  });

  test('computes the chosen one, including its database', async () => {
    const r = await c.conn.sendRequest(ScaffoldRequest, { spec: uriOf(path.join(folder, 'a', 'opex.yaml')) });
    assert.equal(r.files.length, 6);
    assert.ok(r.files.some((f) => f.uri.endsWith('/a/postgres-statefulset.yaml')));
    assert.deepEqual(r.notes, []);
  });

  test('refuses a spec with errors, saying which', async () => {
    const r = await c.conn.sendRequest(ScaffoldRequest, { spec: uriOf(path.join(folder, 'b', 'opex.yaml')) });
    assert.match(r.problem ?? '', /^opex\.yaml has 1 error; fix the spec first \(line \d+: Retention 1 hour is shorter than the RPO/);
    assert.deepEqual(r.files, []);
  });
});
