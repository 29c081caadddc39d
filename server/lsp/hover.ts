/**
 * Hovers that answer "what does this value do, and what does the spec ask?": a Velero cron in English with its
 * next runs in the spec's timezone and its longest gap against the RPO; ttl and other durations in days and
 * hours against the retention; VPA updateMode, hook onError and chaos mode; a cost label and the spec line
 * that requires it. In opex.yaml: the schedule and the durations.
 */
import * as YAML from 'yaml';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { describeSchedule, formatInZone, longestGap, nextRuns, parseVeleroCron } from '../engine/cron';
import { chaosExperimentOf, isVelero } from '../engine/model';
import { formatHumanDuration, parseGoDuration, parseHumanDuration } from '../engine/duration';
import type { PathSegment } from '../engine/resource';
import type { LoadedSpec } from '../engine/spec/types';
import { LineMap } from '../engine/text';
import type { Range } from '../engine/types';
import type { ServerContext } from './context';
import { linksOf } from './links';
import { uriToPath } from './project';
import { specKeyHover } from './specSchema';
import { isYamlFile } from '../engine/discover';
import { isSpecFile } from '../engine/spec/specs';
import { isYaml11Boolean, yaml11BooleanValue } from '../engine/schema';
import { locate, pathEndsWith, pathMatches, walkTo } from './yamlPath';

export const UPDATE_MODES: Record<string, string> = {
  Off: 'VPA only computes recommendations (visible in `kubectl describe vpa`); it never changes a pod.',
  Initial: 'VPA sets requests when a pod is created; running pods are never evicted.',
  Recreate: 'VPA evicts running pods to apply new requests: pods restart whenever a recommendation changes enough.',
  InPlaceOrRecreate: 'VPA resizes running pods in place where the cluster allows it, and evicts them otherwise.',
  Auto: 'Today the same as Recreate: VPA evicts running pods to apply new requests.',
};

export const ON_ERROR: Record<string, string> = {
  Fail: 'A failing hook fails the backup: Velero keeps no backup whose database dump did not complete.',
  Continue: 'Velero logs the hook failure and backs up anyway: the backup may hold an inconsistent database.',
};

export const CHAOS_MODES: Record<string, string> = {
  one: 'One pod, chosen at random among those the selector matches.',
  all: 'Every pod the selector matches, at once.',
  fixed: 'Exactly `value` pods, chosen at random.',
  'fixed-percent': '`value` percent of the matched pods.',
  'random-max-percent': 'A random share of the matched pods, at most `value` percent.',
};

function specLink(ctx: ServerContext, spec: LoadedSpec, field: string): string {
  const range = spec.locations[field];
  const name = ctx.project.relative(spec.file);
  if (!range) return `\`${name}\``;
  const uri = `${ctx.project.uriOf(spec.file)}#L${range.start.line + 1}`;
  return `[${name}:${range.start.line + 1}](${uri})`;
}

/** "720h = 30 days (720 hours)": the duration as written, in words. */
function durationLine(written: string, seconds: number): string {
  const human = formatHumanDuration(seconds);
  const hours = seconds >= 2 * 86400 && seconds % 3600 === 0 && !/^\d+\s*(h|hours?)$/.test(written.trim()) ? ` (${seconds / 3600} hours)` : '';
  return written.trim() === human ? human : `${written.trim()} = ${human}${hours}`;
}

function compare(actual: number, target: number, what: string, link: string, relation: 'equal' | 'at-most' | 'at-least'): string {
  const t = formatHumanDuration(target);
  if (relation === 'equal') {
    return actual === target ? `✓ equals the ${what} of ${t} (${link})` : `✗ the ${what} is ${t} (${link})`;
  }
  if (relation === 'at-most') return actual <= target ? `✓ within the ${what} of ${t} (${link})` : `✗ exceeds the ${what} of ${t} (${link})`;
  return actual >= target ? `✓ at least the ${what} of ${t} (${link})` : `✗ shorter than the ${what} of ${t} (${link})`;
}

/**
 * The cron hover: English, the next runs in the spec's timezone, the longest gap against the RPO. A Schedule's
 * cron runs in UTC (Velero's clock) unless it says CRON_TZ=; the spec's own schedule is read in its timezone.
 */
