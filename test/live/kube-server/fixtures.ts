/**
 * Cluster state from a folder of YAML manifests (the examples' objects, with the status a real cluster
 * would show). `fixture.yaml` in the folder gives the reference time of the timestamps (every RFC 3339
 * time is shifted so that it lies as far in the past of the server's start as it did of that time) and
 * the service-proxy backends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import type { ProxyBackend, PrometheusRule } from './proxy';

export interface FixtureSet {
  objects: any[];
  proxies: Record<string, ProxyBackend>;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function shiftTimes(v: any, deltaMs: number): any {
  if (typeof v === 'string' && RFC3339.test(v)) {
    const d = new Date(new Date(v).getTime() + deltaMs);
    return v.includes('.') ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (Array.isArray(v)) return v.map((x) => shiftTimes(x, deltaMs));
  if (v && typeof v === 'object') {
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) out[k] = shiftTimes(x, deltaMs);
    return out;
  }
  return v;
}

export function loadFixtures(dir: string, now: Date = new Date()): FixtureSet {
  const metaFile = path.join(dir, 'fixture.yaml');
  const meta: any = YAML.parse(readFileSync(metaFile, 'utf8')) ?? {};
  const delta = meta.now ? now.getTime() - new Date(meta.now).getTime() : 0;
  const objects: any[] = [];
  const referenced = new Set(Object.values<any>(meta.proxy ?? {}).flatMap((p) => [p.allocation, p.rules]).filter(Boolean));
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name) || name === 'fixture.yaml' || referenced.has(name)) continue;
    for (const doc of YAML.parseAllDocuments(readFileSync(path.join(dir, name), 'utf8'))) {
      if (doc.errors.length) throw new Error(`${name}: ${doc.errors[0].message}`);
      const obj = doc.toJS();
      if (obj && typeof obj === 'object' && obj.kind) objects.push(shiftTimes(obj, delta));
    }
  }
  const proxies: Record<string, ProxyBackend> = {};
  for (const [key, spec] of Object.entries<any>(meta.proxy ?? {})) {
    if (spec.kind === 'opencost') {
      proxies[key] = { kind: 'opencost', allocation: JSON.parse(readFileSync(path.join(dir, spec.allocation), 'utf8')) };
    } else if (spec.kind === 'prometheus') {
      const rules: PrometheusRule[] = YAML.parse(readFileSync(path.join(dir, spec.rules), 'utf8'))?.rules ?? [];
      proxies[key] = { kind: 'prometheus', rules };
    }
  }
  return { objects, proxies };
}
