/** SC-009/SC-010: the pod-failure window to measure over, and instant PromQL queries through the service proxy. */
import { parseGoDuration } from '../../engine/duration';
import { LiveError } from '../errors';
import { fillQuery, formatServiceRef } from '../settings';
import type { ServiceRef } from '../types';
import { findService, metricName, sleep, toDate, type ChaosWindow, type CheckContext } from './common';

/**
 * SC-008's window when it ran in this run; else the newest PodChaos run on the service in a chaos namespace
 * (read-only: Chaos Mesh records each injection with a timestamp); undefined when there is none.
 */
export async function pollWindow(ctx: CheckContext): Promise<ChaosWindow | undefined> {
  if (ctx.shared.chaosWindow) return ctx.shared.chaosWindow;
  if (!(await ctx.kube.hasGroupVersion('chaos-mesh.org', 'v1alpha1'))) return undefined;
  const app = ctx.spec.costLabels.app ?? ctx.spec.service;
  const allowed = ctx.spec.constraints.chaosNamespaces;
  const places = [...new Set([ctx.settings.chaosNamespace, ...allowed, 'chaos-mesh', 'chaos-testing'].filter((n): n is string => !!n))];
  let best: ChaosWindow | undefined;
  for (const place of places) {
    ctx.step(`looking for PodChaos runs in ${place}`);
    let list: any[];
    try {
      list = await ctx.kube.listCustom('chaos-mesh.org', 'v1alpha1', place, 'podchaos');
    } catch (e) {
      if (e instanceof LiveError && (e.kind === 'forbidden' || e.kind === 'not-found')) continue;
      throw e;
    }
    for (const c of list) {
      const targets: string[] = c.spec?.selector?.namespaces ?? [c.metadata?.namespace];
      const ls = c.spec?.selector?.labelSelectors ?? {};
      if (!targets.some((t) => allowed.includes(t)) || (ls.app !== undefined && ls.app !== app)) continue;
      const applies = (c.status?.experiment?.containerRecords ?? [])
        .flatMap((r: any) => r.events ?? [])
        .filter((e: any) => e.operation === 'Apply' && e.type === 'Succeeded')
        .map((e: any) => toDate(e.timestamp))
        .filter((d: Date | undefined): d is Date => !!d);
      if (!applies.length) continue;
      const start = new Date(Math.max(...applies.map((d: Date) => d.getTime())));
      if (best && best.start >= start) continue;
      const lasting = Math.max(parseGoDuration(String(c.spec?.duration ?? '')) ?? 0, ctx.spec.resilience?.podKillRecovery ?? 30, 60);
      const end = new Date(Math.min(start.getTime() + lasting * 1000, ctx.now().getTime()));
      best = { start, end, namespace: targets.find((t) => allowed.includes(t)) ?? targets[0], source: `PodChaos ${c.metadata?.namespace}/${c.metadata?.name} (${c.spec?.action}) at ${start.toISOString()}` };
    }
  }
  return best;
}

export interface PromAnswer {
  /** undefined: an empty result; NaN: Prometheus answered NaN. */
  value: number | undefined;
  query: string;
  time: number;
  service: ServiceRef;
}

export class Prometheus {
  private constructor(private readonly ctx: CheckContext, readonly service: ServiceRef) {}

  static async connect(ctx: CheckContext): Promise<Prometheus> {
    const p = ctx.settings.prometheus;
    ctx.step('looking for the Prometheus service');
    return new Prometheus(ctx, await findService(ctx, p.service, p.candidates, 'Prometheus'));
  }

  /** The query variables for a window: {window} covers it (at least minRangeSeconds), evaluated at its end. */
  vars(window: ChaosWindow): { vars: Record<string, string>; time: number; rangeSeconds: number } {
    const spec = this.ctx.spec;
    const rangeSeconds = Math.max(this.ctx.settings.prometheus.minRangeSeconds, Math.ceil((window.end.getTime() - window.start.getTime()) / 1000));
    return {
      vars: { metric: metricName(spec.service), namespace: window.namespace, service: spec.service, app: spec.costLabels.app ?? spec.service, window: `${rangeSeconds}s` },
      time: window.end.getTime() / 1000,
      rangeSeconds,
    };
  }

  /** Waits until the window ended `settleMs` ago, so the samples of its end have been scraped. */
  async settle(window: ChaosWindow): Promise<void> {
    const wait = window.end.getTime() + this.ctx.settings.prometheus.settleMs - this.ctx.now().getTime();
    if (wait > 0) {
      this.ctx.step(`waiting ${Math.ceil(wait / 1000)} s for Prometheus to scrape the window`);
      await sleep(wait, this.ctx.signal);
    }
  }

  async instant(template: string, window: ChaosWindow): Promise<PromAnswer> {
    const { vars, time } = this.vars(window);
    const query = fillQuery(template, vars);
    this.ctx.step(`querying Prometheus: ${query}`);
    const svc = this.service;
    const res = await this.ctx.kube.proxyGet(svc.namespace, svc.name, svc.port, '/api/v1/query', { query, time: time.toFixed(3) });
    let body: any;
    try {
      body = JSON.parse(res.body);
    } catch {
      if (res.status >= 400) throw new LiveError('http', `${res.status} from Prometheus (${formatServiceRef(svc)}): ${res.body.trim().slice(0, 200)}`, res.status);
      throw new LiveError('bad-response', `Prometheus's answer is not valid JSON (${formatServiceRef(svc)})`);
    }
    if (body?.kind === 'Status' && res.status >= 400) {
      throw new LiveError('http', `${res.status} from the service proxy to ${formatServiceRef(svc)}: ${body.message ?? ''} (is Prometheus running?)`, res.status, body.message);
    }
    if (body?.status === 'error') {
      throw new LiveError('bad-response', `Prometheus rejected the query ${query}: ${body.errorType ?? ''} ${body.error ?? ''}`.trim(), res.status, body.error);
    }
    if (body?.status !== 'success' || !Array.isArray(body?.data?.result)) throw new LiveError('bad-response', `Prometheus's answer to ${query} has no result`);
    const result = body.data.result as any[];
    if (result.length === 0) return { value: undefined, query, time, service: svc };
    const raw = body.data.resultType === 'scalar' ? body.data.result[1] : result[0]?.value?.[1];
    const value = raw === 'NaN' ? NaN : Number(raw);
    if (raw === undefined || (Number.isNaN(value) && raw !== 'NaN')) throw new LiveError('bad-response', `Prometheus's answer to ${query} has no sample value`);
    return { value, query, time, service: svc };
  }
}

export function describeWindow(w: ChaosWindow, rangeSeconds: number): string {
  const secs = (w.end.getTime() - w.start.getTime()) / 1000;
  return `window ${w.start.toISOString()} → ${w.end.toISOString()} (${secs.toFixed(1)} s, ${w.source}); queried over the ${rangeSeconds} s ending then`;
}