export function cronHover(ctx: ServerContext, expr: string, spec: LoadedSpec | undefined, opts: { inSpec?: boolean; now?: Date } = {}): string {
  const tz = spec?.spec.recovery?.timezone ?? 'UTC';
  const parsed = parseVeleroCron(expr, opts.inSpec ? { defaultTimezone: tz } : {});
  if (!parsed.ok) return `**Cron \`${expr}\`** cannot be read: ${parsed.error}`;
  const s = parsed.schedule;
  const now = opts.now ?? new Date();
  const lines = [`**${describeSchedule(s)}** — \`${expr}\``, '', `Next runs (${tz}):`];
  for (const d of nextRuns(s, 3, now)) lines.push(`- ${formatInZone(d, tz)}`);
  lines.push('');
  const gap = longestGap([s], { from: now });
  if (gap.never) lines.push('This schedule never runs.');
  else if (!Number.isFinite(gap.seconds)) lines.push('This schedule runs only once.');
  else {
    let text = `Longest gap between runs: ${formatHumanDuration(gap.seconds)}${gap.phaseUnknown ? ' (counted from the previous backup)' : ''}`;
    const rpo = spec?.spec.recovery?.rpo;
    if (spec && rpo !== undefined) text += ` — ${compare(gap.seconds, rpo, 'RPO', specLink(ctx, spec, 'recovery.rpo'), 'at-most')}`;
    lines.push(text);
  }
  const required = spec?.spec.recovery?.schedule;
  if (spec && required && !opts.inSpec && required.trim() !== expr.trim()) lines.push('', `The spec requires \`${required}\` (${specLink(ctx, spec, 'recovery.schedule')}).`);
  return lines.join('\n');
}

function durationHover(ctx: ServerContext, text: string, what: string, spec: LoadedSpec | undefined, compareTo?: { seconds?: number; field: string; name: string; relation: 'equal' | 'at-most' | 'at-least' }): string | undefined {
  const seconds = parseGoDuration(text);
  if (seconds === undefined || !/[a-zµμ]/i.test(text)) return undefined;
  const lines = [`**${what}**: ${durationLine(text, seconds)}`];
  if (spec && compareTo?.seconds !== undefined) lines.push('', compare(seconds, compareTo.seconds, compareTo.name, specLink(ctx, spec, compareTo.field), compareTo.relation));
  return lines.join('\n');
}

