/** What the client shows, from what the server says: status bar, lint summary, scaffold list and questions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintSummary, overwriteQuestion, scaffoldDone, scaffoldItems, statusText, statusTooltip, unchangedFiles } from '../../client/text';
import type { ScaffoldResult, StatusParams, StatusSpec } from '../../server/protocol';

const rel = (f: string) => f.replace(/^\/w\//, '');
const pathOf = (uri: string) => uri.replace(/^file:\/\//, '');
const TASK: StatusSpec = { file: '/w/task-api-opex-spec.md', service: 'task-api', format: 'markdown' };
const ORDER: StatusSpec = { file: '/w/order/opex.yaml', service: 'order-service', format: 'yaml' };
const status = (over: Partial<StatusParams> = {}): StatusParams => ({ state: 'ready', files: 6, errors: 0, warnings: 0, infos: 0, specs: [TASK], lintPass: 1, ...over });

describe('status bar', () => {
  it('shows the counts and the spec in use', () => {
    assert.equal(statusText(undefined, undefined), '$(sync~spin) opex');
    assert.equal(statusText(status({ state: 'indexing' }), undefined), '$(sync~spin) opex: indexing');
    assert.equal(statusText(status(), undefined), '$(check) opex: task-api');
    assert.equal(statusText(status({ errors: 2, warnings: 1 }), undefined), '$(error) 2 $(warning) 1 opex: task-api');
    assert.equal(statusText(status({ warnings: 3 }), undefined), '$(warning) 3 opex: task-api');
    assert.equal(statusText(status({ specs: [] }), undefined), '$(check) opex: no spec');
    assert.equal(statusText(status({ specs: [TASK, ORDER] }), undefined), '$(check) opex: 2 specs');
    assert.equal(statusText(status({ specs: [TASK, ORDER] }), ORDER), '$(check) opex: order-service', "the active editor's spec wins");
    assert.equal(statusText(status(), null), '$(check) opex: no spec', 'no spec governs the active file');
  });

  it('explains itself in the tooltip', () => {
    const tip = statusTooltip(status({ errors: 1, warnings: 2 }), undefined, rel);
    assert.match(tip, /opex: 1 error, 2 warnings in 6 files\./);
    assert.match(tip, /Spec for the workspace: `task-api-opex-spec\.md` \(task-api\)\./);
    assert.match(tip, /Click to show the opex output\./);
    assert.match(statusTooltip(status({ specs: [] }), undefined, rel), /Run "opex: Create opex spec"/);
    assert.match(statusTooltip(status({ specs: [TASK, ORDER] }), undefined, rel), /Specs: `task-api-opex-spec\.md`, `order\/opex\.yaml`\. The nearest one governs each file\./);
    assert.match(statusTooltip(status({ specs: [TASK, ORDER] }), ORDER, rel), /Spec for this file: `order\/opex\.yaml`/);
    assert.match(statusTooltip(status({ specs: [TASK, ORDER] }), null, rel), /No opex spec governs this file: a spec governs its own folder/);
    assert.match(statusTooltip(undefined, undefined, rel), /starting/);
  });
});

describe('lint summary', () => {
  it('says what was found, where, and under which spec', () => {
    assert.equal(
      lintSummary({ files: 6, filesWithProblems: 2, errors: 3, warnings: 1, infos: 0, specs: ['/w/task-api-opex-spec.md'] }, rel),
      'opex: 3 errors, 1 warning in 2 files (6 files checked, spec task-api-opex-spec.md).',
    );
    assert.equal(lintSummary({ files: 1, filesWithProblems: 0, errors: 0, warnings: 0, infos: 0, specs: [] }, rel), 'opex: no problems (1 file checked, no spec).');
    assert.equal(
      lintSummary({ files: 9, filesWithProblems: 1, errors: 0, warnings: 0, infos: 2, specs: ['/w/a/opex.yaml', '/w/b/opex.yaml'] }, rel),
      'opex: 2 info in 1 file (9 files checked, 2 specs).',
    );
  });
});

describe('scaffold presentation', () => {
  const file = (name: string, exists: boolean, unchanged = false) => ({
    uri: `file:///w/${name}`,
    text: 'x',
    kinds: ['Deployment', 'Service'],
    description: 'the service',
    exists,
    unchanged,
  });
  const result: ScaffoldResult = {
    spec: TASK,
    specs: [],
    folder: 'file:///w',
    files: [file('task-api-deployment.yaml', true), file('task-api-pdb.yaml', false), file('task-api-vpa.yaml', true, true)],
    notes: [],
  };

  it('ticks new files, leaves existing ones for the user to tick, and hides unchanged ones', () => {
    const items = scaffoldItems(result, rel, pathOf);
    assert.deepEqual(items.map((i) => [i.label, i.picked]), [
      ['$(warning) task-api-deployment.yaml', false],
      ['$(new-file) task-api-pdb.yaml', true],
    ]);
    assert.match(items[0].detail, /^Exists: tick to overwrite it\./);
    assert.equal(items[1].description, 'Deployment, Service');
    assert.deepEqual(unchangedFiles(result).map((f) => f.uri), ['file:///w/task-api-vpa.yaml']);
  });

  it('asks before overwriting, naming the files', () => {
    assert.equal(overwriteQuestion([result.files[1]], rel, pathOf), undefined);
    assert.match(overwriteQuestion([result.files[0], result.files[1]], rel, pathOf)!, /^Overwrite task-api-deployment\.yaml\?/);
    const two = overwriteQuestion([result.files[0], { ...result.files[0], uri: 'file:///w/b.yaml' }], rel, pathOf)!;
    assert.match(two, /^Overwrite 2 existing files \(task-api-deployment\.yaml, b\.yaml\)\?/);
  });

  it('reports what was written', () => {
    assert.equal(scaffoldDone('task-api', 5, 1), 'opex: wrote 5 files for task-api; 1 already up to date.');
    assert.equal(scaffoldDone('task-api', 1, 0), 'opex: wrote 1 file for task-api.');
  });
});
