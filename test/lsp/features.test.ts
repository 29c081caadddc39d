/**
 * The language features of the opex server, over stdio against the example workspace: quick fixes (exact
 * text), fix all, source.fixAll, suppressions, hover, completion, definition and references, code lens
 * (opex.yaml and markdown specs) and symbols.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CodeLens, CompletionItem, CompletionList, DocumentSymbol, Hover, Location, WorkspaceSymbol } from 'vscode-languageserver-protocol/node';
import { ROOT, TestClient, applyWorkspaceEdit, copyFixture, textIn } from './harness';

const DEPLOYMENT = 'task-api-deployment.yaml';
const SCHEDULE = 'velero/task-api-velero-schedule.yaml';
const VPA = 'task-api-vpa.yaml';
const CHAOS = 'task-api-podchaos.yaml';

let c: TestClient;

before(async () => {
  c = await TestClient.start({ folder: copyFixture() });
  await c.ready();
});
after(() => c.stop());

async function actionsAt(rel: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, only?: string[]): Promise<CodeAction[]> {
  return c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: c.uri(rel) }, range, context: { diagnostics: c.diags(rel), ...(only ? { only } : {}) } });
}

async function hoverAt(rel: string, search: string, offset = 1, nth = 0): Promise<string> {
  const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: c.uri(rel) }, position: c.positionOf(rel, search, offset, nth) });
  assert.ok(h, `a hover at ${search} in ${rel}`);
  return (h.contents as { value: string }).value;
}

async function complete(rel: string, line: number, character: number): Promise<CompletionItem[]> {
  const list = await c.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: c.uri(rel) }, position: { line, character } });
  return [...(list?.items ?? [])].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

function where(list: readonly Location[]): string[] {
  return list.map((l) => `${path.relative(c.folder, new URL(l.uri).pathname)}:${l.range.start.line + 1}:${textIn(c.text(path.relative(c.folder, new URL(l.uri).pathname)), l.range)}`);
}

async function at(method: string, rel: string, search: string, offset = 1, nth = 0): Promise<string[]> {
  const list = await c.request<Location[]>(method, { textDocument: { uri: c.uri(rel) }, position: c.positionOf(rel, search, offset, nth), context: { includeDeclaration: true } });
  return where(list);
}

const WITHOUT_TWO_LABELS = (text: string) => text.replace('        team: product-team\n        app: task-api', '        app: task-api').replace('        environment: production\n        cost-center: engineering\n    spec:', '        environment: production\n    spec:');
const FIXED_LABELS = '      labels:\n        app: task-api\n        environment: production\n        team: product-team\n        cost-center: engineering\n    spec:';

describe('code actions', () => {
  let original: string;
  before(async () => {
    original = fs.readFileSync(c.file(DEPLOYMENT), 'utf8');
    await c.open(DEPLOYMENT);
  });
  after(() => c.close(DEPLOYMENT));

  async function breakLabels(): Promise<void> {
    await c.edit(DEPLOYMENT, [{ range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } }, text: WITHOUT_TWO_LABELS(original) }]);
    await c.waitForDiagnostics(DEPLOYMENT, 'cost-labels-missing', (l) => l.some((d) => d.code === 'cost-labels-missing'));
  }

  async function restore(): Promise<void> {
    await c.edit(DEPLOYMENT, [{ range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } }, text: original }]);
    await c.waitForDiagnostics(DEPLOYMENT, 'a clean file', (l) => l.length === 0);
  }

  test('the quick fix adds the missing cost labels, keeping everything else', async () => {
    await breakLabels();
    const d = c.diags(DEPLOYMENT).find((x) => x.code === 'cost-labels-missing')!;
    const actions = await actionsAt(DEPLOYMENT, d.range);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred)!;
    assert.equal(fix.title, 'Add cost labels team: product-team, cost-center: engineering to the pod template');
    assert.deepEqual(fix.diagnostics?.map((x) => x.code), ['cost-labels-missing']);
    const fixed = applyWorkspaceEdit(c.text(DEPLOYMENT), c.uri(DEPLOYMENT), fix.edit!);
    assert.equal(fixed, WITHOUT_TWO_LABELS(original).replace('      labels:\n        app: task-api\n        environment: production\n    spec:', FIXED_LABELS));
    assert.ok(fixed.startsWith('# task-api-deployment.yaml\n'), 'comments are kept');
    // The edit is versioned: it applies to the document the user sees.
    const change = fix.edit!.documentChanges![0] as { textDocument: { version: number | null } };
    assert.equal(change.textDocument.version, 2);
    await c.applyEdit(fix.edit!);
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', (l) => !l.some((x) => x.code === 'cost-labels-missing'));
    assert.equal(c.text(DEPLOYMENT), fixed);
    const again = await actionsAt(DEPLOYMENT, d.range);
    assert.ok(!again.some((a) => a.title === fix.title), 'nothing left to fix');
    await restore();
  });

  test('source.fixAll.opex fixes the whole file for codeActionsOnSave', async () => {
    await breakLabels();
    const actions = await actionsAt(DEPLOYMENT, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll']);
    assert.deepEqual(actions.map((a) => [a.kind, a.title]), [['source.fixAll.opex', 'Fix all opex problems in this file']]);
    const fixed = applyWorkspaceEdit(c.text(DEPLOYMENT), c.uri(DEPLOYMENT), actions[0].edit!);
    assert.equal(fixed, WITHOUT_TWO_LABELS(original).replace('      labels:\n        app: task-api\n        environment: production\n    spec:', FIXED_LABELS));
    assert.deepEqual(await actionsAt(DEPLOYMENT, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['refactor']), []);
    await restore();
  });

  test('suppress for this line writes the opex-ignore comment on the line', async () => {
    await breakLabels();
    const d = c.diags(DEPLOYMENT).find((x) => x.code === 'cost-labels-missing')!;
    const actions = await actionsAt(DEPLOYMENT, d.range);
    const suppress = actions.find((a) => a.title === 'Suppress cost-labels-missing for this line')!;
    const fixed = applyWorkspaceEdit(c.text(DEPLOYMENT), c.uri(DEPLOYMENT), suppress.edit!);
    assert.equal(fixed, WITHOUT_TWO_LABELS(original).replace('    metadata:\n      labels:\n', '    metadata:\n      labels:  # opex-ignore cost-labels-missing: reason\n'));
    await c.applyEdit(suppress.edit!);
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', (l) => !l.some((x) => x.code === 'cost-labels-missing'));
    await restore();
  });

  test('suppress for this document writes the comment in the document header', async () => {
    await breakLabels();
    const d = c.diags(DEPLOYMENT).find((x) => x.code === 'cost-labels-missing')!;
    const actions = await actionsAt(DEPLOYMENT, d.range);
    const suppress = actions.find((a) => a.title === 'Suppress cost-labels-missing for this document')!;
    const fixed = applyWorkspaceEdit(c.text(DEPLOYMENT), c.uri(DEPLOYMENT), suppress.edit!);
    assert.equal(fixed, WITHOUT_TWO_LABELS(original).replace('# task-api-deployment.yaml\napiVersion', '# task-api-deployment.yaml\n# opex-ignore cost-labels-missing: reason\napiVersion'));
    await c.applyEdit(suppress.edit!);
    await c.waitForDiagnostics(DEPLOYMENT, 'no cost-labels-missing', (l) => !l.some((x) => x.code === 'cost-labels-missing'));
    await restore();
  });

  test('fix all <rule> problems in this file fixes every occurrence at once', async () => {
    const doc = (name: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: production\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: task-api, part: ${name}}\n  template:\n    metadata:\n      labels:\n        app: task-api\n        part: ${name}  # which part\n    spec:\n      containers:\n        - name: ${name}\n          image: ghcr.io/panaversity/task-api:1.0.0\n`;
    const text = `${doc('task-api-worker')}---\n${doc('task-api-cron')}`;
    await c.open('workers.yaml', text);
    const list = await c.waitForDiagnostics('workers.yaml', 'two cost-labels-missing', (l) => l.filter((d) => d.code === 'cost-labels-missing').length === 2);
    const d = list.find((x) => x.code === 'cost-labels-missing')!;
    const all = (await actionsAt('workers.yaml', d.range)).find((a) => a.title === 'Fix all cost-labels-missing problems in this file')!;
    assert.equal(all.diagnostics?.length, 2);
    const fixed = applyWorkspaceEdit(text, c.uri('workers.yaml'), all.edit!);
    const labelsAdded = '        part: $1  # which part\n        team: product-team\n        environment: production\n        cost-center: engineering\n';
    assert.equal(fixed, text.replace(/ {8}part: (task-api-\w+) {2}# which part\n/g, labelsAdded));
    await c.close('workers.yaml');
  });
});

describe('hover', () => {
  test('a Velero cron: English, the next 3 runs in the spec\'s timezone, the longest gap against the RPO', async () => {
    const text = await hoverAt(SCHEDULE, '"0 2 * * *"');
    const lines = text.split('\n');
    assert.equal(lines[0], '**At 02:00 (UTC)** — `0 2 * * *`');
    assert.equal(lines[2], 'Next runs (UTC):');
    for (const run of lines.slice(3, 6)) assert.match(run, /^- \w{3} \d{4}-\d{2}-\d{2} 02:00 UTC$/);
    assert.match(text, /Longest gap between runs: 1 day — ✓ within the RPO of 1 day \(\[opex\.yaml:6\]\(file:\/\/\/.*opex\.yaml#L6\)\)/);
  });

  test('a cron that breaks the RPO says so', async () => {
    await c.open(SCHEDULE);
    await c.replace(SCHEDULE, '"0 2 * * *"', '"0 2 * * 1"');
    const text = await hoverAt(SCHEDULE, '"0 2 * * 1"');
    assert.match(text, /Longest gap between runs: 7 days — ✗ exceeds the RPO of 1 day/);
    assert.match(text, /The spec requires `0 2 \* \* \*`/);
    await c.close(SCHEDULE);
  });

  test('ttl and hook timeouts in days and hours against the spec', async () => {
    assert.match(await hoverAt(SCHEDULE, 'ttl: 720h', 6), /^\*\*Backups are kept for\*\*: 720h = 30 days\n\n✓ equals the retention of 30 days/);
    assert.match(await hoverAt(SCHEDULE, 'timeout: 120s', 10), /^\*\*Velero waits for the hook at most\*\*: 120s = 2 minutes\n\n✓ at least the hook timeout of 2 minutes/);
  });

  test('updateMode, onError and chaos mode: what they do and what the spec asks', async () => {
    const mode = await hoverAt(VPA, '"Off"');
    assert.match(mode, /^\*\*updateMode: Off\*\* — VPA only computes recommendations/);
    assert.match(mode, /✓ The spec allows `"Off"` only/);
    assert.doesNotMatch(mode, /boolean/);
    const fail = await hoverAt(SCHEDULE, 'onError: Fail', 10);
    assert.match(fail, /^\*\*onError: Fail\*\* — A failing hook fails the backup/);
    assert.match(fail, /SC-006: a database pre hook must use `Fail`/);
    assert.match(await hoverAt(SCHEDULE, 'onError: Continue', 10), /A post hook runs after the backup is taken/);
    assert.match(await hoverAt(CHAOS, 'mode: one', 7), /^\*\*mode: one\*\* — One pod, chosen at random/);
  });

  test('an unquoted updateMode Off: the hover says kubectl sends the boolean false, not that the spec is met', async () => {
    const text = fs.readFileSync(c.file(VPA), 'utf8').replace('updateMode: "Off"', 'updateMode: Off');
    await c.open('unquoted-vpa.yaml', text);
    const mode = await hoverAt('unquoted-vpa.yaml', 'updateMode: Off', 12);
    assert.match(mode, /kubectl \(YAML 1\.1\) sends this as the boolean `false`, not the string the field needs: write `"Off"`/);
    assert.match(mode, /✗ The spec allows `"Off"` only/);
    await c.close('unquoted-vpa.yaml');
  });

  test('a cost label: the spec line that requires it', async () => {
    const text = await hoverAt(DEPLOYMENT, 'cost-center: engineering', 1, 1);
    assert.match(text, /^\*\*Cost label `cost-center`\*\* — the spec requires `cost-center: engineering` on every pod of task-api \(SC-001, \[opex\.yaml:3\]/);
  });

  test('a selector: the workloads it reaches', async () => {
    assert.equal(await hoverAt(DEPLOYMENT, 'selector:', 1, 1), '**Selects the pods of:**\n- Deployment production/task-api (task-api-deployment.yaml)');
    assert.equal(await hoverAt(VPA, 'targetRef'), '**Targets:**\n- Deployment production/task-api (task-api-deployment.yaml)');
  });

  test('opex.yaml keys: what the spec\'s schema says about them', async () => {
    const rto = await hoverAt('opex.yaml', 'rto:', 0);
    assert.match(rto, /^\*\*recovery\.rto\*\* — Recovery Time Objective/);
    assert.match(rto, /\*\*Recovery time objective\*\*: 30m = 30 minutes/);
  });

  test('durations in opex.yaml', async () => {
    assert.equal(await hoverAt('opex.yaml', 'retention: 720h', 12), '**Backups are kept for**: 720h = 30 days');
    assert.match(await hoverAt('opex.yaml', '"0 2 * * *"'), /^\*\*At 02:00 \(UTC\)\*\*/);
  });
});

