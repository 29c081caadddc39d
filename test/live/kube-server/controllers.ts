/**
 * Scripted controllers of the loopback API server: Deployments/ReplicaSets/StatefulSets keep their pods
 * (a deleted pod is replaced and walks through scheduling, image pull, init containers, start and readiness
 * on a configured timeline, with the events a kubelet writes), namespaces terminate, a Velero Restore goes
 * New → InProgress → Completed/PartiallyFailed/Failed, a PodChaos pod-kill kills one pod.
 */
import { createHash, randomInt } from 'node:crypto';
import { labelsMatch, parseLabelSelector } from './selectors';
import type { Registry, ResourceType } from './registry';
import { clone, microTime, rfc3339, type Store, type StoreEvent } from './store';

export interface PodTimeline {
  /** Creation → bound to a node. */
  scheduleMs: number;
  /** Image pull of each main container (0 with `imagePresent`). */
  pullMs: number;
  /** The image is on the node already ("Container image … already present on machine"). */
  imagePresent: boolean;
  /** Run time of each init container. */
  initMs: number;
  /** Pulled → container started. */
  startMs: number;
  /** Started → Ready (the readiness probe's first success). */
  readyMs: number;
}

export interface Timings {
  pod: PodTimeline;
  /** Per workload (`namespace/name`) changes to the pod timeline. */
  podOverrides: Record<string, Partial<PodTimeline>>;
  /** How long the ReplicaSet controller takes to notice a lost pod and create its replacement. */
  replaceDelayMs: number;
  /** Graceful pod termination (any grace period > 0 is compressed to this). */
  terminationMs: number;
  /** Namespace termination: its objects are removed, then the namespace. */
  namespaceDeleteMs: number;
  restore: { newMs: number; runMs: number; outcome: 'Completed' | 'PartiallyFailed' | 'Failed' };
  /** PodChaos created → the pod is killed. */
  chaosInjectMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  pod: { scheduleMs: 20, pullMs: 60, imagePresent: false, initMs: 20, startMs: 20, readyMs: 60 },
  podOverrides: {},
  replaceDelayMs: 20,
  terminationMs: 50,
  namespaceDeleteMs: 50,
  restore: { newMs: 30, runMs: 150, outcome: 'Completed' },
  chaosInjectMs: 30,
};

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
const randomSuffix = (n = 5) => Array.from({ length: n }, () => SAFE[randomInt(SAFE.length)]).join('');

/** A pod-template-hash in the style of the Deployment controller (fnv-style hash, safe alphabet). */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  const n = digest.readUInt32BE(0).toString();
  return [...n].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

const NODES = ['opex-worker-1', 'opex-worker-2', 'opex-worker-3'];