function asRecord(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

/** Hover text for a node of a Kubernetes manifest, or undefined. */
function manifestHover(ctx: ServerContext, file: string, params: HoverParams): { text: string; range: Range } | undefined {
  ctx.project.flush();
  const parsed = ctx.project.index.file(file);
  if (!parsed) return undefined;
  const at = locate(parsed, params.position);
  if (!at) return undefined;
  const res = at.resource;
  const spec = ctx.project.specFor(file);
  const path = at.path;
  const value = res.get(path);
  const onValue = at.part === 'value' && at.scalar !== undefined;
  const done = (text: string | undefined) => (text ? { text, range: at.range } : undefined);

  if (isVelero(res)) {
    if (res.kind === 'Schedule' && pathMatches(path, ['spec', 'schedule']) && typeof value === 'string') return done(cronHover(ctx, value, spec));
    if ((res.kind === 'Schedule' && pathMatches(path, ['spec', 'template', 'ttl'])) || (res.kind === 'Backup' && pathMatches(path, ['spec', 'ttl']))) {
      if (typeof value === 'string') {
        return done(durationHover(ctx, value, 'Backups are kept for', spec, { seconds: spec?.spec.recovery?.retention, field: 'recovery.retention', name: 'retention', relation: 'equal' }));
      }
    }
    // spec.template.hooks.resources[i].pre[j].exec (a Schedule) or spec.hooks.resources[i].pre[j].exec (a Backup).
    const base = [...(res.kind === 'Schedule' ? ['spec', 'template'] : ['spec']), 'hooks', 'resources', '*', '*', '*', 'exec'];
    if (pathMatches(path, [...base, 'onError']) && typeof value === 'string') {
      const phase = path[path.length - 4];
      const lines = [`**onError: ${value}** — ${ON_ERROR[value] ?? 'Velero knows only Fail and Continue.'}`];
      if (phase === 'pre' && spec?.spec.recovery?.database) lines.push('', `SC-006: a database pre hook must use \`Fail\` (${specLink(ctx, spec, 'recovery.database')}).`);
      if (phase === 'post') lines.push('', 'A post hook runs after the backup is taken: Continue is fine here.');
      return done(lines.join('\n'));
    }
    if (pathMatches(path, [...base, 'timeout']) && typeof value === 'string') {
      const phase = path[path.length - 4];
      const db = spec?.spec.recovery?.database;
      return done(durationHover(ctx, value, 'Velero waits for the hook at most', spec, phase === 'pre' && db ? { seconds: db.hookTimeout, field: 'recovery.database.hookTimeout', name: 'hook timeout', relation: 'at-least' } : undefined));
    }
  }

  if (res.kind === 'VerticalPodAutoscaler' && pathMatches(path, ['spec', 'updatePolicy', 'updateMode'])) {
    const mode = typeof value === 'string' ? value : typeof value === 'boolean' ? (value ? 'On' : 'Off') : String(value);
    // An unquoted Off/On reaches the API server as a boolean (kubectl reads YAML 1.1): the mode it names is not applied.
    const boolTrap = typeof value === 'boolean' || (onValue && at.scalar !== undefined && isYaml11Boolean(at.scalar));
    const lines = [`**updateMode: ${mode}** — ${UPDATE_MODES[mode] ?? 'not a VPA update mode (Off, Initial, Recreate, InPlaceOrRecreate, Auto).'}`];
    if (boolTrap) lines.push('', `Unquoted, kubectl (YAML 1.1) sends this as the boolean \`${yaml11BooleanValue(mode)}\`, not the string the field needs: write \`"${mode}"\`.`);
    if (spec) {
      const want = spec.spec.constraints.vpaUpdateMode;
      const meets = mode === want && !boolTrap;
      lines.push('', `${meets ? '✓' : '✗'} The spec allows \`"${want}"\` only (${specLink(ctx, spec, 'constraints.vpaUpdateMode')}).`);
    }
    return done(lines.join('\n'));
  }

  // The key of a selector or target reference: what it reaches.
  if (at.part === 'key') {
    const link = linksOf(ctx.project.index, res).find((l) => l.path.length === path.length && l.path.every((seg, i) => String(seg) === String(path[i])));
    if (link) {
      const targets = link.targets.map((w) => `- ${w.resource.kind} ${w.resource.namespace}/${w.resource.name} (${ctx.project.relative(w.resource.file)})`);
      const what = link.kind === 'target-ref' ? 'Targets' : 'Selects the pods of';
      return done(targets.length > 0 ? [`**${what}:**`, ...targets].join('\n') : `**${what}** no workload in the workspace.`);
    }
  }

  const exp = chaosExperimentOf(res);
  if (exp && pathMatches(path, [...exp.specPath, 'mode']) && typeof value === 'string') {
    const v = asRecord(res.get(exp.specPath))?.value;
    const lines = [`**mode: ${value}** — ${(CHAOS_MODES[value] ?? 'not a Chaos Mesh mode (one, all, fixed, fixed-percent, random-max-percent).').replace('`value`', v !== undefined ? `\`${v}\`` : '`value`')}`];
    if (spec) lines.push('', 'The spec\'s resilience criteria are about a single pod failure (SC-008, SC-009): `mode: one` tests exactly that, broader modes take most replicas down at once.');
    return done(lines.join('\n'));
  }
  if (exp && pathMatches(path, [...exp.specPath, 'duration']) && typeof value === 'string') {
    return done(durationHover(ctx, value, 'The fault lasts', spec));
  }

  // A cost label, wherever labels are written: the spec line that requires it.
  if (spec && path.length >= 2) {
    const key = String(path[path.length - 1]);
    const parent = String(path[path.length - 2]);
    const required = spec.spec.costLabels[key];
    if (required !== undefined && (parent === 'labels' || parent === 'matchLabels' || parent === 'labelSelectors' || pathEndsWith(path.slice(0, -1), ['spec', 'selector']))) {
      const lines = [`**Cost label \`${key}\`** — the spec requires \`${key}: ${required}\` on every pod of ${spec.spec.service} (SC-001, ${specLink(ctx, spec, `costLabels.${key}`)}).`];
      if (typeof value === 'string' && value !== required) lines.push('', `✗ This says \`${value}\`.`);
      lines.push('', 'OpenCost reads the labels of pods: the ones in the pod template count, `metadata.labels` of a Deployment does not reach the pods.');
      if (parent !== 'labels') {
        const stable = spec.spec.constraints.stableSelectorLabels.includes(key);
        lines.push('', stable ? `\`${key}\` is a stable selector label (${specLink(ctx, spec, 'constraints.stableSelectorLabels')}).` : `Selectors are immutable: a cost label that may change should not be in one (${specLink(ctx, spec, 'constraints.stableSelectorLabels')}).`);
      }
      return done(lines.join('\n'));
    }
  }

  // Any other Go duration (timeouts, periods…): its length in words.
  if (onValue && typeof value === 'string') {
    const key = String(path[path.length - 1] ?? '');
    if (/ttl|timeout|duration|interval|period|delay|grace|deadline|window|every/i.test(key)) return done(durationHover(ctx, value, key, undefined));
  }
  return undefined;
}