describe('completion', () => {
  const NEW_DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\n  namespace: production\nspec:\n  template:\n    metadata:\n      labels:\n        app: task-api\n        \n';
  after(() => c.close('new.yaml'));

  test('label keys: the spec\'s cost labels first, with their values', async () => {
    await c.open('new.yaml', NEW_DEPLOYMENT);
    const items = await complete('new.yaml', 10, 8);
    assert.deepEqual(items.slice(0, 3).map((i) => [i.label, (i.textEdit as { newText: string }).newText]), [
      ['team', 'team: product-team'],
      ['environment', 'environment: production'],
      ['cost-center', 'cost-center: engineering'],
    ]);
    assert.ok(!items.some((i) => i.label === 'app'), 'keys already there are not offered');
  });

  test('label values: the spec\'s value first, then the workspace\'s', async () => {
    await c.edit('new.yaml', [{ range: { start: { line: 10, character: 8 }, end: { line: 10, character: 8 } }, text: 'environment: ' }]);
    const items = await complete('new.yaml', 10, 21);
    assert.deepEqual(items.map((i) => i.label), ['production', 'staging']);
    assert.equal(items[0].detail, 'required by the spec');
  });

  test('targetRef kind and name from the workspace', async () => {
    const vpa = 'apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: pg\n  namespace: production\nspec:\n  targetRef:\n    apiVersion: apps/v1\n    kind: StatefulSet\n    name: \n  updatePolicy:\n    updateMode: \n  resourcePolicy:\n    containerPolicies:\n      - containerName: \n';
    await c.open('pg-vpa.yaml', vpa);
    assert.deepEqual((await complete('pg-vpa.yaml', 9, 10)).map((i) => i.label), ['postgres']);
    const kinds = (await complete('pg-vpa.yaml', 8, 10)).map((i) => i.label);
    assert.deepEqual(kinds.slice(0, 2).sort(), ['Deployment', 'StatefulSet']);
    assert.ok(kinds.includes('DaemonSet'));
    const modes = await complete('pg-vpa.yaml', 11, 16);
    assert.equal(modes[0].label, 'Off');
    assert.equal((modes[0].textEdit as { newText: string }).newText, '"Off"');
    assert.equal(modes[0].preselect, true);
    assert.match((modes[0].documentation as { value: string }).value, /only computes recommendations/);
    assert.deepEqual(modes.map((m) => m.label).sort(), ['Auto', 'InPlaceOrRecreate', 'Initial', 'Off', 'Recreate']);
    await c.edit('pg-vpa.yaml', [{ range: { start: { line: 9, character: 10 }, end: { line: 9, character: 10 } }, text: 'postgres' }]);
    assert.deepEqual((await complete('pg-vpa.yaml', 14, 23)).map((i) => i.label), ['postgres', '*']);
    await c.close('pg-vpa.yaml');
  });

  test('container names in Velero hooks: the spec\'s database container first', async () => {
    await c.open(SCHEDULE);
    await c.replace(SCHEDULE, 'container: postgres', 'container: ');
    const pos = c.positionOf(SCHEDULE, 'container: ', 11);
    const items = await complete(SCHEDULE, pos.line, pos.character);
    assert.equal(items[0].label, 'postgres');
    assert.equal(items[0].detail, 'the spec\'s database container');
    const onError = c.positionOf(SCHEDULE, 'onError: Fail', 9);
    const values = await complete(SCHEDULE, onError.line, onError.character);
    assert.deepEqual(values.map((i) => i.label), ['Fail', 'Continue']);
    assert.match((values[1].documentation as { value: string }).value, /inconsistent database/);
    await c.close(SCHEDULE);
  });

  test('chaos namespaces: the spec\'s chaos namespaces first; modes with their meaning', async () => {
    await c.open(CHAOS);
    await c.replace(CHAOS, '      - staging # Per spec: staging only', '      - ');
    const pos = c.positionOf(CHAOS, '      - \n', 8);
    const items = await complete(CHAOS, pos.line, pos.character);
    assert.deepEqual(items.map((i) => [i.label, i.detail]), [
      ['staging', 'allowed by the spec'],
      ['chaos-mesh', 'not allowed by the spec'],
      ['production', 'not allowed by the spec'],
      ['velero', 'not allowed by the spec'],
    ]);
    const mode = c.positionOf(CHAOS, 'mode: one', 6);
    assert.equal((await complete(CHAOS, mode.line, mode.character))[0].label, 'one');
    await c.close(CHAOS);
  });
});

