/**
 * The life of a replacement pod after a pod kill (SC-008), from what the cluster recorded — pod conditions,
 * container states and the scheduler's and kubelet's events — and what the check itself saw on its watch.
 * Names the slowest step, so a missed target says why ("the new pod spent 40 s in ContainerCreating").
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { parseGoDuration } from '../engine/duration';
import type { TimelineStep } from './types';

/** Moments (epoch ms) the watch saw the pod reach a state; more precise than the API's whole seconds. */
export interface Observed {
  created?: number;
  scheduled?: number;
  started?: number;
  ready?: number;
}

export interface PodTimeline {
  pod: string;
  steps: TimelineStep[];
  slowest?: TimelineStep;
  /** Seconds from scheduled to started: what `kubectl get pods -w` shows as ContainerCreating/Init. */
  containerCreating?: number;
  summary: string;
  advice?: string;
}

const ms = (v: unknown): number | undefined => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v === 'string' && v) {
    const t = new Date(v).getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
};

const eventTime = (e: CoreV1Event): number | undefined => ms(e.eventTime) ?? ms(e.firstTimestamp) ?? ms(e.lastTimestamp) ?? ms(e.metadata?.creationTimestamp);

const ADVICE: Record<string, string> = {
  created: 'the ReplicaSet controller was slow to create the replacement (control-plane load)',
  scheduled: 'no node had room for the new pod at once: check its resource requests against free capacity, or keep spare capacity',
  init: 'init containers run before the app starts: make them faster or move their work elsewhere',
  'image-pull': 'the image was pulled at start: keep it cached on the nodes (imagePullPolicy: IfNotPresent, a pre-pull DaemonSet) or make it smaller',
  started: 'creating the container (volumes, secrets, sandbox) was slow on the node',
  ready: 'the readiness probe passed late: lower its initialDelaySeconds/periodSeconds or make the app start faster',
};

const round = (s: number) => Math.round(s * 10) / 10;
const fmt = (s: number) => `${round(s)} s`;

