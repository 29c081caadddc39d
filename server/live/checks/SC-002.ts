/** SC-002: OpenCost's allocation API, aggregated by the team label, returns cost for the spec's team. */
import { LiveError } from '../errors';
import { formatServiceRef } from '../settings';
import { fail, findService, pass, type Check } from './common';

const check: Check = {
  id: 'SC-002',
  title: 'OpenCost query by team',
  disruptive: false,
  specFields: ['costLabels.team'],
  notApplicable: (spec) => (spec.costLabels.team ? undefined : 'the spec has no `team` cost label to query by'),
  target: (spec) => `Returns data (team ${spec.costLabels.team})`,
  async run(ctx) {
    const team = ctx.spec.costLabels.team;
    const oc = ctx.settings.opencost;
    ctx.step('looking for the OpenCost service');
    const svc = await findService(ctx, oc.service, oc.candidates, 'OpenCost');
    const query = { window: oc.window, aggregate: 'label:team' };
    const url = `${oc.path}?window=${oc.window}&aggregate=label:team`;
    ctx.step(`querying ${formatServiceRef(svc)}${url}`);
    const res = await ctx.kube.proxyGet(svc.namespace, svc.name, svc.port, oc.path, query);
    const objects = [{ apiVersion: 'v1', kind: 'Service', namespace: svc.namespace, name: svc.name }];
    const details = [`GET ${url} through the API server's proxy to service ${formatServiceRef(svc)}`];
    let body: any;
    try {
      body = JSON.parse(res.body);
    } catch {
      if (res.status >= 400) throw new LiveError('http', `${res.status} from OpenCost (${formatServiceRef(svc)}): ${res.body.trim().slice(0, 200)}`, res.status);
      throw new LiveError('bad-response', `OpenCost's answer is not valid JSON (${res.body.length} bytes from ${formatServiceRef(svc)})`);
    }
    if (res.status === 503 || (body?.kind === 'Status' && res.status >= 400)) {
      throw new LiveError('http', `${res.status} from the service proxy to ${formatServiceRef(svc)}: ${body?.message ?? 'no answer'} (is OpenCost running?)`, res.status, body?.message);
    }
    if (res.status >= 400 || (typeof body?.code === 'number' && body.code >= 400)) {
      throw new LiveError('http', `OpenCost answered ${body?.code ?? res.status}: ${body?.message ?? res.body.slice(0, 200)}`, res.status);
    }
    if (!Array.isArray(body?.data)) throw new LiveError('bad-response', 'OpenCost\'s answer has no `data` list');
    const sets: Array<Record<string, any>> = body.data.filter((d: unknown) => d && typeof d === 'object');
    const entry = sets.map((s) => s[team]).find((e) => e && typeof e === 'object');
    const seen = [...new Set(sets.flatMap((s) => Object.keys(s)))];
    if (!entry) {
      return fail('No data', `OpenCost has no allocation for team=${team} over ${oc.window}${seen.length ? ` (it reports: ${seen.join(', ')})` : ' (it reports nothing yet)'}: the pods lack the label, or OpenCost has not scraped them yet`, {
        details, objects, data: { teams: seen },
      });
    }
    const money = (v: unknown) => (typeof v === 'number' ? `$${v.toFixed(4)}` : '—');
    details.push(`${team}: ${money(entry.totalCost)} over ${oc.window} (cpu ${money(entry.cpuCost)}, ram ${money(entry.ramCost)}, pv ${money(entry.pvCost)})`);
    if (seen.includes('__unallocated__')) details.push('__unallocated__ holds the cost of pods without a team label');
    return pass('Returns data', { details, objects, data: { team, totalCost: entry.totalCost, cpuCost: entry.cpuCost, ramCost: entry.ramCost, teams: seen } });
  },
};
export default check;