describe('completion in opex.yaml', () => {
  test('top-level keys, rule ids under rules:, severities as values', async () => {
    const text = fs.readFileSync(c.file('opex.yaml'), 'utf8');
    await c.open('opex.yaml', `${text}\n`);
    const lines = text.split('\n').length;
    const keys = await complete('opex.yaml', lines - 1, 0);
    assert.deepEqual(keys.map((i) => i.label).sort(), ['cost', 'criteria', 'live', 'rules']);
    assert.match((keys.find((i) => i.label === 'rules')!.documentation as { value: string }).value, /Severity overrides by rule id/);
    await c.edit('opex.yaml', [{ range: { start: { line: lines - 1, character: 0 }, end: { line: lines - 1, character: 0 } }, text: 'rules:\n  ' }]);
    const rules = await complete('opex.yaml', lines, 2);
    const missing = rules.find((i) => i.label === 'cost-labels-missing')!;
    assert.equal(missing.detail, 'default error');
    assert.equal((missing.textEdit as { newText: string }).newText, 'cost-labels-missing: ');
    await c.edit('opex.yaml', [{ range: { start: { line: lines, character: 2 }, end: { line: lines, character: 2 } }, text: 'cost-labels-missing: ' }]);
    assert.deepEqual((await complete('opex.yaml', lines, 23)).map((i) => i.label), ['error', 'warning', 'info', 'off']);
    await c.close('opex.yaml');
  });
});

