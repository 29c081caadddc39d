import * as YAML from 'yaml';
import { parseHumanDuration } from '../duration';
import { offerParsedDocument } from '../parse';
import { LineMap } from '../text';
import { SC_IDS, type CriterionId, type Diagnostic, type Range, type SeverityOverride } from '../types';
import { impliedCriteria } from './criteria';
import { schemaDiagnostics } from './schema';
import { cronProblem, dnsLabelProblem, labelKeyProblem, labelValueProblem, timezoneProblem } from './validate';
import {
  DEFAULT_CONSTRAINTS,
  DEFAULT_DATABASE,
  type CriterionSpec,
  type LoadedSpec,
  type OpexSpec,
  type RecoverySpec,
  type ResilienceSpec,
} from './types';

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

/** Reads an opex.yaml. Everything it cannot understand becomes a spec-invalid diagnostic on that node. */
export function loadYamlSpec(file: string, text: string): LoadedSpec {
  const lines = new LineMap(text);
  const diagnostics: Diagnostic[] = [];
  const locations: Record<string, Range> = {};
  const doc = YAML.parseDocument(text, { merge: true, prettyErrors: false, logLevel: 'error' });
  // opex.yaml is also a YAML file of the workspace: the index takes this document instead of parsing the text again.
  offerParsedDocument(text, doc);
  const problem = (range: Range, message: string, ruleId = 'spec-invalid') =>
    diagnostics.push({ ruleId, severity: 'error', file, range, message });
  for (const err of doc.errors) problem(lines.range(err.pos[0], err.pos[1]), err.message.split(' at line ')[0], 'yaml-syntax');

  const rangeOf = (node: YAML.Node | null | undefined): Range =>
    node?.range ? lines.range(node.range[0], node.range[1]) : lines.lineRange(0);
  const root = YAML.isMap(doc.contents) ? doc.contents : undefined;
  if (!root && doc.errors.length === 0) problem(lines.lineRange(0), 'An opex spec is a YAML map with at least `service:`. See docs/spec.md.');

  const entry = (map: YAML.YAMLMap | undefined, key: string) => {
    const pair = map?.items.find((p) => YAML.isScalar(p.key) && p.key.value === key);
    return pair ? { key: pair.key as YAML.Node, value: pair.value as YAML.Node | null } : undefined;
  };
  const mapAt = (map: YAML.YAMLMap | undefined, key: string, where: string): YAML.YAMLMap | undefined => {
    const e = entry(map, key);
    if (!e) return undefined;
    locations[where] = rangeOf(e.key);
    if (YAML.isMap(e.value)) return e.value;
    problem(rangeOf(e.value ?? e.key), `\`${where}\` must be a map of settings.`);
    return undefined;
  };
  const str = (map: YAML.YAMLMap | undefined, key: string, where: string): string | undefined => {
    const e = entry(map, key);
    if (!e) return undefined;
    locations[where] = rangeOf(e.value ?? e.key);
    if (YAML.isScalar(e.value) && (typeof e.value.value === 'string' || typeof e.value.value === 'number') && String(e.value.value) !== '') {
      return String(e.value.value);
    }
    problem(rangeOf(e.value ?? e.key), `\`${where}\` must be a non-empty string.`);
    return undefined;
  };
  const num = (map: YAML.YAMLMap | undefined, key: string, where: string): number | undefined => {
    const e = entry(map, key);
    if (!e) return undefined;
    locations[where] = rangeOf(e.value ?? e.key);
    if (YAML.isScalar(e.value) && typeof e.value.value === 'number' && e.value.value >= 0) return e.value.value;
    problem(rangeOf(e.value ?? e.key), `\`${where}\` must be a number ≥ 0.`);
    return undefined;
  };
  const duration = (map: YAML.YAMLMap | undefined, key: string, where: string): number | undefined => {
    const e = entry(map, key);
    if (!e) return undefined;
    locations[where] = rangeOf(e.value ?? e.key);
    const raw = YAML.isScalar(e.value) ? e.value.value : undefined;
    if (typeof raw === 'string') {
      const seconds = parseHumanDuration(raw);
      if (seconds !== undefined && seconds > 0) return seconds;
    }
    const hint = typeof raw === 'number' ? ` A bare number has no unit: write \`${raw}s\`, \`${raw}m\` or \`${raw}h\`.` : '';
    problem(rangeOf(e.value ?? e.key), `\`${where}\` must be a positive duration such as \`30m\`, \`24h\`, \`1h30m\` or "30 minutes".${hint}`);
    return undefined;
  };
  const stringMap = (map: YAML.YAMLMap | undefined, key: string, where: string, skip: string[] = []): Record<string, string> | undefined => {
    const m = mapAt(map, key, where);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const p of m.items) {
      const k = YAML.isScalar(p.key) ? String(p.key.value) : undefined;
      if (k === undefined || skip.includes(k)) continue;
      const v = p.value as YAML.Node | null;
      locations[`${where}.${k}`] = rangeOf(v ?? (p.key as YAML.Node));
      if (YAML.isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean')) {
        out[k] = String(v.value);
      } else {
        problem(rangeOf(v ?? (p.key as YAML.Node)), `\`${where}.${k}\` must be a string value.`);
      }
    }
    return out;
  };
  const stringList = (map: YAML.YAMLMap | undefined, key: string, where: string): string[] | undefined => {
    const e = entry(map, key);
    if (!e) return undefined;
    locations[where] = rangeOf(e.value ?? e.key);
    if (YAML.isSeq(e.value) && e.value.items.every((i) => YAML.isScalar(i) && typeof i.value === 'string')) {
      return e.value.items.map((i) => String((i as YAML.Scalar).value));
    }
    problem(rangeOf(e.value ?? e.key), `\`${where}\` must be a list of strings, e.g. [staging].`);
    return undefined;
  };

  const service = str(root, 'service', 'service');
  if (root && !entry(root, 'service')) problem(lines.lineRange(0), 'The spec names no `service:`; opex needs it to know which workloads are the service\'s.');
  const namespace = str(root, 'namespace', 'namespace') ?? 'production';
  for (const [field, value, what] of [['service', service, 'service name'], ['namespace', entry(root, 'namespace') ? namespace : undefined, 'namespace']] as const) {
    const bad = value !== undefined ? dnsLabelProblem(value) : undefined;
    if (bad) problem(locations[field], `\`${value}\` is no valid ${what}: ${bad}.`);
  }
  const costLabels = stringMap(root, 'costLabels', 'costLabels', ['scope']) ?? {};
  const scopeRaw = entry(YAML.isMap(entry(root, 'costLabels')?.value) ? (entry(root, 'costLabels')!.value as YAML.YAMLMap) : undefined, 'scope');
  let costLabelScope: OpexSpec['costLabelScope'] = 'service';
  if (scopeRaw) {
    locations['costLabels.scope'] = rangeOf(scopeRaw.value ?? scopeRaw.key);
    const v = YAML.isScalar(scopeRaw.value) ? scopeRaw.value.value : undefined;
    if (v === 'namespace' || v === 'service') costLabelScope = v;
    else problem(rangeOf(scopeRaw.value ?? scopeRaw.key), '`costLabels.scope` is `service` (the service\'s workloads carry the labels) or `namespace` (every workload of the namespace does).');
  }
  const labelMap = YAML.isMap(entry(root, 'costLabels')?.value) ? (entry(root, 'costLabels')!.value as YAML.YAMLMap) : undefined;
  for (const [k, v] of Object.entries(costLabels)) {
    const keyBad = labelKeyProblem(k);
    const valueBad = keyBad ? undefined : labelValueProblem(v);
    if (!keyBad && !valueBad) continue;
    const range = keyBad ? rangeOf(entry(labelMap, k)?.key) : locations[`costLabels.${k}`];
    problem(range, `Cost label \`${k}: ${v}\` is not a valid Kubernetes label (${keyBad ?? valueBad}), so no pod could carry it.`);
  }

  const cost = mapAt(root, 'cost', 'cost');
  const vpaRecommendationWithin = duration(cost, 'vpaRecommendationWithin', 'cost.vpaRecommendationWithin');

  const rec = mapAt(root, 'recovery', 'recovery');
  let recovery: RecoverySpec | undefined;
  if (rec) {
    recovery = { timezone: str(rec, 'timezone', 'recovery.timezone') ?? 'UTC' };
    const rto = duration(rec, 'rto', 'recovery.rto');
    const rpo = duration(rec, 'rpo', 'recovery.rpo');
    const retention = duration(rec, 'retention', 'recovery.retention');
    const schedule = str(rec, 'schedule', 'recovery.schedule');
    if (rto !== undefined) recovery.rto = rto;
    if (rpo !== undefined) recovery.rpo = rpo;
    if (schedule !== undefined) {
      const bad = cronProblem(schedule, recovery.timezone);
      if (bad) problem(locations['recovery.schedule'], `\`recovery.schedule\` "${schedule}" is not a cron Velero accepts: ${bad}.`);
      else recovery.schedule = schedule.trim().replace(/\s+/g, ' ');
    }
    if (entry(rec, 'timezone')) {
      const bad = timezoneProblem(recovery.timezone);
      if (bad) problem(locations['recovery.timezone'], `${bad}.`);
    }
    if (retention !== undefined) recovery.retention = retention;
    const db = mapAt(rec, 'database', 'recovery.database');
    if (db) {
      const selector = stringMap(db, 'selector', 'recovery.database.selector');
      const container = str(db, 'container', 'recovery.database.container');
      if (container !== undefined && dnsLabelProblem(container)) {
        problem(locations['recovery.database.container'], `\`${container}\` is no valid container name: ${dnsLabelProblem(container)}.`);
      }
      const hookTimeout = duration(db, 'hookTimeout', 'recovery.database.hookTimeout');
      recovery.database = { selector: selector ?? { ...DEFAULT_DATABASE.selector }, container: container ?? DEFAULT_DATABASE.container };
      if (hookTimeout !== undefined) recovery.database.hookTimeout = hookTimeout;
    }
  }

  const res = mapAt(root, 'resilience', 'resilience');
  let resilience: ResilienceSpec | undefined;
  if (res) {
    resilience = {};
    const podKillRecovery = duration(res, 'podKillRecovery', 'resilience.podKillRecovery');
    const max5xx = num(res, 'max5xx', 'resilience.max5xx');
    const p95LatencyMs = num(res, 'p95LatencyMs', 'resilience.p95LatencyMs');
    if (podKillRecovery !== undefined) resilience.podKillRecovery = podKillRecovery;
    if (max5xx !== undefined) resilience.max5xx = max5xx;
    if (p95LatencyMs !== undefined) resilience.p95LatencyMs = p95LatencyMs;
  }

  const con = mapAt(root, 'constraints', 'constraints');
  const constraints = {
    vpaUpdateMode: str(con, 'vpaUpdateMode', 'constraints.vpaUpdateMode') ?? DEFAULT_CONSTRAINTS.vpaUpdateMode,
    chaosNamespaces: stringList(con, 'chaosNamespaces', 'constraints.chaosNamespaces') ?? [...DEFAULT_CONSTRAINTS.chaosNamespaces],
    stableSelectorLabels: stringList(con, 'stableSelectorLabels', 'constraints.stableSelectorLabels') ?? [...DEFAULT_CONSTRAINTS.stableSelectorLabels],
  };
  const modeEntry = entry(con, 'vpaUpdateMode');
  if (modeEntry && YAML.isScalar(modeEntry.value) && typeof modeEntry.value.value === 'boolean') {
    problem(rangeOf(modeEntry.value), 'Unquoted Off/On is read as a boolean by YAML 1.1 tools: write `vpaUpdateMode: "Off"`.');
  } else if (!['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto'].includes(constraints.vpaUpdateMode)) {
    problem(locations['constraints.vpaUpdateMode'], `\`${constraints.vpaUpdateMode}\` is no VPA updateMode: use Off, Initial, Recreate, InPlaceOrRecreate or Auto.`);
  }

  const rules: Record<string, SeverityOverride> = {};
  const rulesMap = mapAt(root, 'rules', 'rules');
  for (const p of rulesMap?.items ?? []) {
    const id = YAML.isScalar(p.key) ? String(p.key.value) : '';
    const v = p.value as YAML.Node | null;
    const sev = YAML.isScalar(v) ? (v.value === false ? 'off' : String(v.value)) : '';
    locations[`rules.${id}`] = rangeOf(v ?? (p.key as YAML.Node));
    if (SEVERITIES.has(sev)) rules[id] = sev as SeverityOverride;
    else problem(rangeOf(v ?? (p.key as YAML.Node)), `Rule \`${id}\`: the severity is error, warning, info or off.`);
  }

  const base = {
    service: service ?? '',
    namespace,
    costLabels,
    costLabelScope,
    cost: vpaRecommendationWithin !== undefined ? { vpaRecommendationWithin } : {},
    ...(recovery ? { recovery } : {}),
    ...(resilience ? { resilience } : {}),
    constraints,
    rules,
  };
  let criteria: CriterionSpec[] = impliedCriteria(base);
  const crit = mapAt(root, 'criteria', 'criteria');
  if (crit) {
    criteria = [];
    for (const p of crit.items) {
      const id = YAML.isScalar(p.key) ? String(p.key.value) : '';
      const v = p.value as YAML.Node | null;
      const range = rangeOf(p.key as YAML.Node);
      if (!(SC_IDS as readonly string[]).includes(id)) {
        problem(range, `\`${id}\` is no success criterion opex knows: use SC-001 … SC-010.`);
        continue;
      }
      locations[`criteria.${id}`] = range;
      criteria.push({ id: id as CriterionId, text: YAML.isScalar(v) ? String(v.value ?? '') : '' });
    }
  } else if (root) {
    for (const c of criteria) locations[`criteria.${c.id}`] = rangeOf(entry(root, 'service')?.key ?? root);
  }
  if (root && doc.errors.length === 0) diagnostics.push(...schemaDiagnostics(file, doc, lines, diagnostics));
  const spec: OpexSpec = { ...base, criteria };
  return { file, format: 'yaml', spec, locations, diagnostics };
}
