/**
 * SC-008 (disruptive): in a chaos namespace of the spec (never the service's own), kills one Ready pod of the
 * service's Deployment — by deleting it, or by applying a copy of the workspace's PodChaos — and measures the
 * time until the Deployment is back at its full count of Ready pods. A miss is explained with the
 * replacement pod's timeline (scheduling, image pull, init containers, start, readiness).
 */
import type { V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { formatHumanDuration } from '../../engine/duration';
import { LiveError } from '../errors';
import { formatTimeline, podTimeline, type Observed } from '../timeline';
import { fail, formatSeconds, pass, refOf, requireGroup, serviceWorkloads, skip, type Check, type Outcome } from './common';

const isReady = (p: any) => (p?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const isRunning = (p: any) => (p?.status?.containerStatuses ?? []).some((c: any) => c.state?.running);

interface Tracked extends Observed {
  uid: string;
  name: string;
  fresh: boolean;
  deleting: boolean;
  gone: boolean;
  readyNow: boolean;
}

const check: Check = {
  id: 'SC-008',
  title: 'Pod recovery time',
  disruptive: true,
  specFields: ['resilience.podKillRecovery', 'constraints.chaosNamespaces'],
  notApplicable: (spec) => (spec.resilience?.podKillRecovery === undefined ? 'the spec states no pod-kill recovery target' : undefined),
  target: (spec) => `< ${formatSeconds(spec.resilience!.podKillRecovery!)}`,
  async run(ctx): Promise<Outcome> {
    const { spec, settings } = ctx;
    const target = spec.resilience!.podKillRecovery!;
    const allowed = spec.constraints.chaosNamespaces;
    const ns = settings.chaosNamespace ?? allowed[0];
    if (!ns) throw new LiveError('config', 'refusing to kill a pod: the spec names no chaos namespace (constraints.chaosNamespaces)');
    if (!allowed.includes(ns)) throw new LiveError('config', `refusing to kill a pod in ${ns}: it is not one of the spec's chaos namespaces (${allowed.join(', ')})`);
    if (ns === spec.namespace) throw new LiveError('config', `refusing to kill a pod in ${ns}: it is the service's production namespace`);

    ctx.step(`finding ${spec.service} in ${ns}`);
    const workloads = (await serviceWorkloads(ctx, ns)).sort((a, b) => Number(b.kind === 'Deployment') - Number(a.kind === 'Deployment'));
    const w = workloads[0];
    if (!w) return skip(`no ${spec.service} Deployment in ${ns} to kill a pod of`);
    const objects = [refOf(w)];
    const desired = w.replicas;
    const readyBefore = w.object.status?.readyReplicas ?? 0;
    if (readyBefore < desired) {
      return { status: 'ERROR', actual: `${readyBefore}/${desired} ready`, reason: `${w.kind} ${ns}/${w.name} is not at full readiness before the test (${readyBefore}/${desired} Ready): refusing to kill a pod`, objects };
    }
    const { items, resourceVersion } = await ctx.kube.listPodsAt(ns, w.selector || undefined);
    const tracked = new Map<string, Tracked>();
    for (const p of items) {
      tracked.set(p.metadata!.uid!, { uid: p.metadata!.uid!, name: p.metadata!.name!, fresh: false, deleting: !!p.metadata?.deletionTimestamp, gone: false, readyNow: isReady(p) });
    }
    const candidates = items.filter((p) => isReady(p) && !p.metadata?.deletionTimestamp)
      .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) || a.metadata!.name!.localeCompare(b.metadata!.name!));
    if (candidates.length === 0) return { status: 'ERROR', actual: 'no Ready pod', reason: `no Ready pod of ${w.kind} ${ns}/${w.name} to kill`, objects };

    const details: string[] = [];
    let victim: Tracked | undefined;
    let killedAt: number;
    const method = settings.podKill.method;
    if (method === 'podchaos') {
      const manifest = ctx.podChaos as any;
      if (!manifest) throw new LiveError('config', 'live.podKill.method is podchaos, but no PodChaos manifest was found in the workspace');
      if ((manifest.spec?.action ?? 'pod-kill') !== 'pod-kill') throw new LiveError('config', `the workspace's PodChaos does ${manifest.spec?.action}; SC-008 measures a pod kill (action: pod-kill)`);
      await requireGroup(ctx, 'chaos-mesh.org', 'v1alpha1', 'Chaos Mesh');
      const chaosNs = manifest.metadata?.namespace ?? ns;
      const name = `opex-sc008-${ctx.now().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
      const labelSelectors = manifest.spec?.selector?.labelSelectors ?? (w.object.spec?.selector?.matchLabels as Record<string, string> | undefined) ?? {};
      ctx.step(`creating PodChaos ${chaosNs}/${name} (pod-kill, mode one, namespace ${ns})`);
      killedAt = Date.now();
      await ctx.kube.createCustom('chaos-mesh.org', 'v1alpha1', chaosNs, 'podchaos', {
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'PodChaos',
        metadata: { name, namespace: chaosNs, labels: { 'app.kubernetes.io/managed-by': 'opex', 'opex.dev/check': 'SC-008' } },
        spec: { ...(manifest.spec ?? {}), action: 'pod-kill', mode: 'one', selector: { ...(manifest.spec?.selector ?? {}), namespaces: [ns], labelSelectors } },
      });
      ctx.cleanup(`delete PodChaos ${chaosNs}/${name}`, (k) => k.deleteCustom('chaos-mesh.org', 'v1alpha1', chaosNs, 'podchaos', name));
      objects.push({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', namespace: chaosNs, name });
      details.push(`PodChaos ${chaosNs}/${name} (a copy of ${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name ?? ''}) kills one pod of ${w.kind} ${ns}/${w.name}`);
    } else {
      const p = candidates[0];
      victim = tracked.get(p.metadata!.uid!)!;
      ctx.step(`deleting pod ${ns}/${victim.name}`);
      killedAt = Date.now();
      await ctx.kube.deletePod(ns, victim.name, 0);
      details.push(`deleted pod ${ns}/${victim.name} of ${w.kind} ${w.name} (${desired} replicas, grace period 0 s, as a pod-kill does)`);
    }

    const deadlineMs = settings.timeouts.podKillMs ?? Math.max(2 * target, target + 60) * 1000;
    let recoveredAt: number | undefined;
    const readyOthers = () => [...tracked.values()].filter((t) => !t.gone && !t.deleting && t.readyNow && t.uid !== victim?.uid).length;
    ctx.step(`watching pods of ${w.name} until ${desired}/${desired} are Ready again (deadline ${formatSeconds(deadlineMs / 1000)})`);
    const outcome = await ctx.kube.watch(`/api/v1/namespaces/${ns}/pods`, w.selector ? { labelSelector: w.selector } : {}, (ev) => {
      const p = ev.object as V1Pod;
      const uid = p?.metadata?.uid;
      if (!uid) return false;
      const now = Date.now();
      let t = tracked.get(uid);
      if (!t) {
        t = { uid, name: p.metadata!.name!, fresh: true, deleting: false, gone: false, readyNow: false, created: now };
        tracked.set(uid, t);
        ctx.step(`replacement pod ${t.name} created`);
      }
      if (ev.type === 'DELETED') t.gone = true;
      t.deleting = !!p.metadata?.deletionTimestamp;
      if (!victim && !t.fresh && (t.gone || t.deleting)) victim = t;
      if (t.fresh) {
        if (p.spec?.nodeName && t.scheduled === undefined) t.scheduled = now;
        if ((isRunning(p) || p.status?.phase === 'Running') && t.started === undefined) t.started = now;
        if (isReady(p) && t.ready === undefined) {
          t.ready = now;
          ctx.step(`replacement pod ${t.name} Ready`);
        }
      }
      t.readyNow = ev.type !== 'DELETED' && isReady(p);
      if (victim && (victim.gone || victim.deleting) && readyOthers() >= desired) {
        recoveredAt = now;
        return true;
      }
      return false;
    }, { ms: deadlineMs, resourceVersion });

    const end = recoveredAt ?? Date.now();
    ctx.shared.chaosWindow = { start: new Date(killedAt), end: new Date(end), namespace: ns, source: `SC-008's kill of ${victim?.name ?? 'a pod'} in ${ns}` };
    const fresh = [...tracked.values()].filter((t) => t.fresh).sort((a, b) => (b.ready ?? b.created ?? 0) - (a.ready ?? a.created ?? 0));
    const replacement = fresh[0];
    let timeline: ReturnType<typeof podTimeline> | undefined;
    if (replacement) {
      ctx.step(`reading the timeline of ${replacement.name}`);
      const [pods, events] = await Promise.all([
        ctx.kube.listPods(ns, undefined, `metadata.name=${replacement.name}`),
        ctx.kube.listEvents(ns, `involvedObject.name=${replacement.name}`),
      ]);
      if (pods[0]) timeline = podTimeline(killedAt, pods[0], events, replacement);
    }
    if (timeline) details.push(...formatTimeline(timeline));
    const data = { namespace: ns, workload: w.name, killedPod: victim?.name, replacementPod: replacement?.name, recoverySeconds: recoveredAt ? (recoveredAt - killedAt) / 1000 : undefined, timeline: timeline?.steps, slowest: timeline?.slowest?.step, method };
    if (outcome === 'deadline' || recoveredAt === undefined) {
      const why = timeline ? `; ${timeline.summary}` : replacement ? '' : '; no replacement pod appeared';
      if (timeline?.advice) details.push(`hint: ${timeline.advice}`);
      if (!victim) return fail(`> ${formatSeconds(deadlineMs / 1000)}`, `no pod was killed within ${formatHumanDuration(deadlineMs / 1000)} (did the PodChaos select anything?)`, { details, objects, data });
      return fail(`> ${formatSeconds(deadlineMs / 1000)}`, `${w.kind} ${ns}/${w.name} was not back at ${desired}/${desired} Ready pods ${formatHumanDuration(deadlineMs / 1000)} after the kill${why}`, { details, objects, data });
    }
    const seconds = (recoveredAt - killedAt) / 1000;
    details.unshift(`back at ${desired}/${desired} Ready pods ${formatSeconds(seconds)} after the kill`);
    if (seconds > target) {
      if (timeline?.advice) details.push(`hint: ${timeline.advice}`);
      return fail(formatSeconds(seconds), `recovered after ${formatSeconds(seconds)}, the target is ${formatSeconds(target)}${timeline ? `: ${timeline.summary}` : ''}`, { details, objects, data });
    }
    return pass(formatSeconds(seconds), { details, objects, data });
  },
};
export default check;
