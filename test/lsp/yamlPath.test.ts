/** Where the cursor is, in half-typed YAML (completion) and in parsed YAML (hover, definition). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFile } from '../../server/engine/parse';
import { completionContext, locate } from '../../server/lsp/yamlPath';

/** The context at the `|` in a text. */
function ctxAt(marked: string) {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const before = text.slice(0, at).split('\n');
  return completionContext(text, { line: before.length - 1, character: before[before.length - 1].length });
}

describe('completionContext', () => {
  test('a new key in a nested map, on an empty line', () => {
    const c = ctxAt('kind: Deployment\nspec:\n  template:\n    metadata:\n      labels:\n        app: x\n        |\n    spec: {}\n');
    assert.equal(c?.kind, 'key');
    assert.deepEqual(c?.path, ['spec', 'template', 'metadata', 'labels']);
    assert.deepEqual(c?.siblings, { app: 'x' });
    assert.equal(c?.doc.kind, 'Deployment');
  });

  test('a key being typed, with siblings below it', () => {
    const c = ctxAt('metadata:\n  labels:\n    te|\n    app: x\n');
    assert.equal(c?.kind, 'key');
    assert.equal(c?.prefix, 'te');
    assert.deepEqual(c?.path, ['metadata', 'labels']);
    assert.deepEqual(c?.siblings, { app: 'x' });
    assert.deepEqual(c?.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } });
  });

  test('a value after `key: `, its token replaced whole', () => {
    const c = ctxAt('spec:\n  updatePolicy:\n    updateMode: "O|ff"\n');
    assert.equal(c?.kind, 'value');
    assert.deepEqual(c?.path, ['spec', 'updatePolicy', 'updateMode']);
    assert.equal(c?.prefix, '"O');
    assert.deepEqual(c?.range, { start: { line: 2, character: 16 }, end: { line: 2, character: 21 } });
  });

  test('a value in an item map of a block sequence, first key on the dash line', () => {
    const c = ctxAt('spec:\n  resourcePolicy:\n    containerPolicies:\n      - containerName: a\n      - containerName: |\n');
    assert.equal(c?.kind, 'value');
    assert.deepEqual(c?.path, ['spec', 'resourcePolicy', 'containerPolicies', 1, 'containerName']);
  });

  test('a value in an item map, below its first key', () => {
    const c = ctxAt('hooks:\n  resources:\n    - name: pg\n      pre:\n        - exec:\n            container: postgres\n            onError: |\n');
    assert.equal(c?.kind, 'value');
    assert.deepEqual(c?.path, ['hooks', 'resources', 0, 'pre', 0, 'exec', 'onError']);
    assert.deepEqual(c?.siblings, { container: 'postgres' });
  });

  test('an item of a scalar sequence, indentless too', () => {
    const a = ctxAt('spec:\n  selector:\n    namespaces:\n      - staging\n      - |\n');
    assert.equal(a?.kind, 'item');
    assert.deepEqual(a?.path, ['spec', 'selector', 'namespaces']);
    const b = ctxAt('spec:\n  includedNamespaces:\n  - prod|\n');
    assert.equal(b?.kind, 'item');
    assert.equal(b?.prefix, 'prod');
    assert.deepEqual(b?.path, ['spec', 'includedNamespaces']);
  });

  test('the document around the cursor: kind, apiVersion and namespace of that document only', () => {
    const c = ctxAt('apiVersion: v1\nkind: Service\nmetadata:\n  namespace: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: b\nspec:\n  |\n');
    assert.deepEqual(c?.doc, { startLine: 5, endLine: 12, kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'b' });
    assert.deepEqual(c?.path, ['spec']);
  });

  test('nothing in comments and past a value', () => {
    assert.equal(ctxAt('a:\n  b: 1 # te|\n'), undefined);
    assert.equal(ctxAt('a:\n  b: one two|\n'), undefined);
  });
});

describe('locate', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n';
  const parsed = parseFile('/w/s.yaml', text);

  test('a key and a value, with their paths', () => {
    const key = locate(parsed, { line: 6, character: 5 });
    assert.deepEqual([key?.part, key?.path], ['key', ['spec', 'selector', 'app']]);
    const value = locate(parsed, { line: 6, character: 10 });
    assert.deepEqual([value?.part, value?.path, value?.scalar?.value], ['value', ['spec', 'selector', 'app'], 'web']);
    const item = locate(parsed, { line: 8, character: 14 });
    assert.deepEqual(item?.path, ['spec', 'ports', 0, 'port']);
  });
});