describe('definition and references', () => {
  test('from a Service selector to the pod template it selects', async () => {
    assert.deepEqual(await at('textDocument/definition', DEPLOYMENT, 'app: task-api', 1, 4), ['task-api-deployment.yaml:19:labels']);
  });

  test('from a VPA targetRef and its container policy to the Deployment and its container', async () => {
    assert.deepEqual(await at('textDocument/definition', VPA, 'name: task-api', 7, 1), ['task-api-deployment.yaml:5:task-api']);
    assert.deepEqual(await at('textDocument/definition', VPA, 'containerName: task-api', 17), ['task-api-deployment.yaml:26:task-api']);
  });

  test('from a Velero hook selector and container to the database', async () => {
    assert.deepEqual(await at('textDocument/definition', SCHEDULE, 'app: postgres'), ['postgres-statefulset.yaml:21:labels']);
    assert.deepEqual(await at('textDocument/definition', SCHEDULE, 'container: postgres', 12), ['postgres-statefulset.yaml:28:postgres']);
  });

  test('from a PodChaos selector to the staging workload', async () => {
    assert.deepEqual(await at('textDocument/definition', CHAOS, 'app: task-api', 1, 1), ['staging/task-api.yaml:19:labels']);
  });

  test('references: back from a workload to everything that reaches it', async () => {
    assert.deepEqual(await at('textDocument/references', DEPLOYMENT, 'name: task-api', 7), [
      'task-api-deployment.yaml:5:task-api',
      'task-api-deployment.yaml:62:selector',
      'task-api-vpa.yaml:13:targetRef',
    ]);
    assert.deepEqual(await at('textDocument/references', 'staging/task-api.yaml', 'name: task-api', 7), [
      'staging/task-api.yaml:5:task-api',
      'task-api-podchaos.yaml:14:selector',
    ]);
    assert.deepEqual(await at('textDocument/references', 'postgres-statefulset.yaml', '- name: postgres', 9), [
      'postgres-statefulset.yaml:28:postgres',
      'velero/task-api-velero-schedule.yaml:42:postgres',
      'velero/task-api-velero-schedule.yaml:55:postgres',
    ]);
  });
});

