import { addToMap, appendToSeq } from '../edit';
import { formatLabels } from '../model';
import { compareRange } from '../text';
import type { Position, TextEdit } from '../types';
import {
  annotationHooksOf, databaseHookItem, databaseWorkloads, hookContainer, hookReachesNamespace,
  hookResourcesOf, hookTargetsDatabase, podsFilteredOut, primarySchedule, removeListEntry, replaceScalar,
  schedulesCovering, specFieldRelated, unmatchedHook,
} from '../velero';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'backup-hook-missing',
    severity: 'error',
    description: 'The spec names a database, but no pre-backup hook runs in its container before the backups of its namespace.',
    why: 'A volume snapshot of a running database catches it mid-write: the restore may not start, or start with torn pages. A pre hook that dumps the database (pg_dump) into the backed-up volume before each backup gives a consistent copy to restore from (SC-006). opex looks for a pre exec hook in a Schedule backing up the namespace, whose namespaces and labelSelector reach the database pods and which runs in the spec\'s container (or a `pre.hook.backup.velero.io/command` annotation on the database pod template). The fix adds the hook block with `onError: Fail` and the spec\'s timeout.',
    fixable: true,
    criteria: ['SC-006'],
    scope: 'workspace',
    runsPer: 'spec',
    needsSpec: true,
  },
  check(ctx) {
    for (const loaded of ctx.specs) {
      const spec = loaded.spec;
      const db = spec.recovery?.database;
      if (!db) continue;
      const ns = spec.namespace;
      const covering = schedulesCovering(ctx.index, ns);
      if (covering.length === 0) continue; // backup-missing / backup-namespace-not-covered
      const dbW = databaseWorkloads(spec, ctx.index);
      if (dbW.some((w) => annotationHooksOf(w).some((a) => a.phase === 'pre'))) continue;
      const related = specFieldRelated(loaded, ['recovery.database', 'criteria.SC-006'], `The spec's database: pods ${formatLabels(db.selector)}, container ${db.container}`);
      const aimed = covering.flatMap((b) => hookResourcesOf(b)).filter((h) => h.pre.length > 0 && hookTargetsDatabase(h, spec, dbW));
      const inDbContainer = (container: string | undefined) => container === db.container
        || (container === undefined && (dbW.length === 0 || dbW.every((w) => hookContainer(undefined, w) === db.container)));
      if (aimed.some((h) => h.pre.some((p) => inDbContainer(p.container)))) continue;
      // A hook surely on the database pods, but in another container: say so on its container.
      const sure = aimed.find((h) => hookTargetsDatabase(h, spec, dbW, 'surely'));
      if (sure) {
        const p = sure.pre[0];
        // A container the pods do not have is backup-hook-container-unknown's.
        if (p.container !== undefined && dbW.some((w) => !w.containers.some((c) => c.name === p.container))) continue;
        const res = sure.backup.resource;
        const runsIn = p.container ?? (dbW[0] ? `${hookContainer(undefined, dbW[0])} (the pod's first container, as no container is named)` : 'the first container');
        const edit = p.container !== undefined
          ? replaceScalar(res, [...p.path, 'container'], db.container)
          : addToMap(res, p.path, { container: db.container });
        ctx.report({
          resource: res,
          range: p.container !== undefined ? res.rangeOf([...p.path, 'container']) : res.keyRange(p.path),
          message: `The pre hook "${sure.name}" of ${sure.backup.kind} ${res.name} runs on the database pods but in container ${runsIn}, not in the spec's database container ${db.container}: the dump does not run where the data is (SC-006).`,
          related,
          fix: edit && { title: `Run the hook in container ${db.container}`, edits: [edit], preferred: true },
        });
        continue;
      }
      // A pre hook whose selector misses the pods it was meant for is backup-hook-selector-unmatched's.
      const unmatched = covering.flatMap((b) => hookResourcesOf(b)).some((h) => h.pre.length > 0 && hookReachesNamespace(h, ns) && unmatchedHook(h, ctx.index, dbW) !== undefined);
      if (unmatched) continue;
      const target = primarySchedule(covering, loaded, ctx.specFor)!;
      const res = target.resource;
      const item = databaseHookItem(spec, dbW)!;
      const hooksPath = [...target.specPath, 'hooks'];
      const existing = res.get([...hooksPath, 'resources']);
      let edit: TextEdit | undefined;
      if (existing !== undefined) edit = appendToSeq(res, [...hooksPath, 'resources'], item);
      else edit = addToMap(res, hooksPath, { resources: [item] });
      // A hook on pods the backup leaves out would never run: include them in the same fix.
      const podsOut = podsFilteredOut(target);
      const podsEdit = podsOut && (podsOut.index !== undefined ? removeListEntry(res, podsOut.path, podsOut.index) : appendToSeq(res, podsOut.path, 'pods'));
      const edits = edit ? [edit] : [];
      if (edit && podsEdit && !overlaps(podsEdit, edit)) edits.push(podsEdit);
      ctx.report({
        resource: res,
        range: res.keyRange(hooksPath),
        message: `No pre-backup hook dumps the database (pods ${formatLabels(db.selector)} in ${ns}, container ${db.container}) before ${res.name}'s backups: the volume is snapshotted while the database writes, and a restore may not start cleanly (SC-006).${dbW.length === 0 ? '' : ` Database: ${dbW.map((w) => `${w.resource.kind} ${w.resource.name}`).join(', ')}.`}`,
        related,
        fix: edit && { title: `Add a pre hook running ${String((item.pre as any)[0].exec.command[2]).split(' ')[0]} in ${db.container}${edits.length > 1 ? ', and back up pods' : ''}`, edits, preferred: true },
      });
    }
  },
});

function overlaps(a: TextEdit, b: TextEdit): boolean {
  const before = (x: Position, y: Position) => compareRange({ start: x, end: x }, { start: y, end: y }) <= 0;
  return !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
}
