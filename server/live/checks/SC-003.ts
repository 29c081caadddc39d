/** SC-003: the VPA of the service's workload has a recommendation for each of its containers. */
import { formatHumanDuration } from '../../engine/duration';
import { formatResource } from '../quantity';
import { ageOf, fail, formatSeconds, pass, refOf, requireGroup, serviceWorkloads, skip, type Check } from './common';

const check: Check = {
  id: 'SC-003',
  title: 'VPA recommendations',
  disruptive: false,
  specFields: ['cost.vpaRecommendationWithin'],
  notApplicable: () => undefined,
  target: (spec) => (spec.cost.vpaRecommendationWithin ? `Within ${formatSeconds(spec.cost.vpaRecommendationWithin)}` : 'Available'),
  async run(ctx) {
    const { spec } = ctx;
    const ns = spec.namespace;
    await requireGroup(ctx, 'autoscaling.k8s.io', 'v1', 'VPA');
    ctx.step(`reading VerticalPodAutoscalers in ${ns}`);
    const [workloads, vpas] = await Promise.all([serviceWorkloads(ctx, ns), ctx.kube.listCustom('autoscaling.k8s.io', 'v1', ns, 'verticalpodautoscalers')]);
    if (workloads.length === 0) return fail('no workload', `no Deployment or StatefulSet of ${spec.service} in ${ns} for a VPA to target`);
    const details: string[] = [];
    const objects = workloads.map(refOf);
    const containers: Array<{ workload: string; vpa: string; container: string; target?: Record<string, string>; requests?: Record<string, string> }> = [];
    const missing: string[] = [];
    let youngest: number | undefined;
    for (const w of workloads) {
      const vpa = vpas.find((v) => v.spec?.targetRef?.kind === w.kind && v.spec?.targetRef?.name === w.name);
      if (!vpa) {
        missing.push(`${w.kind} ${w.name} has no VerticalPodAutoscaler`);
        continue;
      }
      objects.push({ apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', namespace: ns, name: vpa.metadata?.name });
      const age = ageOf(vpa.metadata?.creationTimestamp, ctx.now());
      if (age !== undefined) youngest = youngest === undefined ? age : Math.min(youngest, age);
      const recs: any[] = vpa.status?.recommendation?.containerRecommendations ?? [];
      const off = new Set<string>((vpa.spec?.resourcePolicy?.containerPolicies ?? []).filter((p: any) => p.mode === 'Off').map((p: any) => p.containerName));
      for (const c of w.object.spec?.template?.spec?.containers ?? []) {
        if (off.has(c.name)) continue;
        const rec = recs.find((r) => r.containerName === c.name);
        const requests = c.resources?.requests as Record<string, string> | undefined;
        if (!rec?.target) {
          missing.push(`VPA ${vpa.metadata?.name} has no recommendation for container ${c.name}`);
          containers.push({ workload: `${w.kind} ${w.name}`, vpa: vpa.metadata?.name, container: c.name, requests });
          continue;
        }
        const t = rec.target as Record<string, string>;
        const fmt = (r: Record<string, string> | undefined) => ['cpu', 'memory'].filter((k) => r?.[k] !== undefined).map((k) => `${k} ${formatResource(k, r![k])}`).join(', ') || 'none';
        details.push(`${c.name} (VPA ${vpa.metadata?.name}): target ${fmt(t)}; requests ${fmt(requests)}${rec.lowerBound && rec.upperBound ? `; range ${formatResource('cpu', rec.lowerBound.cpu)}–${formatResource('cpu', rec.upperBound.cpu)} cpu, ${formatResource('memory', rec.lowerBound.memory)}–${formatResource('memory', rec.upperBound.memory)} memory` : ''}`);
        containers.push({ workload: `${w.kind} ${w.name}`, vpa: vpa.metadata?.name, container: c.name, target: t, requests });
      }
    }
    const data = { containers };
    if (missing.length === 0) return pass('Available', { details, objects, data });
    const within = spec.cost.vpaRecommendationWithin;
    const onlyYoung = missing.every((m) => !m.includes('has no VerticalPodAutoscaler'));
    if (onlyYoung && within !== undefined && youngest !== undefined && youngest < within) {
      return skip(`no recommendation yet: the VPA is ${formatSeconds(youngest)} old and the spec allows ${formatHumanDuration(within)}; run again later`, { details: [...missing, ...details], objects, data });
    }
    return fail(missing.some((m) => m.includes('has no VerticalPodAutoscaler')) ? 'No VPA' : 'Missing', missing.join('; '), { details: [...missing, ...details], objects, data });
  },
};
export default check;
