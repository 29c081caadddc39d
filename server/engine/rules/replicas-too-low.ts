import * as YAML from 'yaml';
import { defineView } from '../deps';
import { formatHumanDuration } from '../duration';
import { addToMap, replaceValue, startWithProps } from '../edit';
import { workloadOf } from '../model';
import type { NodePath, Resource } from '../resource';
import { isServiceWorkload } from '../scope';
import type { LoadedSpec } from '../spec/types';
import type { TextEdit } from '../types';
import { defineRule, resourceRelated, specRelated } from './rule';

const SCALED_KINDS = new Set(['Deployment', 'StatefulSet']);

/** An autoscaler that owns a workload's replica count: an HPA, or a KEDA ScaledObject (which drives an HPA). */
interface Scaler {
  resource: Resource;
  /** The field holding the lower bound, and its default when absent. */
  minField: 'minReplicas' | 'minReplicaCount';
  maxField: 'maxReplicas' | 'maxReplicaCount';
  min: number;
  minWritten: boolean;
  max?: number;
}

function scalerOf(res: Resource): { kind: string; name: string; scaler: Scaler } | undefined {
  const ref = res.get(['spec', 'scaleTargetRef']);
  if (!ref || typeof ref !== 'object' || typeof ref.name !== 'string') return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  if (res.group === 'autoscaling' && res.kind === 'HorizontalPodAutoscaler' && typeof ref.kind === 'string') {
    const min = num(res.get(['spec', 'minReplicas']));
    return { kind: ref.kind, name: ref.name, scaler: { resource: res, minField: 'minReplicas', maxField: 'maxReplicas', min: min ?? 1, minWritten: min !== undefined, max: num(res.get(['spec', 'maxReplicas'])) } };
  }
  if (res.group === 'keda.sh' && res.kind === 'ScaledObject') {
    const min = num(res.get(['spec', 'minReplicaCount']));
    const kind = typeof ref.kind === 'string' ? ref.kind : 'Deployment';
    return { kind, name: ref.name, scaler: { resource: res, minField: 'minReplicaCount', maxField: 'maxReplicaCount', min: min ?? 0, minWritten: min !== undefined, max: num(res.get(['spec', 'maxReplicaCount'])) } };
  }
  return undefined;
}

/** Autoscalers by the workload they scale (`namespace|kind|name`). */
const SCALERS = defineView<Scaler>('scalers', (res) => {
  const s = scalerOf(res);
  return s ? [[`${res.namespace}|${s.kind}|${s.name}`, s.scaler]] : undefined;
});

/** Sets `key: text` in the block map at `mapPath`: in place when present, else before `beforeKey` (or the first key) so it reads where people expect it. */
export function setKey(res: Resource, mapPath: NodePath, key: string, text: string, beforeKey?: string): TextEdit | undefined {
  const existing = res.lookup([...mapPath, key]);
  if (existing.found) return replaceValue(res, [...mapPath, key], text);
  const l = res.lookup(mapPath);
  if (l.found && YAML.isMap(l.node) && !l.node.flow && l.node.items.length > 0) {
    const pairs = l.node.items;
    const anchor = (beforeKey ? pairs.find((p) => YAML.isScalar(p.key) && p.key.value === beforeKey) : undefined) ?? (beforeKey ? undefined : pairs[0]);
    const node = anchor?.key as YAML.Node | undefined;
    if (node?.range) {
      // Before the key's anchor or tag, if it has one: `&a selector:` keeps its anchor.
      const pos = res.lines.position(startWithProps(res.lines, node));
      return { file: res.file, range: { start: pos, end: pos }, newText: `${key}: ${text}${res.lines.eol}${' '.repeat(pos.character)}` };
    }
  }
  return addToMap(res, mapPath, { [key]: Number(text) });
}

