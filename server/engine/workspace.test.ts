import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkspaceIndex } from './workspace';

const deploy = (name: string, ns?: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: ${name}, image: x}]\n`;

describe('WorkspaceIndex', () => {
  it('replaces one file without touching the others', () => {
    const index = new WorkspaceIndex();
    index.setFile('/w/a.yaml', deploy('a', 'prod'));
    index.setFile('/w/b.yaml', deploy('b', 'prod'));
    const b = index.find('Deployment', 'prod', 'b');
    assert.ok(b);
    index.setFile('/w/a.yaml', deploy('a2', 'prod'));
    assert.equal(index.find('Deployment', 'prod', 'a'), undefined);
    assert.ok(index.find('Deployment', 'prod', 'a2'));
    assert.equal(index.find('Deployment', 'prod', 'b'), b, 'b is the same object: not re-parsed');
    index.removeFile('/w/a.yaml');
    assert.deepEqual(index.resources().map((r) => r.name), ['b']);
  });

  it('resolves namespaces as Kubernetes does: metadata, then the kustomization that lists the file, then default', () => {
    const index = new WorkspaceIndex();
    index.setFile('/w/app/deploy.yaml', deploy('web'));
    index.setFile('/w/app/base/db.yaml', deploy('db'));
    index.setFile('/w/app/other.yaml', deploy('other'));
    index.setFile('/w/app/explicit.yaml', deploy('x', 'elsewhere'));
    assert.equal(index.find('Deployment', 'default', 'web')?.namespace, 'default');
    index.setFile('/w/app/kustomization.yaml', 'kind: Kustomization\nnamespace: shop\nresources: [deploy.yaml, base, explicit.yaml]\n');
    assert.equal(index.find('Deployment', 'shop', 'web')?.name, 'web');
    assert.equal(index.find('Deployment', 'shop', 'db')?.name, 'db');
    assert.equal(index.find('Deployment', 'default', 'other')?.name, 'other', 'not listed: not in the kustomization');
    assert.equal(index.find('Deployment', 'elsewhere', 'x')?.name, 'x');
    index.removeFile('/w/app/kustomization.yaml');
    assert.equal(index.find('Deployment', 'default', 'web')?.name, 'web');
  });

  it('can default namespaces to the spec namespace when asked', () => {
    const index = new WorkspaceIndex({ defaultNamespace: 'production' });
    index.setFile('/w/a.yaml', deploy('a'));
    assert.equal(index.resources()[0].namespace, 'production');
  });

  it('exposes workloads with their pod template, selector and containers', () => {
    const index = new WorkspaceIndex();
    index.setFile('/w/c.yaml', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 1 * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: nightly}}\n        spec:\n          containers: [{name: job, image: x, ports: [{containerPort: 80, name: http}]}]\n');
    const [w] = index.workloads();
    assert.deepEqual(w.podLabels, { app: 'nightly' });
    assert.deepEqual(w.containers.map((c) => [c.name, c.ports[0].name, c.path.join('.')]), [['job', 'http', 'spec.jobTemplate.spec.template.spec.containers.0']]);
    assert.equal(w.selector, undefined);
  });
});