export class Controllers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly seenGeneration = new Map<string, number>();
  private stopped = false;
  /** While fixtures load, pods appear already running (backdated), not through the timeline. */
  initial = true;
  private nodeTurn = 0;
  private ipTurn = 10;

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    readonly timings: Timings,
  ) {
    store.on('event', (ev: StoreEvent) => {
      if (!this.stopped) this.onEvent(ev);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  private t(kind: string, group = ''): ResourceType {
    const found = this.registry.anyByKind(kind, group);
    if (!found) throw new Error(`unknown kind ${kind}`);
    return found;
  }

  private enabled(kind: string, group: string): boolean {
    const t = this.registry.anyByKind(kind, group);
    return !!t && this.registry.enabled(t);
  }

  private onEvent(ev: StoreEvent): void {
    const o = ev.object;
    const ns = o.metadata.namespace ?? '';
    switch (ev.key) {
      case 'deployments.apps':
        if (ev.type === 'DELETED') this.collectOrphans(o.metadata.uid, ns);
        else if (this.seenGeneration.get(o.metadata.uid) !== o.metadata.generation) {
          this.seenGeneration.set(o.metadata.uid, o.metadata.generation);
          this.reconcileDeployment(ns, o.metadata.name);
        }
        break;
      case 'statefulsets.apps':
        if (ev.type === 'DELETED') this.collectOrphans(o.metadata.uid, ns);
        else if (this.seenGeneration.get(o.metadata.uid) !== o.metadata.generation) {
          this.seenGeneration.set(o.metadata.uid, o.metadata.generation);
          this.reconcileStatefulSet(ns, o.metadata.name);
        }
        break;
      case 'replicasets.apps':
        if (ev.type === 'DELETED') this.collectOrphans(o.metadata.uid, ns);
        break;
      case 'pods': {
        const owner = o.metadata.ownerReferences?.find((r: any) => r.controller);
        if (!owner) break;
        if (ev.type === 'DELETED') {
          this.after(this.initial ? 0 : this.timings.replaceDelayMs, () => {
            if (owner.kind === 'ReplicaSet') this.reconcileReplicaSet(ns, owner.name);
            if (owner.kind === 'StatefulSet') this.reconcileStatefulSet(ns, owner.name);
          });
        }
        this.refreshStatus(ns, owner);
        break;
      }
      case 'restores.velero.io':
        if (ev.type === 'ADDED' && !o.status?.phase) this.runRestore(ns, o.metadata.name);
        break;
      case 'podchaos.chaos-mesh.org':
        if (ev.type === 'ADDED' && !o.status?.experiment?.containerRecords) this.runPodChaos(ns, o.metadata.name);
        break;
    }
  }

  // ---- workloads ---------------------------------------------------------------------------------

  private ownedBy(kind: string, group: string, ns: string, uid: string): any[] {
    return this.store.list(this.t(kind, group), ns).filter((x) => x.metadata.ownerReferences?.some((r: any) => r.uid === uid));
  }

  private collectOrphans(uid: string, ns: string): void {
    for (const rs of this.ownedBy('ReplicaSet', 'apps', ns, uid)) this.store.remove(this.t('ReplicaSet', 'apps'), ns, rs.metadata.name);
    for (const p of this.ownedBy('Pod', '', ns, uid)) this.store.remove(this.t('Pod'), ns, p.metadata.name);
  }

  private reconcileDeployment(ns: string, name: string): void {
    const dep = this.store.get(this.t('Deployment', 'apps'), ns, name);
    if (!dep) return;
    const template = dep.spec?.template ?? {};
    const hash = templateHash(template);
    const rsType = this.t('ReplicaSet', 'apps');
    const rsName = `${name}-${hash}`;
    const replicas = dep.spec?.replicas ?? 1;
    const owned = this.ownedBy('ReplicaSet', 'apps', ns, dep.metadata.uid);
    for (const old of owned) {
      if (old.metadata.name !== rsName) this.store.mutate(rsType, ns, old.metadata.name, (rs) => (rs.spec.replicas = 0));
    }
    const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
    if (!this.store.has(rsType, ns, rsName)) {
      this.store.create(rsType, {
        metadata: {
          name: rsName,
          namespace: ns,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + Math.max(1, Math.ceil(replicas / 4))),
            'deployment.kubernetes.io/revision': String(owned.length + 1),
          },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: dep.metadata.uid, controller: true, blockOwnerDeletion: true }],
          ...(this.initial ? { creationTimestamp: dep.metadata.creationTimestamp } : {}),
        },
        spec: {
          replicas,
          selector: { matchLabels: { ...(dep.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
          template: { ...clone(template), metadata: { ...(template.metadata ?? {}), labels } },
        },
        status: { replicas: 0, observedGeneration: 1 },
      }, { keepTimestamps: this.initial });
      this.event(ns, { kind: 'Deployment', name, uid: dep.metadata.uid, apiVersion: 'apps/v1' }, 'Normal', 'ScalingReplicaSet',
        `Scaled up replica set ${rsName} from 0 to ${replicas}`, 'deployment-controller');
    } else {
      this.store.mutate(rsType, ns, rsName, (rs) => (rs.spec.replicas = replicas));
    }
    for (const old of owned) if (old.metadata.name !== rsName) this.reconcileReplicaSet(ns, old.metadata.name);
    this.reconcileReplicaSet(ns, rsName);
  }

  private reconcileReplicaSet(ns: string, name: string): void {
    const rs = this.store.get(this.t('ReplicaSet', 'apps'), ns, name);
    if (!rs) return;
    const pods = this.ownedBy('Pod', '', ns, rs.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const want = rs.spec?.replicas ?? 1;
    for (let i = pods.length; i < want; i++) {
      const podName = `${name}-${randomSuffix()}`;
      this.startPod(ns, podName, rs.spec.template, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata.uid });
      this.event(ns, { kind: 'ReplicaSet', name, uid: rs.metadata.uid, apiVersion: 'apps/v1' }, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, 'replicaset-controller');
    }
    for (const extra of pods.slice(want)) this.store.remove(this.t('Pod'), ns, extra.metadata.name);
    this.refreshStatus(ns, { kind: 'ReplicaSet', name });
  }

  private reconcileStatefulSet(ns: string, name: string): void {
    const sts = this.store.get(this.t('StatefulSet', 'apps'), ns, name);
    if (!sts) return;
    const want = sts.spec?.replicas ?? 1;
    const podType = this.t('Pod');
    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      const cur = this.store.get(podType, ns, podName);
      if (cur && !cur.metadata.deletionTimestamp) continue;
      if (cur) continue; // terminating: replaced once gone
      const template = clone(sts.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i) } };
      this.startPod(ns, podName, template, { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid });
    }
    this.refreshStatus(ns, { kind: 'StatefulSet', name });
  }

  private workloadKey(ns: string, owner: { kind: string; name: string }): string {
    if (owner.kind === 'ReplicaSet') {
      const rs = this.store.get(this.t('ReplicaSet', 'apps'), ns, owner.name);
      const dep = rs?.metadata.ownerReferences?.find((r: any) => r.kind === 'Deployment');
      if (dep) return `${ns}/${dep.name}`;
    }
    return `${ns}/${owner.name}`;
  }

  private timelineFor(ns: string, owner: { kind: string; name: string }): PodTimeline {
    return { ...this.timings.pod, ...(this.timings.podOverrides[this.workloadKey(ns, owner)] ?? {}) };
  }

  /** Creates a pod from a template and walks it to Ready (at once, backdated, while fixtures load). */
  private startPod(ns: string, name: string, template: any, owner: { apiVersion: string; kind: string; name: string; uid: string }): void {
    const podType = this.t('Pod');
    const spec = clone(template.spec ?? {});
    const withDefaults = (c: any) => ({
      imagePullPolicy: /:latest$|^[^:]*$/.test(c.image ?? '') ? 'Always' : 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
      ...c,
    });
    spec.containers = (spec.containers ?? []).map(withDefaults);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withDefaults);
    const pod = {
      metadata: {
        name,
        ...(owner.kind === 'ReplicaSet' ? { generateName: `${owner.name}-` } : {}),
        namespace: ns,
        labels: { ...(template.metadata?.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        serviceAccountName: 'default',
        serviceAccount: 'default',
        schedulerName: 'default-scheduler',
        securityContext: {},
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
        priority: 0,
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        ...spec,
      },
      status: { phase: 'Pending', qosClass: qosClass(spec.containers) },
    };
    if (this.initial) {
      this.createRunningPod(podType, pod, owner);
      return;
    }
    this.store.create(podType, pod);
    this.walkPod(ns, name, this.timelineFor(ns, owner));
  }

  private createRunningPod(podType: ResourceType, pod: any, owner: { kind: string; name: string }): void {
    const ownerObj = owner.kind === 'ReplicaSet' ? this.store.get(this.t('ReplicaSet', 'apps'), pod.metadata.namespace, owner.name) : this.store.get(this.t('StatefulSet', 'apps'), pod.metadata.namespace, owner.name);
    const base = ownerObj?.metadata.creationTimestamp ? new Date(ownerObj.metadata.creationTimestamp) : new Date(Date.now() - 2 * 3600_000);
    const at = (s: number) => rfc3339(new Date(base.getTime() + s * 1000));
    pod.metadata.creationTimestamp = at(1);
    pod.spec.nodeName = this.nextNode();
    pod.status = {
      ...pod.status,
      phase: 'Running',
      hostIP: '172.18.0.3',
      podIP: this.nextIp(),
      startTime: at(1),
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: at(3) },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at(2) },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: at(9) },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: at(9) },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(1) },
      ],
      ...(pod.spec.initContainers ? {
        initContainerStatuses: pod.spec.initContainers.map((c: any) => ({
          name: c.name, image: c.image, imageID: imageId(c.image), ready: true, restartCount: 0, started: false,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(2), finishedAt: at(2), containerID: containerId() } },
          lastState: {},
        })),
      } : {}),
      containerStatuses: pod.spec.containers.map((c: any) => ({
        name: c.name, image: c.image, imageID: imageId(c.image), ready: true, restartCount: 0, started: true,
        state: { running: { startedAt: at(3) } }, lastState: {}, containerID: containerId(),
      })),
    };
    this.store.create(podType, pod, { keepTimestamps: true });
  }

  private nextNode(): string {
    return NODES[this.nodeTurn++ % NODES.length];
  }

  private nextIp(): string {
    return `10.244.${1 + (this.ipTurn % 3)}.${this.ipTurn++}`;
  }

  /** Scheduling → (init containers) → image pull → start → ready, with the kubelet's events. */
  private walkPod(ns: string, name: string, tl: PodTimeline): void {
    const podType = this.t('Pod');
    const alive = () => {
      const p = this.store.get(podType, ns, name);
      return p && !p.metadata.deletionTimestamp ? p : undefined;
    };
    const ref = (p: any) => ({ kind: 'Pod', name, uid: p.metadata.uid, apiVersion: 'v1', namespace: ns });
    const setCondition = (p: any, type: string, status: string, reason?: string, message?: string) => {
      const conds: any[] = (p.status.conditions ??= []);
      const now = rfc3339();
      const c = conds.find((x) => x.type === type);
      const next = { type, status, lastProbeTime: null, lastTransitionTime: c && c.status === status ? c.lastTransitionTime : now, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
      if (c) Object.assign(c, next);
      else conds.push(next);
      if (!reason) {
        delete (c ?? next).reason;
        delete (c ?? next).message;
      }
    };
    let at = tl.scheduleMs;
    this.after(at, () => {
      const p = alive();
      if (!p) return;
      const node = this.nextNode();
      this.store.mutate(podType, ns, name, (x) => {
        x.spec.nodeName = node;
        x.status.hostIP = '172.18.0.3';
        x.status.startTime = rfc3339();
        setCondition(x, 'PodReadyToStartContainers', 'False');
        setCondition(x, 'Initialized', x.spec.initContainers ? 'False' : 'True', x.spec.initContainers ? 'ContainersNotInitialized' : undefined,
          x.spec.initContainers ? `containers with incomplete status: [${x.spec.initContainers.map((c: any) => c.name).join(' ')}]` : undefined);
        setCondition(x, 'Ready', 'False', 'ContainersNotReady', `containers with unready status: [${x.spec.containers.map((c: any) => c.name).join(' ')}]`);
        setCondition(x, 'ContainersReady', 'False', 'ContainersNotReady', `containers with unready status: [${x.spec.containers.map((c: any) => c.name).join(' ')}]`);
        setCondition(x, 'PodScheduled', 'True');
        if (x.spec.initContainers) {
          x.status.initContainerStatuses = x.spec.initContainers.map((c: any) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'PodInitializing' } }, lastState: {} }));
        }
        x.status.containerStatuses = x.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: x.spec.initContainers ? 'PodInitializing' : 'ContainerCreating' } }, lastState: {} }));
      });
      this.schedulerEvent(ns, ref(p), `Successfully assigned ${ns}/${name} to ${node}`);
    });
    const p0 = this.store.get(podType, ns, name);
    const inits: any[] = p0?.spec.initContainers ?? [];
    inits.forEach((c, i) => {
      this.after(at, () => {
        const p = alive();
        if (!p) return;
        this.kubeletEvent(ns, ref(p), 'Pulled', `Container image "${c.image}" already present on machine`, `spec.initContainers{${c.name}}`);
        this.kubeletEvent(ns, ref(p), 'Created', `Created container: ${c.name}`, `spec.initContainers{${c.name}}`);
        this.kubeletEvent(ns, ref(p), 'Started', `Started container ${c.name}`, `spec.initContainers{${c.name}}`);
        const started = rfc3339();
        this.store.mutate(podType, ns, name, (x) => {
          x.status.initContainerStatuses[i] = { ...x.status.initContainerStatuses[i], imageID: imageId(c.image), started: true, state: { running: { startedAt: started } }, containerID: containerId() };
          setCondition(x, 'PodReadyToStartContainers', 'True');
        });
        this.after(tl.initMs, () => {
          if (!alive()) return;
          this.store.mutate(podType, ns, name, (x) => {
            const s = x.status.initContainerStatuses[i];
            s.ready = true;
            s.started = false;
            s.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: rfc3339(), containerID: s.containerID } };
            if (i === inits.length - 1) {
              setCondition(x, 'Initialized', 'True');
              for (const cs of x.status.containerStatuses) cs.state = { waiting: { reason: 'ContainerCreating' } };
            }
          });
        });
      });
      at += tl.initMs + 1;
    });
    const containers: any[] = p0?.spec.containers ?? [];
    this.after(at, () => {
      const p = alive();
      if (!p) return;
      for (const c of containers) {
        if (tl.imagePresent) this.kubeletEvent(ns, ref(p), 'Pulled', `Container image "${c.image}" already present on machine`, `spec.containers{${c.name}}`);
        else this.kubeletEvent(ns, ref(p), 'Pulling', `Pulling image "${c.image}"`, `spec.containers{${c.name}}`);
      }
    });
    if (!tl.imagePresent) {
      at += tl.pullMs;
      this.after(at, () => {
        const p = alive();
        if (!p) return;
        const secs = (tl.pullMs / 1000).toFixed(3).replace(/\.?0+$/, '');
        for (const c of containers) {
          this.kubeletEvent(ns, ref(p), 'Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: 52428800 bytes.`, `spec.containers{${c.name}}`);
        }
      });
    }
    at += tl.startMs;
    this.after(at, () => {
      const p = alive();
      if (!p) return;
      const started = rfc3339();
      for (const c of containers) {
        this.kubeletEvent(ns, ref(p), 'Created', `Created container: ${c.name}`, `spec.containers{${c.name}}`);
        this.kubeletEvent(ns, ref(p), 'Started', `Started container ${c.name}`, `spec.containers{${c.name}}`);
      }
      const ip = this.nextIp();
      this.store.mutate(podType, ns, name, (x) => {
        x.status.phase = 'Running';
        x.status.podIP = ip;
        x.status.podIPs = [{ ip }];
        setCondition(x, 'PodReadyToStartContainers', 'True');
        setCondition(x, 'Initialized', 'True');
        x.status.containerStatuses = x.spec.containers.map((c: any) => ({
          name: c.name, image: c.image, imageID: imageId(c.image), ready: false, restartCount: 0, started: true,
          state: { running: { startedAt: started } }, lastState: {}, containerID: containerId(),
        }));
      });
    });
    at += tl.readyMs;
    this.after(at, () => {
      if (!alive()) return;
      this.store.mutate(podType, ns, name, (x) => {
        for (const cs of x.status.containerStatuses) cs.ready = true;
        setCondition(x, 'ContainersReady', 'True');
        setCondition(x, 'Ready', 'True');
      });
    });
  }

  /** Keeps ReplicaSet, Deployment and StatefulSet status in step with their pods. */
  private refreshStatus(ns: string, owner: { kind: string; name: string }): void {
    const podType = this.t('Pod');
    const isReady = (p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
    if (owner.kind === 'ReplicaSet') {
      const rsType = this.t('ReplicaSet', 'apps');
      const rs = this.store.get(rsType, ns, owner.name);
      if (!rs) return;
      const pods = this.store.list(podType, ns).filter((p) => p.metadata.ownerReferences?.some((r: any) => r.uid === rs.metadata.uid));
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      const ready = pods.filter(isReady).length;
      const status = { replicas: live.length, fullyLabeledReplicas: live.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation };
      if (JSON.stringify(rs.status) !== JSON.stringify(status)) this.store.mutate(rsType, ns, owner.name, (x) => (x.status = status));
      const depRef = rs.metadata.ownerReferences?.find((r: any) => r.kind === 'Deployment');
      if (depRef) this.refreshDeployment(ns, depRef.name);
    } else if (owner.kind === 'StatefulSet') {
      const stsType = this.t('StatefulSet', 'apps');
      const sts = this.store.get(stsType, ns, owner.name);
      if (!sts) return;
      const pods = this.store.list(podType, ns).filter((p) => p.metadata.ownerReferences?.some((r: any) => r.uid === sts.metadata.uid));
      const ready = pods.filter(isReady).length;
      const status = { observedGeneration: sts.metadata.generation, replicas: pods.length, readyReplicas: ready, currentReplicas: pods.length, updatedReplicas: pods.length, availableReplicas: ready, collisionCount: 0 };
      if (JSON.stringify(sts.status) !== JSON.stringify(status)) this.store.mutate(stsType, ns, owner.name, (x) => (x.status = status));
    }
  }

  private refreshDeployment(ns: string, name: string): void {
    const depType = this.t('Deployment', 'apps');
    const dep = this.store.get(depType, ns, name);
    if (!dep) return;
    const sets = this.ownedBy('ReplicaSet', 'apps', ns, dep.metadata.uid);
    const sum = (f: string) => sets.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);
    const desired = dep.spec?.replicas ?? 1;
    const replicas = sum('replicas');
    const ready = sum('readyReplicas');
    const current = sets.find((rs) => rs.metadata.name === `${name}-${templateHash(dep.spec?.template ?? {})}`);
    const prev = dep.status ?? {};
    const now = rfc3339();
    const cond = (type: string, status: string, reason: string, message: string) => {
      const old = prev.conditions?.find((c: any) => c.type === type);
      return { type, status, lastUpdateTime: old && old.status === status && old.reason === reason ? old.lastUpdateTime : now, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now, reason, message };
    };
    const available = ready >= desired - Math.floor(desired / 4);
    const status: any = {
      observedGeneration: dep.metadata.generation,
      replicas,
      updatedReplicas: current?.status?.replicas ?? 0,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(replicas - ready > 0 ? { unavailableReplicas: Math.max(0, desired - ready) } : {}),
      conditions: [
        available
          ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
        cond('Progressing', 'True', ready >= desired ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          ready >= desired ? `ReplicaSet "${current?.metadata.name ?? name}" has successfully progressed.` : `ReplicaSet "${current?.metadata.name ?? name}" is progressing.`),
      ],
    };
    if (ready === 0) delete status.readyReplicas;
    if (ready === 0) delete status.availableReplicas;
    const comparable = (s: any) => JSON.stringify({ ...s, conditions: s?.conditions?.map((c: any) => ({ type: c.type, status: c.status, reason: c.reason })) });
    if (comparable(prev) !== comparable(status)) this.store.mutate(depType, ns, name, (x) => (x.status = status));
  }

  // ---- pods going away --------------------------------------------------------------------------------

  /** A graceful pod deletion: the kubelet stops the containers, then the pod object goes. */
  terminatePod(ns: string, name: string, graceSeconds: number): any {
    const podType = this.t('Pod');
    const pod = this.store.get(podType, ns, name);
    if (!pod) return undefined;
    if (graceSeconds === 0 || !pod.spec?.nodeName) return this.store.remove(podType, ns, name);
    if (pod.metadata.deletionTimestamp) return pod;
    const updated = this.store.mutate(podType, ns, name, (x) => {
      x.metadata.deletionTimestamp = rfc3339(new Date(Date.now() + graceSeconds * 1000));
      x.metadata.deletionGracePeriodSeconds = graceSeconds;
    });
    for (const c of pod.spec.containers ?? []) {
      this.kubeletEvent(ns, { kind: 'Pod', name, uid: pod.metadata.uid, apiVersion: 'v1', namespace: ns }, 'Killing', `Stopping container ${c.name}`, `spec.containers{${c.name}}`);
    }
    this.after(this.timings.terminationMs, () => this.store.remove(podType, ns, name));
    return updated;
  }

  /** Namespace deletion: phase Terminating, its objects go, then the namespace. */
  terminateNamespace(name: string): any {
    const nsType = this.t('Namespace');
    const updated = this.store.mutate(nsType, '', name, (x) => {
      x.metadata.deletionTimestamp ??= rfc3339();
      x.status = { phase: 'Terminating' };
    });
    this.after(this.timings.namespaceDeleteMs, () => {
      for (const t of this.registry.types()) {
        if (!t.namespaced) continue;
        for (const o of this.store.list(t, name)) this.store.remove(t, name, o.metadata.name);
      }
      this.store.remove(nsType, '', name);
    });
    return updated;
  }

  // ---- Velero ----------------------------------------------------------------------------------

  private runRestore(ns: string, name: string): void {
    const restoreType = this.t('Restore', 'velero.io');
    const { newMs, runMs, outcome } = this.timings.restore;
    this.after(Math.floor(newMs / 2), () => this.store.mutate(restoreType, ns, name, (r) => (r.status = { ...(r.status ?? {}), phase: 'New' })));
    this.after(newMs, () => {
      const restore = this.store.get(restoreType, ns, name);
      if (!restore) return;
      const backup = this.store.get(this.t('Backup', 'velero.io'), ns, restore.spec?.backupName ?? '');
      if (!backup) {
        this.store.mutate(restoreType, ns, name, (r) => (r.status = { phase: 'FailedValidation', validationErrors: [`Error retrieving backup: backups.velero.io "${restore.spec?.backupName}" not found`] }));
        return;
      }
      this.store.mutate(restoreType, ns, name, (r) => (r.status = { phase: 'InProgress', startTimestamp: rfc3339(), progress: { totalItems: 0, itemsRestored: 0 } }));
      const items = this.restoreObjects(restore, backup);
      this.after(runMs, () => {
        const status: any = { phase: outcome, startTimestamp: this.store.get(restoreType, ns, name)?.status?.startTimestamp, completionTimestamp: rfc3339(), progress: { totalItems: items, itemsRestored: outcome === 'Failed' ? 0 : items } };
        if (outcome === 'PartiallyFailed') status.errors = 1;
        if (outcome === 'Failed') status.failureReason = 'error restoring: timed out waiting for the restore item operations';
        this.store.mutate(restoreType, ns, name, (r) => (r.status = status));
      });
    });
  }

  /** Copies the backed-up namespace's objects into the mapped namespace (creating it), as a restore does. */
  private restoreObjects(restore: any, backup: any): number {
    const mapping: Record<string, string> = restore.spec?.namespaceMapping ?? {};
    const included: string[] = restore.spec?.includedNamespaces ?? backup.spec?.includedNamespaces ?? [];
    const excluded = new Set<string>(['pods', 'replicasets', 'events', ...(backup.spec?.excludedResources ?? []), ...(restore.spec?.excludedResources ?? [])]);
    const nsType = this.t('Namespace');
    let count = 0;
    for (const source of included) {
      if (source === '*') continue;
      const target = mapping[source] ?? source;
      if (!this.store.has(nsType, '', target)) {
        this.store.create(nsType, { metadata: { name: target, labels: { 'kubernetes.io/metadata.name': target, 'velero.io/backup-name': backup.metadata.name, 'velero.io/restore-name': restore.metadata.name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
        count++;
      }
      for (const kind of ['ConfigMap', 'Service', 'StatefulSet', 'Deployment']) {
        const t = this.t(kind, kind === 'Deployment' || kind === 'StatefulSet' ? 'apps' : '');
        if (excluded.has(t.plural)) continue;
        for (const o of this.store.list(t, source)) {
          if (this.store.has(t, target, o.metadata.name)) continue;
          const copy: any = { metadata: { name: o.metadata.name, namespace: target, labels: { ...(o.metadata.labels ?? {}), 'velero.io/backup-name': backup.metadata.name, 'velero.io/restore-name': restore.metadata.name }, ...(o.metadata.annotations ? { annotations: o.metadata.annotations } : {}) }, spec: clone(o.spec) };
          if (kind === 'Service') delete copy.spec.clusterIP, delete copy.spec.clusterIPs;
          this.store.create(t, copy);
          count++;
        }
      }
    }
    return count;
  }

  // ---- Chaos Mesh -------------------------------------------------------------------------------------

  private runPodChaos(ns: string, name: string): void {
    if (!this.enabled('PodChaos', 'chaos-mesh.org')) return;
    const chaosType = this.t('PodChaos', 'chaos-mesh.org');
    this.after(this.timings.chaosInjectMs, () => {
      const chaos = this.store.get(chaosType, ns, name);
      if (!chaos) return;
      const sel = chaos.spec?.selector ?? {};
      const namespaces: string[] = sel.namespaces ?? [ns];
      const reqs = parseLabelSelector(Object.entries(sel.labelSelectors ?? {}).map(([k, v]) => `${k}=${v}`).join(','));
      const candidates = namespaces.flatMap((n) => this.store.list(this.t('Pod'), n)).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && labelsMatch(reqs, p.metadata.labels));
      const mode = chaos.spec?.mode ?? 'one';
      const count = mode === 'all' ? candidates.length : mode === 'fixed' ? Number(chaos.spec?.value ?? 1) : 1;
      const victims = candidates.slice(0, Math.min(count, candidates.length));
      const now = rfc3339();
      for (const v of victims) {
        if (chaos.spec?.action === 'pod-kill') this.terminatePod(v.metadata.namespace, v.metadata.name, Number(chaos.spec?.gracePeriod ?? 0));
      }
      this.store.mutate(chaosType, ns, name, (c) => {
        c.status = {
          conditions: [
            { type: 'Selected', status: victims.length > 0 ? 'True' : 'False' },
            { type: 'AllInjected', status: victims.length > 0 ? 'True' : 'False' },
            { type: 'AllRecovered', status: 'False' },
            { type: 'Paused', status: 'False' },
          ],
          experiment: {
            desiredPhase: 'Run',
            containerRecords: victims.map((v) => ({
              id: `${v.metadata.namespace}/${v.metadata.name}`,
              selectorKey: '.',
              phase: 'Injected',
              injectedCount: 1,
              recoveredCount: 0,
              events: [{ type: 'Succeeded', operation: 'Apply', timestamp: now }],
            })),
          },
        };
      });
    });
  }

  // ---- events -----------------------------------------------------------------------------------

  private eventSeq = 0;

  event(ns: string, involved: any, type: string, reason: string, message: string, component: string, fieldPath?: string): void {
    const evType = this.t('Event');
    if (!this.store.has(this.t('Namespace'), '', ns)) return;
    const now = rfc3339();
    this.store.create(evType, {
      metadata: { name: `${involved.name}.${(Date.now() * 1000 + this.eventSeq++).toString(16)}`, namespace: ns },
      involvedObject: { ...involved, namespace: ns, ...(fieldPath ? { fieldPath } : {}) },
      reason,
      message,
      source: { component, ...(component === 'kubelet' ? { host: 'opex-worker-1' } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? 'opex-worker-1' : '',
    });
  }

  private kubeletEvent(ns: string, involved: any, reason: string, message: string, fieldPath: string): void {
    this.event(ns, involved, reason === 'Killing' ? 'Normal' : 'Normal', reason, message, 'kubelet', fieldPath);
  }

  /** The scheduler writes events.k8s.io events: micro-precision eventTime, no first/lastTimestamp. */
  private schedulerEvent(ns: string, involved: any, message: string): void {
    const evType = this.t('Event');
    this.store.create(evType, {
      metadata: { name: `${involved.name}.${(Date.now() * 1000 + this.eventSeq++).toString(16)}`, namespace: ns },
      involvedObject: involved,
      reason: 'Scheduled',
      message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: 'Normal',
      eventTime: microTime(),
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-opex-control-plane',
    });
  }
}

function qosClass(containers: any[]): string {
  const all = containers ?? [];
  if (all.length && all.every((c) => c.resources?.limits?.cpu && c.resources?.limits?.memory && (!c.resources.requests || (c.resources.requests.cpu === c.resources.limits.cpu && c.resources.requests.memory === c.resources.limits.memory)))) return 'Guaranteed';
  if (all.some((c) => c.resources?.requests || c.resources?.limits)) return 'Burstable';
  return 'BestEffort';
}

function imageId(image: string): string {
  const digest = createHash('sha256').update(image).digest('hex');
  return `${image.replace(/:[^:/]+$/, '')}@sha256:${digest}`;
}

function containerId(): string {
  return `containerd://${createHash('sha256').update(String(Math.random())).digest('hex')}`;
}
