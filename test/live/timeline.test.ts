/** The replacement pod's timeline (SC-008's explanation of a miss) from conditions, container states and events. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podTimeline, pullSeconds } from '../../server/live/timeline';

const at = (s: number) => new Date(Date.UTC(2025, 11, 30, 10, 45, 0) + s * 1000);
const kill = at(0).getTime();

function pod(extra: any = {}): any {
  return {
    metadata: { name: 'task-api-7d8f9c4b5f-jkl78', creationTimestamp: at(1) },
    spec: { nodeName: 'node-2' },
    status: {
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: at(1) },
        { type: 'Ready', status: 'True', lastTransitionTime: at(45) },
      ],
      containerStatuses: [{ name: 'task-api', state: { running: { startedAt: at(41) } } }],
      ...extra,
    },
  };
}

const ev = (reason: string, s: number, message: string, fieldPath = 'spec.containers{task-api}') =>
  ({ reason, message, firstTimestamp: at(s), involvedObject: { name: 'task-api-7d8f9c4b5f-jkl78', fieldPath } }) as any;

describe('pod timeline', () => {
  it('reads the kubelet\'s pull duration', () => {
    assert.equal(pullSeconds('Successfully pulled image "ghcr.io/x:1" in 38.21s (38.21s including waiting). Image size: 52428800 bytes.'), 38.21);
    assert.equal(pullSeconds('Successfully pulled image "x" in 1m2.5s (1m2.5s including waiting)'), 62.5);
    assert.equal(pullSeconds('Container image "x" already present on machine'), undefined);
  });

  it('names the image pull as the slowest step and tells the ContainerCreating time, as the Game Day asks', () => {
    const events = [
      { reason: 'Scheduled', message: 'Successfully assigned staging/task-api-7d8f9c4b5f-jkl78 to node-2', eventTime: at(1), involvedObject: { name: 'task-api-7d8f9c4b5f-jkl78' } } as any,
      ev('Pulling', 1, 'Pulling image "ghcr.io/panaversity/task-api:1.0.0"'),
      ev('Pulled', 39, 'Successfully pulled image "ghcr.io/panaversity/task-api:1.0.0" in 38.21s (38.21s including waiting). Image size: 52428800 bytes.'),
      ev('Created', 40, 'Created container: task-api'),
      ev('Started', 41, 'Started container task-api'),
    ];
    const t = podTimeline(kill, pod(), events);
    assert.deepEqual(t.steps.map((s) => [s.step, s.at, s.took]), [
      ['killed', 0, 0], ['created', 1, 1], ['scheduled', 1, 0], ['image-pull', 39.2, 38.2], ['started', 41, 1.8], ['ready', 45, 4],
    ]);
    assert.equal(t.slowest?.step, 'image-pull');
    assert.equal(t.containerCreating, 40);
    assert.equal(t.summary, 'the new pod task-api-7d8f9c4b5f-jkl78 spent 40 s in ContainerCreating; slowest step: image pull (38.2 s, ghcr.io/panaversity/task-api:1.0.0)');
    assert.match(t.advice!, /imagePullPolicy: IfNotPresent/);
  });

  it('counts init containers and a cached image', () => {
    const p = pod({
      initContainerStatuses: [{ name: 'migrate', state: { terminated: { startedAt: at(2), finishedAt: at(30) } } }],
    });
    const events = [ev('Pulled', 31, 'Container image "ghcr.io/panaversity/task-api:1.0.0" already present on machine')];
    const t = podTimeline(kill, p, events);
    assert.equal(t.slowest?.step, 'init');
    assert.equal(t.slowest?.took, 28);
    assert.match(t.steps.find((s) => s.step === 'image-pull')!.detail, /^image already on the node/);
    assert.match(t.summary, /spent 40 s in Init\/ContainerCreating; slowest step: init containers \(28 s\)/);
  });

  it('prefers the moments the watch saw over whole-second API times', () => {
    const t = podTimeline(kill, pod(), [], { created: kill + 120, scheduled: kill + 180, started: kill + 2400, ready: kill + 3900 });
    assert.deepEqual(t.steps.map((s) => s.at), [0, 0.1, 0.2, 2.4, 3.9]);
    assert.equal(t.slowest?.step, 'started');
  });

  it('says where a pod that is not Ready yet is stuck', () => {
    const p = { metadata: { name: 'p', creationTimestamp: at(1) }, spec: {}, status: {} } as any;
    const t = podTimeline(kill, p, [], {}, at(20).getTime());
    assert.equal(t.summary, 'the new pod p is not Ready after 20 s: still waiting for a node (19 s so far)');
    assert.match(t.advice!, /no node had room/);
  });
});
