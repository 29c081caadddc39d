import { containerPoliciesOf, isVpa } from '../autoscaling';
import { compareQuantities, parseQuantity, type Quantity } from '../quantity';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'vpa-bounds-invalid',
    severity: 'error',
    description: "A VPA container policy's minAllowed is above its maxAllowed for a resource, or a bound is no valid quantity.",
    why: 'minAllowed and maxAllowed clamp what the VPA recommends. With the minimum above the maximum no recommendation can satisfy both, so the VPA ends up pinned to one of them and right-sizing (SC-003) is meaningless; a bound such as `2GB` or `1 Gi` is no Kubernetes quantity, so the API server rejects the object (or, with an older CRD, the recommender cannot read it). Kubernetes quantities are `100m`, `0.5`, `2`, `128Mi`, `2Gi`, `1G`, `1e9`.',
    fixable: false,
    criteria: ['SC-003'],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      if (!isVpa(res)) continue;
      for (const p of containerPoliciesOf(res)) {
        const who = p.containerName === '*' ? 'the default container policy' : p.containerName ? `container ${p.containerName}` : `container policy #${p.index + 1}`;
        const read = (bound: 'minAllowed' | 'maxAllowed'): Map<string, Quantity> => {
          const out = new Map<string, Quantity>();
          const map = res.get([...p.path, bound]);
          if (!map || typeof map !== 'object' || Array.isArray(map)) return out;
          for (const [resource, raw] of Object.entries(map as Record<string, unknown>)) {
            // Booleans, nulls and maps are type errors, which the schema rule reports.
            if (typeof raw !== 'string' && typeof raw !== 'number') continue;
            const q = parseQuantity(raw);
            if (q) {
              out.set(resource, q);
              continue;
            }
            ctx.report({
              resource: res,
              range: res.rangeOf([...p.path, bound, resource]),
              message: `${bound}.${resource} of ${who} in VerticalPodAutoscaler ${res.name} is ${JSON.stringify(raw)}, which is no Kubernetes quantity${hint(String(raw), resource)}: the API server rejects the VerticalPodAutoscaler (with an older CRD that does not validate it, the VPA cannot read it and gives no recommendation).`,
            });
          }
          return out;
        };
        const min = read('minAllowed');
        const max = read('maxAllowed');
        for (const [resource, lo] of min) {
          const hi = max.get(resource);
          if (!hi || compareQuantities(lo, hi) <= 0) continue;
          ctx.report({
            resource: res,
            range: res.rangeOf([...p.path, 'minAllowed', resource]),
            message: `minAllowed.${resource} (${lo.text}) of ${who} in VerticalPodAutoscaler ${res.name} is above its maxAllowed.${resource} (${hi.text}): no recommendation can satisfy both bounds. Lower the minimum or raise the maximum.`,
            related: [resourceRelated(res, `maxAllowed.${resource} is ${hi.text}`, res.rangeOf([...p.path, 'maxAllowed', resource]))],
          });
        }
      }
    }
  },
});

/** What the author probably meant, for the common mistakes (`2GB`, `1 Gi`, `512mi`, `2 cores`). */
function hint(raw: string, resource: string): string {
  const s = raw.trim().replace(/\s+/g, '');
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([A-Za-z]*)$/.exec(s);
  if (!m) return '';
  const [, number, unit] = m;
  const fixes: Record<string, string> = {
    KB: 'k', MB: 'M', GB: 'G', TB: 'T', kb: 'k', mb: 'M', gb: 'G',
    K: 'k', Kb: 'k', Mb: 'M', Gb: 'G', KiB: 'Ki', MiB: 'Mi', GiB: 'Gi', TiB: 'Ti',
    ki: 'Ki', mi: 'Mi', gi: 'Gi', ti: 'Ti', KI: 'Ki', MI: 'Mi', GI: 'Gi',
  };
  if (unit in fixes) return ` (did you mean ${number}${fixes[unit]}?)`;
  if (resource === 'cpu' && /^(cores?|cpus?|vcpus?)$/i.test(unit)) return ` (did you mean ${number}?)`;
  if (resource === 'cpu' && /^(mcpu|millicores?|millis?)$/i.test(unit)) return ` (did you mean ${number}m?)`;
  if (s !== raw && parseQuantity(s)) return ` (did you mean ${s}?)`;
  return '';
}
