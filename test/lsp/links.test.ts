/**
 * Links (selectors and target references → the workloads they reach): those of one resource, computed alone (what a
 * hover or go-to-definition asks for right after an edit), are those of the workspace-wide table.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { testWorkspace } from '../../server/engine/testing';
import type { WorkspaceIndex } from '../../server/engine/workspace';
import { allLinks, linksOf, type Link } from '../../server/lsp/links';
import { ROOT } from './harness';

const FOLDERS = ['examples/task-api', 'test/fixtures/lsp/task-api'];

/** The manifests of the folders (relative to the repository), indexed under the same relative names. */
function indexOf(folders: string[]): WorkspaceIndex {
  const files: Record<string, string> = {};
  for (const folder of folders) {
    for (const name of fs.readdirSync(path.join(ROOT, folder))) {
      if (/\.ya?ml$/.test(name) && name !== 'opex.yaml') files[`${folder}/${name}`] = fs.readFileSync(path.join(ROOT, folder, name), 'utf8');
    }
  }
  return testWorkspace(files, { spec: null }).index;
}

const shape = (links: Link[]) => links.map((l) => ({ kind: l.kind, from: `${l.from.kind}/${l.from.name}`, path: l.path.join('.'), targets: l.targets.map((t) => t.resource.name).sort() }));

describe('links of one resource', () => {
  it('are the same computed alone (the index just changed) and from the workspace table', () => {
    const index = indexOf(FOLDERS);
    const alone = new Map(index.resources().map((r) => [r, shape(linksOf(index, r))]));
    const all = allLinks(index); // builds the table for this generation
    assert.ok(all.length >= 5, `${all.length} links in the examples`);
    for (const r of index.resources()) assert.deepEqual(alone.get(r), shape(linksOf(index, r)), `${r.kind}/${r.name}`);
    assert.ok([...alone.values()].some((l) => l.some((x) => x.targets.length > 0)), 'some link reaches a workload');
  });

  it('follow an edit at once: a Service whose selector changed links to the new workload', () => {
    const index = indexOf([FOLDERS[0]]);
    const service = index.resources().find((r) => r.kind === 'Service');
    assert.ok(service, 'the example has a Service');
    allLinks(index);
    index.setFile(path.join(path.dirname(service.file), '..', 'other', 'worker.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: ${service.namespace}}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: w, image: w:1}]}
`);
    const text = fs.readFileSync(path.join(ROOT, FOLDERS[0], path.basename(service.file)), 'utf8');
    const selectorValue = /selector:\n(\s+)app: ([\w-]+)/.exec(text);
    assert.ok(selectorValue, 'the Service selects by app');
    index.setFile(service.file, text.replace(selectorValue[0], `selector:\n${selectorValue[1]}app: worker`));
    const edited = index.resources().find((r) => r.kind === 'Service' && r.name === service.name)!;
    assert.deepEqual(linksOf(index, edited).flatMap((l) => l.targets.map((t) => t.resource.name)), ['worker']);
  });
});
