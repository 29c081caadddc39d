/** SC-010: p95 latency during the pod-failure window stays within the spec's target. */
import { describeWindow, pollWindow, Prometheus } from './prometheus';
import { fail, pass, skip, type Check } from './common';

const check: Check = {
  id: 'SC-010',
  title: 'P95 latency during failure',
  disruptive: false,
  specFields: ['resilience.p95LatencyMs'],
  notApplicable: (spec) => (spec.resilience?.p95LatencyMs === undefined ? 'the spec states no p95 latency target' : undefined),
  target: (spec) => `< ${spec.resilience!.p95LatencyMs}ms`,
  async run(ctx) {
    const target = ctx.spec.resilience!.p95LatencyMs!;
    const window = await pollWindow(ctx);
    if (!window) return skip('no pod-failure window to measure: run SC-008 (--allow-disruptive) or a PodChaos experiment first');
    const prom = await Prometheus.connect(ctx);
    await prom.settle(window);
    const p95 = await prom.instant(ctx.settings.prometheus.queries.p95LatencyMs, window);
    const { rangeSeconds } = prom.vars(window);
    const details = [describeWindow(window, rangeSeconds), `query: ${p95.query}`];
    const objects = [{ apiVersion: 'v1', kind: 'Service', namespace: prom.service.namespace, name: prom.service.name }];
    if (p95.value === undefined || Number.isNaN(p95.value)) {
      return skip(`Prometheus has no latency samples for ${ctx.spec.service} in the window (set live.prometheus.queries.p95LatencyMs in opex.yaml if the histogram is named differently)`, { details, objects });
    }
    const ms = Math.round(p95.value);
    const data = { p95Ms: p95.value, query: p95.query, window: { start: window.start.toISOString(), end: window.end.toISOString(), source: window.source } };
    if (p95.value > target) return fail(`${ms}ms`, `p95 latency was ${ms} ms during the pod failure, the target is under ${target} ms`, { details, objects, data });
    return pass(`${ms}ms`, { details, objects, data });
  },
};
export default check;
