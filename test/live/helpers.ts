/** Shared pieces of the live-check tests: a loopback cluster per test, the spec, a run with test settings. */
import { loadSpec } from '../../server/engine/spec/load';
import { TEST_SPEC } from '../../server/engine/testing';
import type { CriterionId } from '../../server/engine/types';
import { runChecks } from '../../server/live/run';
import type { CheckResult, LiveSettingsInput, ProgressEvent, VerifyReport } from '../../server/live/types';
import { startFakeCluster, type FakeCluster, type FakeClusterOptions } from './kube-server';

export { TEST_SPEC };

/** Settings that keep tests quick: no wait for Prometheus scrapes, short request timeouts. */
export const FAST: LiveSettingsInput = { prometheus: { settleMs: 0 }, timeouts: { requestMs: 3000, cleanupMs: 5000 } };

export async function withCluster<T>(opts: FakeClusterOptions, fn: (c: FakeCluster) => Promise<T>): Promise<T> {
  const cluster = await startFakeCluster({ unref: true, idleTimeoutMs: 60_000, ...opts });
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
  }
}

/** TEST_SPEC with some lines replaced (`'  podKillRecovery: 30s'` → another value) or appended. */
export function specWith(replace: Record<string, string> = {}, append = ''): string {
  let text = TEST_SPEC;
  for (const [from, to] of Object.entries(replace)) {
    if (!text.includes(from)) throw new Error(`TEST_SPEC has no ${from}`);
    text = text.replace(from, to);
  }
  return text + append;
}

export interface RunOpts {
  spec?: string;
  only?: CriterionId[];
  allowDisruptive?: boolean;
  settings?: LiveSettingsInput;
  kubeconfig?: string;
  context?: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  podChaos?: Record<string, unknown>;
}

export async function verify(cluster: FakeCluster, opts: RunOpts = {}): Promise<VerifyReport> {
  const text = opts.spec ?? TEST_SPEC;
  const spec = loadSpec('/opex-test/opex.yaml', text);
  return runChecks(
    {
      spec,
      specText: text,
      kubeconfig: opts.kubeconfig ?? cluster.kubeconfigPath,
      context: opts.context,
      only: opts.only,
      allowDisruptive: opts.allowDisruptive,
      settings: mergeInput(FAST, opts.settings),
      podChaos: opts.podChaos,
    },
    { signal: opts.signal, onProgress: opts.onProgress },
  );
}

function mergeInput(a: LiveSettingsInput, b?: LiveSettingsInput): LiveSettingsInput {
  if (!b) return a;
  const out: any = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...(out[k] ?? {}), ...v } : v;
  return out;
}

export function result(report: VerifyReport, id: CriterionId): CheckResult {
  const r = report.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}: ${report.results.map((x) => x.id).join(', ')}`);
  return r;
}

export async function one(cluster: FakeCluster, id: CriterionId, opts: RunOpts = {}): Promise<CheckResult> {
  return result(await verify(cluster, { ...opts, only: [id] }), id);
}

/** Waits for a condition on the cluster (controllers act on timers); fails after `ms`. */
export async function eventually(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
