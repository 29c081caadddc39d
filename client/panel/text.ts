/**
 * What the live-check commands say, as plain functions (no `vscode`), and their command ids (package.json
 * `contributes.commands` lists the same).
 */
import type { VerifyReport } from '../../server/protocol';

/** The side panel's view and its activity-bar container (package.json `contributes.views` / `viewsContainers`). */
export const VIEW_ID = 'opex.verify';
export const VIEW_CONTAINER_ID = 'opex';

export const VERIFY_COMMANDS = {
  verify: 'opex.verify',
  verifyOne: 'opex.verifyOne',
  verifyDisruptive: 'opex.verifyDisruptive',
  cancel: 'opex.verifyCancel',
  exportReport: 'opex.exportReport',
  refresh: 'opex.verifyRefresh',
} as const;

/** "task-api on opex-loopback: 8 passed, 1 failed, 1 skipped (7.7 s)." */
export function verifySummaryMessage(report: VerifyReport): string {
  const s = report.summary;
  const parts = [`${s.pass} passed`];
  if (s.fail) parts.push(`${s.fail} failed`);
  if (s.error) parts.push(`${s.error} error${s.error === 1 ? '' : 's'}`);
  if (s.skip) parts.push(`${s.skip} skipped`);
  const seconds = (report.durationMs / 1000).toFixed(report.durationMs < 10_000 ? 1 : 0);
  const failed = report.results.filter((r) => r.status === 'FAIL' || r.status === 'ERROR').map((r) => r.id);
  const which = failed.length ? ` Not met: ${failed.join(', ')}.` : '';
  return `opex: ${report.spec.service} on ${report.cluster.context}: ${parts.join(', ')} (${seconds} s)${report.cancelled ? ', cancelled' : ''}.${which}`;
}

/** `opex-verify-task-api-20251230-1408.md`: the service and the run's local time. */
export function reportFileName(report: VerifyReport, ext: string): string {
  const d = new Date(report.startedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = Number.isNaN(d.getTime()) ? '' : `-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
  const service = report.spec.service.replace(/[^A-Za-z0-9._-]+/g, '-') || 'service';
  return `opex-verify-${service}${stamp}.${ext}`;
}
