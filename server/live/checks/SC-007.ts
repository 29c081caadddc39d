/**
 * SC-007 (disruptive): restores the newest completed backup of the service's namespace into a new scratch
 * namespace (namespace mapping), watches the Restore until it finishes, compares the time with the RTO, and
 * deletes the Restore and the scratch namespace afterwards, also when cancelled.
 */
import { formatHumanDuration } from '../../engine/duration';
import { LiveError } from '../errors';
import { backupRef, backupsOf, coveringSchedules, fail, formatSeconds, pass, scheduleRef, toDate, type Check } from './common';

const TERMINAL = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);
const PROTECTED = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The namespace a restore may go to: new, never the service's own or a system namespace. */
export function scratchNamespaceProblem(name: string, serviceNamespace: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) return `"${name}" is not a valid namespace name`;
  if (name === serviceNamespace) return `"${name}" is the service's own namespace: a restore test never writes there`;
  if (PROTECTED.has(name) || name.startsWith('kube-')) return `"${name}" is a system namespace`;
  if (name === 'production' || name === 'prod') return `"${name}" looks like a production namespace`;
  return undefined;
}

const check: Check = {
  id: 'SC-007',
  title: 'Restore within RTO',
  disruptive: true,
  specFields: ['recovery.rto'],
  notApplicable: (spec) => (spec.recovery?.rto === undefined ? 'the spec states no RTO' : undefined),
  target: (spec) => `< ${formatSeconds(spec.recovery!.rto!)}`,
  async run(ctx) {
    const { spec, settings } = ctx;
    const rto = spec.recovery!.rto!;
    const veleroNs = settings.velero.namespace;
    const schedules = await coveringSchedules(ctx);
    const objects = schedules.map(scheduleRef);
    let backup: any;
    for (const s of schedules) {
      backup = (await backupsOf(ctx, s.metadata?.name)).find((b) => b.status?.phase === 'Completed');
      if (backup) break;
    }
    if (!backup) return fail('No backup', `no completed Velero backup of ${spec.namespace} to restore from`, { objects });
    objects.push(backupRef(backup));

    const now = ctx.now();
    const scratch = settings.restoreNamespace ?? `opex-restore-${spec.service.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-${stamp(now)}`;
    const problem = scratchNamespaceProblem(scratch, spec.namespace);
    if (problem) throw new LiveError('config', `refusing to restore into ${scratch}: ${problem}`);
    ctx.step(`checking that the scratch namespace ${scratch} does not exist`);
    if (await ctx.kube.getNamespace(scratch)) {
      throw new LiveError('config', `refusing to restore into ${scratch}: the namespace already exists (SC-007 restores only into a new scratch namespace; delete it or choose live.restoreNamespace)`);
    }

    ctx.step(`creating the scratch namespace ${scratch}`);
    await ctx.kube.createNamespace({ metadata: { name: scratch, labels: { 'app.kubernetes.io/managed-by': 'opex', 'opex.dev/scratch': 'restore-test', 'opex.dev/check': 'SC-007' } } });
    ctx.cleanup(`delete namespace ${scratch}`, (k) => k.deleteNamespace(scratch));

    const name = `opex-sc007-${stamp(now)}-${Math.random().toString(36).slice(2, 6)}`;
    const started = Date.now();
    ctx.step(`creating Restore ${veleroNs}/${name} of backup ${backup.metadata?.name} into ${scratch}`);
    const created = await ctx.kube.createCustom('velero.io', 'v1', veleroNs, 'restores', {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name, namespace: veleroNs, labels: { 'app.kubernetes.io/managed-by': 'opex', 'opex.dev/check': 'SC-007' } },
      spec: { backupName: backup.metadata?.name, includedNamespaces: [spec.namespace], namespaceMapping: { [spec.namespace]: scratch } },
    });
    ctx.cleanup(`delete Restore ${veleroNs}/${name}`, (k) => k.deleteCustom('velero.io', 'v1', veleroNs, 'restores', name));
    objects.push({ apiVersion: 'velero.io/v1', kind: 'Restore', namespace: veleroNs, name });

    const deadlineMs = settings.timeouts.restoreMs ?? rto * 1000;
    const phases: Array<{ phase: string; at: number }> = [];
    let last: any = created;
    ctx.step(`waiting for Restore ${name} (deadline ${formatSeconds(deadlineMs / 1000)})`);
    const outcome = await ctx.kube.watch(
      `/apis/velero.io/v1/namespaces/${veleroNs}/restores`,
      { fieldSelector: `metadata.name=${name}` },
      (ev) => {
        if (ev.object?.metadata?.name !== name) return false;
        if (ev.type === 'DELETED') throw new LiveError('bad-response', `Restore ${name} was deleted by someone else while it ran`);
        last = ev.object;
        const phase = String(ev.object?.status?.phase ?? 'New');
        if (phases[phases.length - 1]?.phase !== phase) {
          phases.push({ phase, at: (Date.now() - started) / 1000 });
          ctx.step(`Restore ${name}: ${phase}`);
        }
        return TERMINAL.has(phase);
      },
      { ms: deadlineMs, resourceVersion: created?.metadata?.resourceVersion },
    );
    const elapsed = (Date.now() - started) / 1000;
    const st = last?.status ?? {};
    const details = [
      `Restore ${veleroNs}/${name} of backup ${backup.metadata?.name} (${spec.namespace} → ${scratch})`,
      `phases: ${phases.map((p) => `${p.phase} +${formatSeconds(p.at)}`).join(', ') || 'none seen'}`,
    ];
    const vStart = toDate(st.startTimestamp);
    const vEnd = toDate(st.completionTimestamp);
    if (vStart && vEnd) details.push(`Velero's own timing: ${formatSeconds((vEnd.getTime() - vStart.getTime()) / 1000)} (startTimestamp → completionTimestamp)`);
    if (st.progress) details.push(`items restored: ${st.progress.itemsRestored ?? 0} of ${st.progress.totalItems ?? '?'}`);
    const data = { restore: name, backup: backup.metadata?.name, scratchNamespace: scratch, seconds: elapsed, phases };
    if (outcome === 'deadline') {
      return fail(`> ${formatSeconds(deadlineMs / 1000)}`, `the restore had not finished after ${formatHumanDuration(deadlineMs / 1000)} (phase ${st.phase ?? 'New'}); the RTO is ${formatHumanDuration(rto)}`, { details, objects, data });
    }
    const phase = String(st.phase);
    if (phase !== 'Completed') {
      const why = st.failureReason ?? (st.validationErrors?.length ? st.validationErrors.join('; ') : st.errors ? `${st.errors} errors` : '');
      return fail(`${phase} after ${formatSeconds(elapsed)}`, `the restore ended ${phase}${why ? `: ${why}` : ''}`, { details, objects, data });
    }
    if (elapsed > rto) {
      return fail(formatSeconds(elapsed), `the restore took ${formatHumanDuration(elapsed)}, longer than the RTO ${formatHumanDuration(rto)}`, { details, objects, data });
    }
    return pass(formatSeconds(elapsed), { details, objects, data });
  },
};
export default check;
