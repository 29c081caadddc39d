/** SC-001: the pods the service's workloads select carry every cost label with the spec's value. */
import { fail, pass, refOf, serviceWorkloads, type Check } from './common';

const check: Check = {
  id: 'SC-001',
  title: 'Cost labels present',
  disruptive: false,
  specFields: ['costLabels'],
  notApplicable: (spec) => (Object.keys(spec.costLabels).length === 0 ? 'the spec names no cost labels' : undefined),
  target: (spec) => `${Object.keys(spec.costLabels).length} labels`,
  async run(ctx) {
    const { spec } = ctx;
    const wanted = Object.entries(spec.costLabels);
    const ns = spec.namespace;
    ctx.step(`listing the workloads of ${spec.service} in ${ns}`);
    const workloads = await serviceWorkloads(ctx, ns);
    const app = spec.costLabels.app ?? spec.service;
    const groups: Array<{ owner: string; selector: string }> = workloads.length
      ? workloads.map((w) => ({ owner: `${w.kind} ${w.name}`, selector: w.selector }))
      : [{ owner: `label app=${app}`, selector: `app=${app}` }];
    const pods: Array<{ name: string; owner: string; missing: string[]; wrong: Array<{ key: string; value: string; expected: string }> }> = [];
    for (const g of groups) {
      ctx.step(`listing pods of ${g.owner} (${g.selector || 'all'})`);
      for (const p of await ctx.kube.listPods(ns, g.selector || undefined)) {
        if (p.metadata?.deletionTimestamp || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
        const labels = p.metadata?.labels ?? {};
        const missing = wanted.filter(([k]) => !(k in labels)).map(([k]) => k);
        const wrong = wanted.filter(([k, v]) => k in labels && labels[k] !== v).map(([k, v]) => ({ key: k, value: labels[k], expected: v }));
        if (!pods.some((x) => x.name === p.metadata?.name)) pods.push({ name: p.metadata?.name ?? '', owner: g.owner, missing, wrong });
      }
    }
    const objects = workloads.map(refOf);
    if (pods.length === 0) {
      const where = workloads.length ? workloads.map((w) => `${w.kind} ${w.name}`).join(', ') : `no Deployment or StatefulSet with app=${app}`;
      return fail('no pods', `no running pods of ${spec.service} in ${ns} to check (${where})`, { objects });
    }
    const bad = pods.filter((p) => p.missing.length || p.wrong.length);
    const details = [`${pods.length} pod${pods.length === 1 ? '' : 's'} of ${[...new Set(pods.map((p) => p.owner))].join(', ')} in ${ns} checked for ${wanted.map(([k, v]) => `${k}=${v}`).join(', ')}`];
    for (const p of bad) {
      const parts: string[] = [];
      if (p.missing.length) parts.push(`lacks ${p.missing.join(', ')}`);
      for (const w of p.wrong) parts.push(`has ${w.key}=${w.value} (spec: ${w.expected})`);
      details.push(`pod ${p.name} (${p.owner}) ${parts.join('; ')}`);
    }
    const data = { pods };
    if (bad.length === 0) return pass(`${wanted.length} labels`, { details, objects, data });
    const fewest = Math.min(...bad.map((p) => wanted.length - p.missing.length - p.wrong.length));
    const lacking = [...new Set(bad.flatMap((p) => [...p.missing, ...p.wrong.map((w) => w.key)]))];
    return fail(`${fewest} labels`, `${bad.length} of ${pods.length} pods lack or mislabel ${lacking.join(', ')}: OpenCost cannot attribute their cost`, { details, objects, data });
  },
};
export default check;
