/**
 * Settings of the live checks: the `live:` section of opex.yaml, over defaults that follow the usual Helm
 * charts (OpenCost's chart, prometheus-community's prometheus and kube-prometheus-stack, Velero's chart).
 *
 * ```yaml
 * live:
 *   opencost: {service: opencost/opencost:9003, window: 1d}
 *   prometheus:
 *     service: monitoring/prometheus-server:80
 *     settle: 30s                    # wait after the pod-failure window so Prometheus has scraped it
 *     queries:
 *       errors5xx: 'sum(increase(task_api_requests_total{status=~"5.."}[{window}]))'
 *       p95LatencyMs: 'histogram_quantile(0.95, sum(rate(task_api_request_duration_seconds_bucket[{window}])) by (le)) * 1000'
 *   velero: {namespace: velero}
 *   chaosNamespace: staging
 *   restoreNamespace: staging-restore-test
 *   podKill: {method: delete}          # or podchaos: apply the workspace's PodChaos
 *   timeouts: {request: 15s, restore: 30m, podKill: 2m, cleanup: 30s}
 * ```
 */
import { readFileSync } from 'node:fs';
import * as YAML from 'yaml';
import { parseHumanDuration } from '../engine/duration';
import type { LoadedSpec } from '../engine/spec/types';
import type { LiveSettings, LiveSettingsInput, ServiceRef } from './types';

export const DEFAULT_QUERIES: LiveSettings['prometheus']['queries'] = {
  errors5xx: 'sum(increase({metric}_requests_total{status=~"5.."}[{window}]))',
  p95LatencyMs: 'histogram_quantile(0.95, sum(rate({metric}_request_duration_seconds_bucket[{window}])) by (le)) * 1000',
  requests: 'sum(increase({metric}_requests_total[{window}]))',
};

export function defaultSettings(): LiveSettings {
  return {
    opencost: {
      candidates: [
        { namespace: 'opencost', name: 'opencost', port: '9003' },
        { namespace: 'monitoring', name: 'opencost', port: '9003' },
      ],
      path: '/allocation/compute',
      window: '1d',
    },
    prometheus: {
      candidates: [
        { namespace: 'monitoring', name: 'prometheus-server', port: '80' },
        { namespace: 'monitoring', name: 'prometheus-operated', port: '9090' },
        { namespace: 'monitoring', name: 'kube-prometheus-stack-prometheus', port: '9090' },
        { namespace: 'prometheus', name: 'prometheus-server', port: '80' },
      ],
      queries: { ...DEFAULT_QUERIES },
      settleMs: 30_000,
      minRangeSeconds: 60,
    },
    velero: { namespace: 'velero' },
    podKill: { method: 'delete' },
    timeouts: { requestMs: 15_000, cleanupMs: 30_000 },
  };
}

/** `monitoring/prometheus-server:80` or `{namespace, name, port}`. */
export function parseServiceRef(v: unknown): ServiceRef | undefined {
  if (typeof v === 'string') {
    const m = /^([a-z0-9-]+)\/([a-z0-9-]+)(?::([A-Za-z0-9-]+))?$/.exec(v.trim());
    return m ? { namespace: m[1], name: m[2], port: m[3] ?? '' } : undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.namespace === 'string' && typeof o.name === 'string') {
      return { namespace: o.namespace, name: o.name, port: o.port === undefined ? '' : String(o.port) };
    }
  }
  return undefined;
}

export function formatServiceRef(s: ServiceRef): string {
  return `${s.namespace}/${s.name}${s.port ? `:${s.port}` : ''}`;
}