function criteriaText(loaded: LoadedSpec): string {
  const z = loaded.spec.resilience ?? {};
  const parts: string[] = [];
  if (z.podKillRecovery !== undefined) parts.push(`recovery from a pod kill within ${formatHumanDuration(z.podKillRecovery)} (SC-008)`);
  if (z.max5xx !== undefined) parts.push(z.max5xx === 0 ? 'no 5xx during a single pod failure (SC-009)' : `at most ${z.max5xx} 5xx during a single pod failure (SC-009)`);
  if (z.p95LatencyMs !== undefined) parts.push(`p95 under ${z.p95LatencyMs}ms during recovery (SC-010)`);
  return parts.length > 0 ? parts.join(', ') : 'surviving a pod kill';
}

export default defineRule({
  meta: {
    id: 'replicas-too-low',
    severity: 'warning',
    description: 'A Deployment or StatefulSet of the service runs fewer than 2 pods while the spec requires surviving a pod kill.',
    why: 'With a single pod, killing it (the chapter\'s Game Day, a node drain, an eviction) leaves no pod to serve until the replacement is scheduled, pulled and ready: requests fail and latency explodes, so the resilience criteria (SC-008…SC-010) cannot hold. An absent `replicas` means 1. When a HorizontalPodAutoscaler (or a KEDA ScaledObject) scales the workload, it owns the replica count: then its minimum must be at least 2, and that is where opex reports and fixes. Only checked when the spec has a resilience section.',
    fixable: true,
    criteria: ['SC-008', 'SC-009', 'SC-010'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const w = workloadOf(res);
      if (!w || !SCALED_KINDS.has(res.kind)) continue;
      const loaded = ctx.specFor(res.file);
      if (!loaded?.spec.resilience || !isServiceWorkload(loaded.spec, w)) continue;
      const related = specRelated(loaded, 'resilience', 'The spec requires surviving a pod kill');
      const need = criteriaText(loaded);
      const owners = SCALERS.get(ctx.index, `${res.namespace}|${res.kind}|${res.name}`);
      if (owners && owners.length > 0) {
        if (owners.some((s) => s.min >= 2)) continue;
        const s = owners[0];
        const sr = s.resource;
        const canFix = s.max === undefined || s.max >= 2;
        const edit = canFix ? setKey(sr, ['spec'], s.minField, '2', s.maxField) : undefined;
        const current = s.minWritten ? `${s.minField} is ${s.min}` : `${s.minField} is not set, so it is ${s.min}`;
        ctx.report({
          resource: sr,
          range: s.minWritten ? sr.rangeOf(['spec', s.minField]) : sr.keyRange(['spec', s.minField]),
          message: `${sr.kind} ${sr.name} may scale ${res.kind} ${res.name} down to ${s.min} pod${s.min === 1 ? '' : 's'} (${current}): one pod kill then takes the service down, against the spec's ${need}. Set ${s.minField} to at least 2.`,
          related: [resourceRelated(res, `The ${res.kind} it scales`, res.keyRange(['metadata', 'name'])), ...related],
          fix: edit && { title: `Set ${s.minField}: 2`, edits: [edit], preferred: true },
        });
        continue;
      }
      const raw = res.get(['spec', 'replicas']);
      if (raw !== undefined && raw !== null && typeof raw !== 'number') continue; // not a number: the schema's finding
      const replicas = w.replicas ?? 1;
      if (replicas >= 2) continue;
      const current = w.replicas === undefined ? 'replicas is not set, so Kubernetes runs 1' : `replicas: ${w.replicas}`;
      const edit = setKey(res, ['spec'], 'replicas', '2');
      ctx.report({
        resource: res,
        range: w.replicas === undefined ? res.keyRange(['spec', 'replicas']) : res.rangeOf(['spec', 'replicas']),
        message: `${res.kind} ${res.name} runs ${replicas === 0 ? 'no pod' : 'a single pod'} (${current}): when that pod is killed nothing serves until its replacement is ready, so the spec's ${need} cannot hold. Run at least 2 replicas.`,
        related,
        fix: edit && { title: 'Set replicas: 2', edits: [edit], preferred: true },
      });
    }
  },
});