describe('code lens', () => {
  test('one lens per criterion of opex.yaml, with its static status and the manifests that carry it out', async () => {
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: c.uri('opex.yaml') } });
    assert.deepEqual(lenses.map((l) => [l.range.start.line + 1, l.command?.title]), [
      [3, 'SC-001 ✓ satisfied by task-api-deployment.yaml'],
      [3, 'SC-002 needs a live check'],
      [16, 'SC-003 ✓ satisfied by task-api-vpa.yaml'],
      [7, 'SC-004 ✓ satisfied by velero/task-api-velero-schedule.yaml'],
      [9, 'SC-005 ✓ satisfied by velero/task-api-velero-schedule.yaml'],
      [10, 'SC-006 ✓ satisfied by velero/task-api-velero-schedule.yaml'],
      [5, 'SC-007 needs a live check'],
      [12, 'SC-008 ✓ satisfied by task-api-podchaos.yaml, task-api-deployment.yaml'],
      [13, 'SC-009 ✓ satisfied by task-api-deployment.yaml, task-api-podchaos.yaml'],
      [14, 'SC-010 needs a live check'],
    ]);
    const sc4 = lenses[3].command!;
    assert.equal(sc4.command, 'opex.showLocations');
    assert.deepEqual(where(sc4.arguments![2] as Location[]), ['velero/task-api-velero-schedule.yaml:7:task-api-production-daily']);
    assert.equal(lenses[1].command?.command, '');
  });

  test('a problem turns the lens red and links to it', async () => {
    const before = c.refreshes.codeLens;
    await c.open(DEPLOYMENT);
    await c.replace(DEPLOYMENT, '        team: product-team\n', '', '  template:');
    await c.waitFor('a code lens refresh', () => c.refreshes.codeLens > before);
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: c.uri('opex.yaml') } });
    assert.equal(lenses[0].command?.title, 'SC-001 ✗ 1 problem');
    assert.deepEqual(where(lenses[0].command!.arguments![2] as Location[]), ['task-api-deployment.yaml:19:labels']);
    await c.close(DEPLOYMENT);
    await c.waitForDiagnostics(DEPLOYMENT, 'a clean file', (l) => l.length === 0);
  });
});

