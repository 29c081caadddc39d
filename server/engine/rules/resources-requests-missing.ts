import { defineView } from '../deps';
import { workloadOf } from '../model';
import type { Resource } from '../resource';
import { servingContainers } from '../selection';
import type { WorkspaceIndex } from '../workspace';
import { defineRule, specRelated } from './rule';

/** LimitRanges by namespace. */
const LIMIT_RANGES = defineView<Resource>('limitrange-ns', (res) => (res.kind === 'LimitRange' ? [[res.namespace, res]] : undefined));

/** The requests a namespace's LimitRanges give containers that set none; undefined without LimitRange. */
function namespaceDefaults(index: WorkspaceIndex, namespace: string): Set<ResourceName> | undefined {
  const ranges = LIMIT_RANGES.get(index, namespace);
  if (ranges.length === 0) return undefined;
  const set = new Set<ResourceName>();
  for (const lr of ranges) limitRangeDefaults(lr).forEach((n) => set.add(n));
  return set;
}

type ResourceName = 'cpu' | 'memory';
const NAMES: readonly ResourceName[] = ['cpu', 'memory'];

function has(map: unknown, name: ResourceName): boolean {
  if (!map || typeof map !== 'object') return false;
  const v = (map as Record<string, unknown>)[name];
  return v !== undefined && v !== null && v !== '';
}

/** Resources for which a LimitRange of the namespace gives containers a default request (defaultRequest, or default, which requests copy). */
function limitRangeDefaults(res: Resource): Set<ResourceName> {
  const out = new Set<ResourceName>();
  const limits = res.get(['spec', 'limits']);
  if (!Array.isArray(limits)) return out;
  for (const l of limits) {
    if (!l || typeof l !== 'object' || (l.type !== undefined && l.type !== 'Container')) continue;
    for (const n of NAMES) if (has(l.defaultRequest, n) || has(l.default, n)) out.add(n);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'resources-requests-missing',
    severity: 'warning',
    description: 'A container of a workload in the spec\'s namespace has no cpu or memory request.',
    why: 'OpenCost prices a container by max(request, usage), and right-sizing compares the VPA\'s recommendation with the request (SC-003): without a request the cost of the idle reservation is invisible and there is nothing to right-size. The scheduler also places such a pod blindly and evicts it first under memory pressure. A limit alone is fine (Kubernetes copies it into the request), and so is a LimitRange of the namespace in the workspace that sets a default. opex checks every workload in the spec\'s namespace (the service, its database and their jobs all land on the same bill), not workloads of other namespaces, and not at all where no spec governs.',
    fixable: false,
    criteria: ['SC-002', 'SC-003'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const w = workloadOf(res);
      if (!w) continue;
      const loaded = ctx.specFor(res.file);
      if (!loaded || res.namespace !== loaded.spec.namespace) continue;
      const nsDefaults = namespaceDefaults(ctx.index, res.namespace);
      for (const c of servingContainers(w)) {
        const r = c.resources;
        const missing = NAMES.filter((n) => !has(r?.requests, n) && !has(r?.limits, n) && !nsDefaults?.has(n));
        if (missing.length === 0) continue;
        const what = missing.join(' and ');
        ctx.report({
          resource: res,
          range: res.keyRange([...c.path, 'resources', 'requests', missing[0]]),
          message: `Container ${c.name} of ${res.kind} ${res.name} has no ${what} request (and no limit it would default to): OpenCost prices it by usage alone, hiding what its reservation costs, and the VPA's right-sizing (SC-003) has no request to correct. Set resources.requests.${missing.length > 1 ? '{cpu,memory}' : missing[0]}.`,
          related: specRelated(loaded, 'namespace', `The spec's namespace, whose workloads are billed to the service`),
        });
      }
    }
  },
});
