/**
 * Credentials never reach a report, a progress event or the editor: an API server or a proxy in front of it may echo
 * the request (its Authorization header) into an error, and those errors are shown and saved (CI keeps reports). The
 * secrets of the kubeconfig's user, and any bearer token or basic credentials in a text, become `[redacted]`.
 */
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export const REDACTED = '[redacted]';

/** Values of the current user of a kubeconfig that must never be printed (tokens, passwords, keys, auth-provider tokens). */
export function secretsOf(kc: KubeConfig): string[] {
  const user = kc.getCurrentUser();
  if (!user) return [];
  const out: unknown[] = [user.token, user.password, user.keyData];
  const config = user.authProvider?.config;
  if (config && typeof config === 'object') {
    for (const [k, v] of Object.entries(config as Record<string, unknown>)) if (/token|secret|password|key/i.test(k)) out.push(v);
  }
  return [...new Set(out.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
}

/** Bearer tokens and basic credentials written in a text, whoever's they are. */
const CREDENTIALS = /\b(Bearer|Basic)(\s+|\\?"?:?\s*)[A-Za-z0-9._~+/=-]{8,}/gi;

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out.replace(CREDENTIALS, (_m, scheme: string, sep: string) => `${scheme}${sep}${REDACTED}`);
}

/** A copy of a value (results, events: plain data) with every string redacted. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
