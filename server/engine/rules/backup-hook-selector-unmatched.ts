import { formatLabels, formatSelector } from '../model';
import { closest } from '../similar';
import { databaseWorkloads, hookResourcesOf, specFieldRelated, unmatchedHook, veleroBackupOf } from '../velero';
import { defineRule, resourceRelated } from './rule';

export default defineRule({
  meta: {
    id: 'backup-hook-selector-unmatched',
    severity: 'warning',
    description: "A backup hook's labelSelector matches no pod template in the namespaces it reaches.",
    why: 'A hook whose selector matches no pod runs nowhere, and Velero reports nothing: the backup completes, without the database dump the hook was written for (SC-006). The usual causes are a label that differs between the hook and the database (`app: postgresql` against `app: postgres`) or a hook limited to the wrong namespace. opex only judges namespaces that the hook or its backup names explicitly, and only when a workload there evidently was the target (a label value one typo away, a workload or image named like the selector\'s value, or the spec\'s database): pods created by an operator or a Helm chart outside the workspace cannot be seen, so a selector that merely matches nothing in the workspace is not reported.',
    fixable: false,
    criteria: ['SC-006'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const r of ctx.resources) {
      const b = veleroBackupOf(r);
      if (!b) continue;
      const res = b.resource;
      const loaded = ctx.specFor(res.file);
      const dbW = loaded ? databaseWorkloads(loaded.spec, ctx.index) : [];
      for (const h of hookResourcesOf(b)) {
        const miss = unmatchedHook(h, ctx.index, dbW);
        if (!miss || !h.labelSelector) continue;
        const sel = formatSelector(h.labelSelector);
        const looks = miss.intended.slice(0, 3).map((w) => `${w.resource.kind} ${w.resource.name} (${formatLabels(w.podLabels) || 'no labels'})`).join(', ');
        const hint = nearMiss(h.labelSelector.matchLabels, miss.intended.map((w) => w.podLabels));
        const db = loaded?.spec.recovery?.database;
        ctx.report({
          resource: res,
          range: res.keyRange(h.labelSelectorPath),
          message: `Hook "${h.name}" of ${b.kind} ${res.name} selects ${sel}, which matches no pod template in ${miss.namespaces.join(', ')}, not even ${looks}, which it seems meant for: the hook runs on no pod and the backup is taken without it (SC-006).${hint}`,
          related: [
            ...miss.intended.slice(0, 3).map((w) => resourceRelated(w.resource, `${w.resource.kind} ${w.resource.name}'s pod labels`, w.resource.keyRange(w.podLabelsPath))),
            ...(loaded && db ? specFieldRelated(loaded, ['recovery.database.selector', 'recovery.database', 'criteria.SC-006'], `The spec's database pods carry ${formatLabels(db.selector)}`) : []),
          ],
        });
      }
    }
  },
});

/** "Did you mean app=postgres?" when a selector value is one typo away from a label of the intended pods. */
function nearMiss(matchLabels: Record<string, string>, podLabels: Array<Record<string, string>>): string {
  for (const [k, v] of Object.entries(matchLabels)) {
    const values = new Set(podLabels.map((l) => l[k]).filter((x): x is string => x !== undefined));
    if (values.size === 0) continue;
    const near = closest(v, values);
    if (near && near !== v) return ` Did you mean ${k}=${near}?`;
  }
  return '';
}