/** Reads the `live:` section of an opex.yaml text; what cannot be understood is listed in `problems`. */
export function readLiveSection(text: string): { input: LiveSettingsInput; problems: string[] } {
  const problems: string[] = [];
  const input: LiveSettingsInput = {};
  let root: any;
  try {
    root = YAML.parse(text, { logLevel: 'error' });
  } catch {
    return { input, problems };
  }
  const live = root?.live;
  if (live === undefined || live === null) return { input, problems };
  if (typeof live !== 'object' || Array.isArray(live)) {
    problems.push('`live` must be a map of settings');
    return { input, problems };
  }
  const service = (v: unknown, where: string): ServiceRef | undefined => {
    if (v === undefined) return undefined;
    const ref = parseServiceRef(v);
    if (!ref) problems.push(`\`${where}\` must be namespace/name:port or {namespace, name, port}`);
    return ref;
  };
  const ms = (v: unknown, where: string): number | undefined => {
    if (v === undefined) return undefined;
    const s = typeof v === 'string' ? parseHumanDuration(v) : undefined;
    if (s === undefined || s <= 0) {
      problems.push(`\`${where}\` must be a duration such as 15s or 30m`);
      return undefined;
    }
    return s * 1000;
  };
  const str = (v: unknown, where: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.trim()) return v;
    problems.push(`\`${where}\` must be a non-empty string`);
    return undefined;
  };
  if (live.opencost) {
    const svc = service(live.opencost.service, 'live.opencost.service');
    const path = str(live.opencost.path, 'live.opencost.path');
    const window = str(live.opencost.window, 'live.opencost.window');
    input.opencost = { ...(svc ? { service: svc } : {}), ...(path ? { path } : {}), ...(window ? { window } : {}) };
  }
  if (live.prometheus) {
    const svc = service(live.prometheus.service, 'live.prometheus.service');
    const q = live.prometheus.queries ?? {};
    const queries: Partial<LiveSettings['prometheus']['queries']> = {};
    for (const k of ['errors5xx', 'p95LatencyMs', 'requests'] as const) {
      const v = str(q[k], `live.prometheus.queries.${k}`);
      if (v) queries[k] = v;
    }
    const settle = live.prometheus.settle;
    const settleMs = settle === undefined ? undefined : settle === 0 || parseHumanDuration(String(settle)) === 0 ? 0 : ms(settle, 'live.prometheus.settle');
    input.prometheus = {
      ...(svc ? { service: svc } : {}),
      ...(Object.keys(queries).length ? { queries: { ...DEFAULT_QUERIES, ...queries } } : {}),
      ...(settleMs !== undefined ? { settleMs } : {}),
    };
  }
  const veleroNs = str(live.velero?.namespace, 'live.velero.namespace');
  if (veleroNs) input.velero = { namespace: veleroNs };
  const chaosNamespace = str(live.chaosNamespace, 'live.chaosNamespace');
  if (chaosNamespace) input.chaosNamespace = chaosNamespace;
  const restoreNamespace = str(live.restoreNamespace, 'live.restoreNamespace');
  if (restoreNamespace) input.restoreNamespace = restoreNamespace;
  if (live.podKill?.method !== undefined) {
    if (live.podKill.method === 'delete' || live.podKill.method === 'podchaos') input.podKill = { method: live.podKill.method };
    else problems.push('`live.podKill.method` is delete or podchaos');
  }
  if (live.timeouts) {
    const t = live.timeouts;
    const timeouts: Partial<LiveSettings['timeouts']> = {};
    const requestMs = ms(t.request, 'live.timeouts.request');
    const restoreMs = ms(t.restore, 'live.timeouts.restore');
    const podKillMs = ms(t.podKill, 'live.timeouts.podKill');
    const cleanupMs = ms(t.cleanup, 'live.timeouts.cleanup');
    if (requestMs) timeouts.requestMs = requestMs;
    if (restoreMs) timeouts.restoreMs = restoreMs;
    if (podKillMs) timeouts.podKillMs = podKillMs;
    if (cleanupMs) timeouts.cleanupMs = cleanupMs;
    input.timeouts = timeouts;
  }
  return { input, problems };
}

/** Layers settings: defaults, then each input in turn (the spec's `live:` section, then the caller's overrides). */
export function mergeSettings(...inputs: Array<LiveSettingsInput | undefined>): LiveSettings {
  const out = defaultSettings();
  for (const i of inputs) {
    if (!i) continue;
    if (i.opencost) out.opencost = { ...out.opencost, ...i.opencost };
    if (i.prometheus) out.prometheus = { ...out.prometheus, ...i.prometheus, queries: { ...out.prometheus.queries, ...(i.prometheus.queries ?? {}) } };
    if (i.velero) out.velero = { ...out.velero, ...i.velero };
    if (i.chaosNamespace !== undefined) out.chaosNamespace = i.chaosNamespace;
    if (i.restoreNamespace !== undefined) out.restoreNamespace = i.restoreNamespace;
    if (i.podKill) out.podKill = { ...out.podKill, ...i.podKill };
    if (i.timeouts) out.timeouts = { ...out.timeouts, ...i.timeouts };
  }
  return out;
}

/** The settings of a run: the spec file's `live:` section (opex.yaml only) under the caller's overrides. */
export function resolveSettings(spec: LoadedSpec, overrides?: LiveSettingsInput, specText?: string): { settings: LiveSettings; problems: string[] } {
  let section: { input: LiveSettingsInput; problems: string[] } = { input: {}, problems: [] };
  if (spec.format === 'yaml') {
    let text = specText;
    if (text === undefined) {
      try {
        text = readFileSync(spec.file, 'utf8');
      } catch {
        text = undefined;
      }
    }
    if (text !== undefined) section = readLiveSection(text);
  }
  return { settings: mergeSettings(section.input, overrides), problems: section.problems };
}

/** Fills a PromQL template: {metric} {namespace} {service} {app} {window}. */
export function fillQuery(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(metric|namespace|service|app|window)\}/g, (_, k: string) => vars[k] ?? '');
}
