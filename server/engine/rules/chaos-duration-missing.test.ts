import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintRule, textAt } from '../testing';

const rule = 'chaos-duration-missing';

const experiment = (kind: string, body: string) => `apiVersion: chaos-mesh.org/v1alpha1
kind: ${kind}
metadata:
  name: exp
  namespace: staging
spec:
  mode: one
  selector:
    namespaces: [staging]
    labelSelectors: {app: task-api}
${body}`;

describe('chaos-duration-missing', () => {
  it('reports a pod-failure without duration on spec', () => {
    const text = experiment('PodChaos', '  action: pod-failure\n');
    const [d, ...rest] = lintRule(rule, text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(text, d), 'spec');
    assert.equal(d.range.start.line, 5);
    assert.match(d.message, /PodChaos exp has no duration for action pod-failure, so the pods stay failed until someone deletes the experiment/);
  });

  it('reports every lasting kind: network, stress, io, time, dns, http, kernel, block', () => {
    const bodies: Record<string, string> = {
      NetworkChaos: '  action: delay\n  delay: {latency: 90ms}\n',
      StressChaos: '  stressors: {cpu: {workers: 1, load: 50}}\n',
      IOChaos: '  action: latency\n  volumePath: /data\n  delay: 100ms\n',
      TimeChaos: '  timeOffset: -10m\n',
      DNSChaos: '  action: error\n',
      HTTPChaos: '  target: Request\n  port: 80\n  abort: true\n',
      KernelChaos: '  failKernRequest: {callchain: [], failtype: 0}\n',
      BlockChaos: '  action: delay\n  volumeName: data\n  delay: {latency: 1s}\n',
      JVMChaos: '  action: latency\n  class: Main\n  method: run\n  latency: 100\n',
    };
    for (const [kind, body] of Object.entries(bodies)) {
      const diags = lintRule(rule, experiment(kind, body));
      assert.equal(diags.length, 1, kind);
      assert.match(diags[0].message, new RegExp(`^${kind} exp`));
    }
  });

  it('is quiet for instantaneous actions and when a duration is set', () => {
    assert.deepEqual(lintRule(rule, experiment('PodChaos', '  action: pod-kill\n')), []);
    assert.deepEqual(lintRule(rule, experiment('PodChaos', '')), [], 'no action means pod-kill');
    assert.deepEqual(lintRule(rule, experiment('PodChaos', '  action: container-kill\n  containerNames: [task-api]\n')), []);
    assert.deepEqual(lintRule(rule, experiment('JVMChaos', '  action: gc\n')), []);
    assert.deepEqual(lintRule(rule, experiment('PodChaos', '  action: pod-failure\n  duration: "30s"\n')), []);
    assert.deepEqual(lintRule(rule, experiment('NetworkChaos', '  action: loss\n  loss: {loss: "25"}\n  duration: 10m\n')), []);
  });

  it('reports the experiment of a Chaos Mesh Schedule on its key, explaining the concurrency policy', () => {
    const text = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: {name: web-failure, namespace: staging}
spec:
  schedule: '@every 2m'
  type: PodChaos
  historyLimit: 5
  podChaos:
    action: pod-failure
    mode: one
    selector: {namespaces: [staging], labelSelectors: {app: web}}
`;
    const [d] = lintRule(rule, text);
    assert.equal(textAt(text, d), 'podChaos');
    assert.match(d.message, /^Schedule web-failure \(PodChaos\) has no duration for action pod-failure/);
    assert.match(d.message, /with concurrencyPolicy Forbid, the default, the Schedule never starts its next run/);
    const allow = text.replace('  historyLimit: 5\n', '  historyLimit: 5\n  concurrencyPolicy: Allow\n');
    assert.match(lintRule(rule, allow)[0].message, /each run of the Schedule adds another fault on top/);
  });

  it('stays quiet without a spec (open-ended experiments are legal), and ignores kinds without pods (cloud, physical machines)', () => {
    assert.deepEqual(lintRule(rule, experiment('PodChaos', '  action: pod-failure\n'), { spec: null }), []);
    const gcp = `apiVersion: chaos-mesh.org/v1alpha1
kind: GCPChaos
metadata: {name: node-stop, namespace: staging}
spec:
  action: node-stop
  secretName: cloud-key
  project: p
  zone: z
  instance: i
`;
    assert.deepEqual(lintRule(rule, gcp), []);
  });
});
