import { defineRule, resourceRelated } from './rule';
import type { Resource } from '../resource';
import { resourcesNamed } from '../views';

export default defineRule({
  meta: {
    id: 'duplicate-resource',
    severity: 'error',
    description: 'The same kind/namespace/name is defined twice in the workspace.',
    why: 'Applying the folder makes the last definition silently replace the first, so which one the cluster runs depends on file order. The second definition is reported, with the first as related information.',
    fixable: false,
    criteria: [],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    const byPlace = (a: Resource, b: Resource) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.docIndex - b.docIndex);
    for (const res of ctx.resources) {
      if (!res.name) continue;
      // The first definition in file order (then document order) is the original; every other one is reported.
      const same = resourcesNamed(ctx.index, res.kind, res.namespace, res.name).filter((r) => r.group === res.group);
      if (same.length < 2) continue;
      const earlier = [...same].sort(byPlace)[0];
      if (earlier === res) continue;
      ctx.report({
        resource: res,
        range: res.rangeOf(['metadata', 'name']),
        message: `${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name} is already defined; applying both keeps only whichever comes last.`,
        related: [resourceRelated(earlier, 'First definition', earlier.rangeOf(['metadata', 'name']))],
      });
    }
  },
});
