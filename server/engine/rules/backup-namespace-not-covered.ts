import { appendToSeq } from '../edit';
import type { TextEdit } from '../types';
import { globMatch, governedSchedules, meantForService, removeListEntry, schedulesCovering, specFieldRelated } from '../velero';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'backup-namespace-not-covered',
    severity: 'error',
    description: "The service's Velero Schedule does not back up the spec's namespace (not in includedNamespaces, or excluded).",
    why: 'A Schedule written for the service but aimed at the wrong namespace looks right in review and runs every night, so the team believes the service is backed up; the first restore finds nothing of it. Velero backs up every namespace only when includedNamespaces is absent or `*`, and excludedNamespaces always wins. opex takes a Schedule to be meant for the service when the service\'s spec governs its folder and its name, its labels (`app: <service>`) or its database hook point at the service.',
    fixable: true,
    criteria: ['SC-004', 'SC-007'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      if (!loaded.spec.recovery) continue;
      const ns = loaded.spec.namespace;
      if (schedulesCovering(ctx.index, ns).length > 0) continue;
      // Only a Schedule the spec governs can be meant for its service (meantForService).
      for (const b of governedSchedules(ctx.index, loaded, ctx.specFor)) {
        if (!meantForService(b, loaded, ctx.specFor)) continue;
        const res = b.resource;
        const excludedList = res.get([...b.specPath, 'excludedNamespaces']);
        const exIndex = Array.isArray(excludedList) ? excludedList.findIndex((p: unknown) => typeof p === 'string' && globMatch(p, ns)) : -1;
        const includedMissing = b.includedNamespaces !== undefined
          && !b.includedNamespaces.includes('*') && !b.includedNamespaces.some((p) => globMatch(p, ns));
        const edits: TextEdit[] = [];
        let range;
        let what: string;
        if (exIndex >= 0) {
          const entry = String(excludedList[exIndex]);
          range = res.rangeOf([...b.specPath, 'excludedNamespaces', exIndex]);
          what = entry === ns ? `excludes ${ns}` : `excludes ${ns} with the pattern "${entry}"`;
          if (entry === ns) {
            const e = removeListEntry(res, [...b.specPath, 'excludedNamespaces'], exIndex);
            if (e) edits.push(e);
          }
        } else {
          range = res.keyRange([...b.specPath, 'includedNamespaces']);
          what = `includes only ${b.includedNamespaces!.join(', ')}`;
        }
        if (includedMissing) {
          const e = appendToSeq(res, [...b.specPath, 'includedNamespaces'], ns);
          if (e) edits.push(e);
          if (exIndex >= 0) what += ` and includes only ${b.includedNamespaces!.join(', ')}`;
        }
        const complete = edits.length === (exIndex >= 0 ? 1 : 0) + (includedMissing ? 1 : 0);
        ctx.report({
          resource: res,
          range,
          message: `Schedule ${res.name} looks meant for ${loaded.spec.service} but ${what}: nothing of namespace ${ns} is backed up, and no other Schedule backs it up (SC-004). A restore of ${ns} would find no backup.`,
          related: specFieldRelated(loaded, ['namespace', 'service'], `The spec's namespace: ${ns}`),
          fix: complete && edits.length > 0 ? { title: `Back up namespace ${ns}`, edits, preferred: true } : undefined,
        });
      }
    }
  },
});