/** Parses the kubelet's "Successfully pulled image "x" in 38.21s (38.21s including waiting)". */
export function pullSeconds(message: string | undefined): number | undefined {
  const m = /\bin ([0-9hms.µ]+)(?: \(|\.|$)/.exec(message ?? '');
  return m ? parseGoDuration(m[1]) : undefined;
}

export function podTimeline(killedAt: number, pod: V1Pod, events: CoreV1Event[], observed: Observed = {}, now = Date.now()): PodTimeline {
  const name = pod.metadata?.name ?? '';
  const mine = events.filter((e) => e.involvedObject?.name === name).sort((a, b) => (eventTime(a) ?? 0) - (eventTime(b) ?? 0));
  const cond = (type: string) => pod.status?.conditions?.find((c) => c.type === type && c.status === 'True');
  const created = observed.created ?? ms(pod.metadata?.creationTimestamp);
  const scheduled = observed.scheduled ?? ms(cond('PodScheduled')?.lastTransitionTime) ?? eventTime(mine.find((e) => e.reason === 'Scheduled') ?? ({} as CoreV1Event));
  const runningAt = (pod.status?.containerStatuses ?? []).map((c) => ms(c.state?.running?.startedAt)).filter((t): t is number => t !== undefined);
  const started = observed.started ?? (runningAt.length ? Math.max(...runningAt) : undefined);
  const ready = observed.ready ?? ms(cond('Ready')?.lastTransitionTime);

  const steps: TimelineStep[] = [{ step: 'killed', at: 0, took: 0, detail: 'pod deleted' }];
  const at = (t: number) => round((t - killedAt) / 1000);
  let prev = killedAt;
  if (created !== undefined) {
    steps.push({ step: 'created', at: at(created), took: round((created - prev) / 1000), detail: `${name} created by its ReplicaSet` });
    prev = created;
  }
  if (scheduled !== undefined) {
    const node = pod.spec?.nodeName;
    steps.push({ step: 'scheduled', at: at(scheduled), took: round(Math.max(0, scheduled - prev) / 1000), detail: node ? `bound to ${node}` : 'bound to a node' });
    prev = Math.max(prev, scheduled);
  }
  let initTotal = 0;
  const inits = (pod.status?.initContainerStatuses ?? []).map((c) => {
    const s = ms(c.state?.terminated?.startedAt);
    const f = ms(c.state?.terminated?.finishedAt);
    return { name: c.name, took: s !== undefined && f !== undefined ? (f - s) / 1000 : undefined, end: f };
  });
  if (inits.length) {
    initTotal = inits.reduce((n, c) => n + (c.took ?? 0), 0);
    const end = Math.max(...inits.map((c) => c.end ?? 0));
    steps.push({ step: 'init', at: end ? at(end) : at(prev), took: round(initTotal), detail: `init containers ${inits.map((c) => `${c.name}${c.took !== undefined ? ` ${fmt(c.took)}` : ''}`).join(', ')}` });
    if (end) prev = Math.max(prev, end);
  }
  const mainPulls = mine.filter((e) => (e.reason === 'Pulled' || e.reason === 'Pulling') && !String(e.involvedObject?.fieldPath ?? '').startsWith('spec.initContainers'));
  const pulled = mainPulls.filter((e) => e.reason === 'Pulled');
  if (pulled.length) {
    const cached = pulled.every((e) => /already present/.test(e.message ?? ''));
    const durations = pulled.map((e) => pullSeconds(e.message)).filter((d): d is number => d !== undefined);
    const pullingAt = mainPulls.find((e) => e.reason === 'Pulling');
    const pulledAt = Math.max(...pulled.map((e) => eventTime(e) ?? 0));
    const took = cached ? 0 : durations.length ? Math.max(...durations) : pullingAt && pulledAt ? (pulledAt - (eventTime(pullingAt) ?? pulledAt)) / 1000 : 0;
    const image = /image "([^"]+)"/.exec(pulled[0].message ?? '')?.[1];
    // The events carry whole seconds; the kubelet's own duration is precise, so the pull ended no earlier than prev + took.
    const end = Math.max(pulledAt || 0, prev + took * 1000);
    steps.push({ step: 'image-pull', at: at(end), took: round(took), detail: cached ? `image already on the node${image ? ` (${image})` : ''}` : `pulled ${image ?? 'the image'} in ${fmt(took)}` });
  }
  if (started !== undefined) {
    const pullTook = steps.find((s) => s.step === 'image-pull')?.took ?? 0;
    const took = Math.max(0, (started - prev) / 1000 - pullTook);
    steps.push({ step: 'started', at: at(started), took: round(took), detail: 'containers started' });
    prev = started;
  }
  if (ready !== undefined) {
    steps.push({ step: 'ready', at: at(ready), took: round(Math.max(0, ready - prev) / 1000), detail: 'Ready (readiness probe passed)' });
  }
  // Not Ready yet: the step it is in now, with the time it has taken so far.
  let ongoing: TimelineStep | undefined;
  if (ready === undefined) {
    const pulling = mainPulls.filter((e) => e.reason === 'Pulling').pop();
    const pullDone = pulling && pulled.some((e) => (eventTime(e) ?? 0) >= (eventTime(pulling) ?? 0));
    const initsOpen = (pod.status?.initContainerStatuses ?? []).some((c) => !c.state?.terminated);
    const image = /image "([^"]+)"/.exec(pulling?.message ?? '')?.[1];
    const [step, since, detail]: [TimelineStep['step'], number, string] =
      scheduled === undefined ? ['scheduled', created ?? killedAt, 'still waiting for a node']
        : initsOpen ? ['init', scheduled, 'still running init containers']
          : pulling && !pullDone ? ['image-pull', Math.max(eventTime(pulling) ?? scheduled, scheduled), `still pulling ${image ?? 'the image'}`]
            : started === undefined ? ['started', prev, 'still creating the containers']
              : ['ready', started, 'still waiting for the readiness probe'];
    ongoing = { step, at: at(now), took: round(Math.max(0, now - since) / 1000), detail };
    steps.push(ongoing);
  }
  // API timestamps have whole seconds, the watch's are precise: keep the steps in order.
  for (let i = 1; i < steps.length; i++) steps[i].at = Math.max(steps[i].at, steps[i - 1].at);
  const slowest = steps.filter((s) => s.step !== 'killed').reduce<TimelineStep | undefined>((best, s) => (!best || s.took > best.took ? s : best), undefined);
  const containerCreating = scheduled !== undefined && started !== undefined ? round((started - scheduled) / 1000) : undefined;
  const names: Record<TimelineStep['step'], string> = {
    killed: 'kill', created: 'replacement created', scheduled: 'scheduling', init: 'init containers', 'image-pull': 'image pull', started: 'container start', ready: 'readiness',
  };
  const parts: string[] = [];
  if (ongoing) parts.push(`the new pod ${name} is not Ready after ${fmt((now - killedAt) / 1000)}: ${ongoing.detail} (${fmt(ongoing.took)} so far)`);
  else if (containerCreating !== undefined) parts.push(`the new pod ${name} spent ${fmt(containerCreating)} in ${inits.length ? 'Init/ContainerCreating' : 'ContainerCreating'}`);
  if (slowest && slowest !== ongoing) parts.push(`slowest step: ${names[slowest.step]} (${fmt(slowest.took)}${slowest.step === 'image-pull' ? `, ${slowest.detail.replace(/^pulled /, '').replace(/ in .*$/, '')}` : ''})`);
  return {
    pod: name,
    steps,
    slowest,
    containerCreating,
    summary: parts.join('; ') || `no timeline recorded for ${name}`,
    advice: slowest ? ADVICE[slowest.step] : undefined,
  };
}

export function formatTimeline(t: PodTimeline): string[] {
  return t.steps.map((s) => `+${s.at.toFixed(1)} s  ${s.step.padEnd(10)} ${s.detail}${s.step !== 'killed' ? ` (${fmt(s.took)})` : ''}`);
}
