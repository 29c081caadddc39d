import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, TEST_SPEC, textAt } from '../testing';

const rule = 'spec-criterion-uncovered';

const deployment = (ns = 'production', name = 'task-api') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: 3
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, team: product-team, environment: production, cost-center: engineering}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
`;

const vpa = (target = 'task-api', ns = 'production') => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: task-api-vpa
  namespace: ${ns}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  updatePolicy:
    updateMode: "Off"
`;

const podChaos = (namespaces = '[staging]', labels = '{app: task-api}', kind = 'PodChaos') => `apiVersion: chaos-mesh.org/v1alpha1
kind: ${kind}
metadata:
  name: task-api-pod-kill
  namespace: chaos-mesh
spec:
  action: pod-kill
  mode: one
  selector:
    namespaces: ${namespaces}
    labelSelectors: ${labels}
`;

const SPEC_WITH_CRITERIA = `${TEST_SPEC}criteria:
  SC-001: All Task API pods carry four cost allocation labels
  SC-003: VPA generates right-sizing recommendations within 24 hours
  SC-004: Velero Schedule runs daily at 2 AM UTC
  SC-006: Pre-backup hook runs pg_dump for database consistency
  SC-008: Pod kill recovery under 30 seconds
  SC-009: No 5xx errors during single pod failure
`;

const run = (files: Record<string, string>, spec: string | null = TEST_SPEC) =>
  lintFiles(files, { spec, only: [rule] }).filter((d) => d.ruleId === rule);

describe('spec-criterion-uncovered', () => {
  it('reports each uncovered criterion on its line of the spec, and the chaos criteria once', () => {
    const diags = run({ 'other.yaml': deployment('production', 'web') }, SPEC_WITH_CRITERIA);
    assert.deepEqual(diags.map((d) => [d.file, textAt(SPEC_WITH_CRITERIA, d)]), [
      ['opex.yaml', 'SC-001'],
      ['opex.yaml', 'SC-003'],
      ['opex.yaml', 'SC-008'],
    ]);
    assert.ok(diags.every((d) => d.severity === 'warning'));
    assert.match(diags[0].message, /^SC-001 \(Pods carry the cost allocation labels\) is carried out by no manifest in the workspace: no workload of service task-api is defined in namespace production/);
    assert.match(diags[1].message, /no VerticalPodAutoscaler in namespace production targets the task-api workload/);
    assert.match(diags[2].message, /no PodChaos in staging selects the pods of task-api \(app=task-api\)/);
  });

  it('is quiet when the workload, a VPA on it and a pod-kill experiment in staging exist (the chapter)', () => {
    assert.deepEqual(run({ 'deploy.yaml': deployment(), 'vpa.yaml': vpa(), 'chaos.yaml': podChaos() }, SPEC_WITH_CRITERIA), []);
    assert.deepEqual(run({ 'deploy.yaml': deployment(), 'vpa.yaml': vpa(), 'chaos.yaml': podChaos() }), []);
  });

  it('reports on the service line when the opex.yaml words no criteria (they are implied)', () => {
    const [d, ...rest] = run({ 'deploy.yaml': deployment(), 'chaos.yaml': podChaos() });
    assert.equal(rest.length, 0);
    assert.equal(textAt(TEST_SPEC, d), 'service');
    assert.match(d.message, /^SC-003 .*targets Deployment task-api/);
  });

  it('reports SC-009 when the spec has no SC-008', () => {
    const spec = TEST_SPEC.replace('  podKillRecovery: 30s\n', '');
    const diags = run({ 'deploy.yaml': deployment(), 'vpa.yaml': vpa() }, spec);
    assert.deepEqual(diags.map((d) => d.message.slice(0, 6)), ['SC-009']);
  });

  it('does not count a VPA on another workload, a NetworkChaos, or an experiment that misses the service', () => {
    const files = { 'deploy.yaml': deployment(), 'db.yaml': deployment('production', 'postgres') };
    assert.match(run({ ...files, 'vpa.yaml': vpa('postgres'), 'chaos.yaml': podChaos() })[0].message, /^SC-003/);
    assert.match(run({ ...files, 'vpa.yaml': vpa(), 'chaos.yaml': podChaos('[staging]', '{app: postgres}') })[0].message, /^SC-008/);
    const network = podChaos('[staging]', '{app: task-api}', 'NetworkChaos').replace('action: pod-kill', 'action: delay');
    assert.match(run({ ...files, 'vpa.yaml': vpa(), 'chaos.yaml': network })[0].message, /^SC-008/);
  });

  it('leaves what other rules report to them: a dangling VPA target, an experiment in a forbidden namespace', () => {
    const files = { 'deploy.yaml': deployment(), 'chaos.yaml': podChaos() };
    assert.deepEqual(run({ ...files, 'vpa.yaml': vpa('taskapi') }), []);
    assert.deepEqual(run({ 'deploy.yaml': deployment(), 'vpa.yaml': vpa(), 'chaos.yaml': podChaos('[production]') }), []);
  });

  it('counts manifests anywhere in the workspace, and is quiet without a spec', () => {
    assert.deepEqual(run({ 'svc/deploy.yaml': deployment(), 'platform/vpas/task-api.yaml': vpa(), 'chaos/kill.yaml': podChaos() }), []);
    assert.deepEqual(run({}, null), []);
  });

  it('does not report the backup criteria: the backup rules do', () => {
    const diags = run({ 'deploy.yaml': deployment(), 'vpa.yaml': vpa(), 'chaos.yaml': podChaos() }, SPEC_WITH_CRITERIA);
    assert.deepEqual(diags, []);
  });
});