const SPEC_DURATIONS: Record<string, { what: string }> = {
  'recovery.rto': { what: 'Recovery time objective' },
  'recovery.rpo': { what: 'Recovery point objective: the longest gap between two backups' },
  'recovery.retention': { what: 'Backups are kept for' },
  'recovery.database.hookTimeout': { what: 'The database pre hook needs at most' },
  'resilience.podKillRecovery': { what: 'A killed pod is replaced within' },
  'cost.vpaRecommendationWithin': { what: 'VPA recommendations exist within' },
};

/** Hovers in opex.yaml: a key's meaning (from the spec's schema); the schedule, the durations, the VPA mode. */
function specHover(ctx: ServerContext, file: string, params: HoverParams): { text: string; range: Range } | undefined {
  const text = ctx.project.textOf(file);
  if (text === undefined) return undefined;
  const lines = new LineMap(text);
  const doc = YAML.parseDocument(text);
  const w = walkTo(doc, lines.offset(params.position));
  if (!w?.scalar || !w.node.range) return undefined;
  const range = lines.range(w.node.range[0], w.node.range[1]);
  const dotted = w.path.map((s: PathSegment) => String(s)).join('.');
  const spec = ctx.project.specAt(file);
  const value = doc.getIn(w.path) as unknown;
  const parts: string[] = [];
  if (w.part === 'key') {
    const about = specKeyHover(w.path);
    if (about) parts.push(about);
  }
  if (dotted === 'recovery.schedule' && typeof value === 'string') parts.push(cronHover(ctx, value, spec, { inSpec: true }));
  const d = SPEC_DURATIONS[dotted];
  if (d && typeof value === 'string') {
    const seconds = parseHumanDuration(value);
    if (seconds !== undefined) parts.push(`**${d.what}**: ${durationLine(value, seconds)}`);
  }
  if (dotted === 'constraints.vpaUpdateMode' && typeof value === 'string') {
    parts.push(`**VPA updateMode \`${value}\`** — ${UPDATE_MODES[value] ?? 'not a VPA update mode.'}`);
  }
  return parts.length > 0 ? { text: parts.join('\n\n---\n\n'), range } : undefined;
}

function isYamlSpec(ctx: ServerContext, file: string): boolean {
  const spec = ctx.project.specAt(file);
  return spec ? spec.format === 'yaml' : isSpecFile(file) && isYamlFile(file);
}

export function hover(ctx: ServerContext, params: HoverParams): Hover | null {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return null;
  ctx.project.flush();
  const found = isYamlSpec(ctx, file) ? specHover(ctx, file, params) : ctx.project.specAt(file) ? undefined : manifestHover(ctx, file, params);
  if (!found) return null;
  return { contents: { kind: ctx.features.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: found.text }, range: found.range };
}
