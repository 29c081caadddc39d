/** SC-009: no (or at most the spec's number of) 5xx responses during the pod-failure window. */
import { describeWindow, pollWindow, Prometheus } from './prometheus';
import { fail, pass, skip, type Check } from './common';

const check: Check = {
  id: 'SC-009',
  title: 'No 5xx during failure',
  disruptive: false,
  specFields: ['resilience.max5xx'],
  notApplicable: (spec) => (spec.resilience?.max5xx === undefined ? 'the spec states no 5xx limit' : undefined),
  target: (spec) => (spec.resilience!.max5xx === 0 ? '0' : `≤ ${spec.resilience!.max5xx}`),
  async run(ctx) {
    const max = ctx.spec.resilience!.max5xx!;
    const window = await pollWindow(ctx);
    if (!window) return skip('no pod-failure window to measure: run SC-008 (--allow-disruptive) or a PodChaos experiment first');
    const prom = await Prometheus.connect(ctx);
    await prom.settle(window);
    const errors = await prom.instant(ctx.settings.prometheus.queries.errors5xx, window);
    const { rangeSeconds } = prom.vars(window);
    const details = [describeWindow(window, rangeSeconds), `query: ${errors.query}`];
    const objects = [{ apiVersion: 'v1', kind: 'Service', namespace: prom.service.namespace, name: prom.service.name }];
    let count = errors.value;
    if (count === undefined || Number.isNaN(count)) {
      const total = await prom.instant(ctx.settings.prometheus.queries.requests, window);
      details.push(`query: ${total.query} → ${total.value ?? 'no data'}`);
      if (total.value === undefined || Number.isNaN(total.value)) {
        return skip(`Prometheus has no request metrics for ${ctx.spec.service} in the window (set live.prometheus.queries in opex.yaml if the metric is named differently)`, { details, objects });
      }
      count = 0;
      details.push(`no 5xx series in the window, ${Math.round(total.value)} requests in all`);
    }
    const n = Math.round(count);
    const data = { count, query: errors.query, window: { start: window.start.toISOString(), end: window.end.toISOString(), source: window.source } };
    if (n > max) return fail(String(n), `${n} responses with a 5xx status during the pod failure, the spec allows ${max}: traffic reached a pod that was going away or not yet ready`, { details, objects, data });
    return pass(String(n), { details, objects, data });
  },
};
export default check;