describe('code lens on a markdown spec', () => {
  let m: TestClient;
  before(async () => {
    const folder = copyFixture();
    fs.rmSync(path.join(folder, 'opex.yaml'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'lsp', 'markdown', 'task-api-opex-spec.md'), path.join(folder, 'task-api-opex-spec.md'));
    m = await TestClient.start({ folder });
    await m.ready();
  });
  after(() => m.stop());

  test('each SC line of the chapter\'s spec gets its lens', async () => {
    const lenses = await m.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: m.uri('task-api-opex-spec.md') } });
    const text = fs.readFileSync(m.file('task-api-opex-spec.md'), 'utf8').split('\n');
    assert.equal(lenses.length, 10);
    for (const l of lenses) {
      const id = l.command!.title.slice(0, 6);
      assert.match(text[l.range.start.line], new RegExp(`^- ${id}:`), `${id} is on its own line`);
    }
    assert.deepEqual(lenses.map((l) => l.command?.title.replace(/ by .*/, '')), [
      'SC-001 ✓ satisfied', 'SC-002 needs a live check', 'SC-003 ✓ satisfied', 'SC-004 ✓ satisfied', 'SC-005 ✓ satisfied',
      'SC-006 ✓ satisfied', 'SC-007 needs a live check', 'SC-008 ✓ satisfied', 'SC-009 ✓ satisfied', 'SC-010 needs a live check',
    ]);
  });
});

describe('symbols', () => {
  test('document symbols: one per object, containers below', async () => {
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: c.uri(DEPLOYMENT) } });
    assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.children?.map((x) => x.name)]), [
      ['Deployment production/task-api', 'apps/v1', ['task-api']],
      ['Service production/task-api', 'v1', []],
    ]);
    assert.equal(textIn(c.text(DEPLOYMENT), symbols[0].selectionRange), 'task-api');
  });

  test('workspace symbols, filtered by the query', async () => {
    const all = await c.request<WorkspaceSymbol[]>('workspace/symbol', { query: '' });
    assert.deepEqual(all.map((s) => s.name).sort(), [
      'Deployment production/task-api',
      'Deployment staging/task-api',
      'PodChaos chaos-mesh/task-api-pod-kill',
      'Schedule velero/task-api-production-daily',
      'Service production/postgres',
      'Service production/task-api',
      'StatefulSet production/postgres',
      'VerticalPodAutoscaler production/task-api-vpa',
    ]);
    const found = await c.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'schedule velero' });
    assert.deepEqual(found.map((s) => [s.name, s.containerName]), [['Schedule velero/task-api-production-daily', 'velero/task-api-velero-schedule.yaml']]);
  });
});
