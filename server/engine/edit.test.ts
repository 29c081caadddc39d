import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addToMap, appendToSeq, applyEdits, removeSeqItem, replaceValue, scalarText } from './edit';
import { parseFile } from './parse';
import type { NodePath } from './resource';
import type { TextEdit } from './types';

function edit(text: string, make: (r: ReturnType<typeof parseFile>['resources'][0]) => TextEdit | undefined): string {
  const f = parseFile('/w/x.yaml', text);
  const e = make(f.resources[0]);
  assert.ok(e, 'an edit');
  return applyEdits(text, f.lines, [e]);
}

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

describe('CST edits', () => {
  it('quotes only what YAML 1.1 or 1.2 would read as another type', () => {
    assert.equal(scalarText('Off'), '"Off"');
    assert.equal(scalarText('yes'), '"yes"');
    assert.equal(scalarText('0123'), '"0123"');
    assert.equal(scalarText('1.0'), '"1.0"');
    assert.equal(scalarText('720h'), '720h');
    assert.equal(scalarText('0 2 * * *'), '"0 2 * * *"');
    assert.equal(scalarText('product-team'), 'product-team');
    assert.equal(scalarText('a: b'), '"a: b"');
    assert.equal(scalarText(''), '""');
  });

  it('replaces a value and keeps the comment after it', () => {
    const text = `${head}data:\n  mode: Off # keep\n`;
    assert.equal(edit(text, (r) => replaceValue(r, ['data', 'mode'], '"Off"')), `${head}data:\n  mode: "Off" # keep\n`);
  });

  it('adds entries to a block map after its last entry, with its indentation', () => {
    const text = `${head}  labels:\n      a: "1"   # four-space style\n      b: x\ndata: {}\n`;
    assert.equal(
      edit(text, (r) => addToMap(r, ['metadata', 'labels'], { b: 'ignored', c: 'Off', d: 'y' })),
      `${head}  labels:\n      a: "1"   # four-space style\n      b: x\n      c: "Off"\n      d: "y"\ndata: {}\n`,
    );
  });

  it('adds entries to a flow map inside its braces', () => {
    const text = `${head}  labels: {a: x}\n`;
    assert.equal(edit(text, (r) => addToMap(r, ['metadata', 'labels'], { b: 'y2' })), `${head}  labels: {a: x, b: y2}\n`);
  });

  it('creates missing parents under the nearest existing map', () => {
    const text = `${head}data:\n  k: v\n`;
    const out = edit(text, (r) => addToMap(r, ['metadata', 'labels'] as NodePath, { team: 't' }));
    assert.equal(out, `${head}  labels:\n    team: t\ndata:\n  k: v\n`);
  });

  it('fills a key whose value is empty', () => {
    const text = `${head}  labels:\ndata: {}\n`;
    assert.equal(edit(text, (r) => addToMap(r, ['metadata', 'labels'], { a: 'b' })), `${head}  labels:\n    a: b\ndata: {}\n`);
  });

  it('appends to block and flow sequences, and creates a missing one', () => {
    const block = `${head}list:\n  - a\n  - b # last\nnext: 1\n`;
    assert.equal(edit(block, (r) => appendToSeq(r, ['list'], 'c')), `${head}list:\n  - a\n  - b # last\n  - c\nnext: 1\n`);
    const flow = `${head}list: [a, b]\n`;
    assert.equal(edit(flow, (r) => appendToSeq(r, ['list'], 'c')), `${head}list: [a, b, c]\n`);
    const missing = `${head}data: {}\n`;
    assert.equal(edit(missing, (r) => appendToSeq(r, ['metadata', 'finalizers'], 'x')), `${head}  finalizers:\n    - x\ndata: {}\n`);
  });

  it('appends a map item to a block sequence with nested indentation', () => {
    const text = `${head}hooks:\n  - name: a\n    x: 1\n`;
    const out = edit(text, (r) => appendToSeq(r, ['hooks'], { name: 'b', pre: [{ exec: { container: 'pg' } }] }));
    assert.equal(out, `${head}hooks:\n  - name: a\n    x: 1\n  - name: b\n    pre:\n      - exec:\n          container: pg\n`);
  });

  it('removes a sequence item: whole lines in block style, element and comma in flow style', () => {
    const block = `${head}list:\n  - events\n  - pods # no\n  - replicasets\n`;
    assert.equal(edit(block, (r) => removeSeqItem(r, ['list'], 1)), `${head}list:\n  - events\n  - replicasets\n`);
    const flow = `${head}list: [events, pods, replicasets]\n`;
    assert.equal(edit(flow, (r) => removeSeqItem(r, ['list'], 1)), `${head}list: [events, replicasets]\n`);
    const last = `${head}list: [events, pods]\n`;
    assert.equal(edit(last, (r) => removeSeqItem(r, ['list'], 1)), `${head}list: [events]\n`);
  });

  it('keeps CRLF in inserted lines', () => {
    const text = `${head}  labels:\n    a: x\n`.replace(/\n/g, '\r\n');
    assert.equal(edit(text, (r) => addToMap(r, ['metadata', 'labels'], { b: 'y2' })), `${head}  labels:\n    a: x\n    b: y2\n`.replace(/\n/g, '\r\n'));
  });
});
