/**
 * The markdown spec (`*-opex-spec.md`) as the chapter writes it: a title, sections, `**RTO**`/`**RPO**`
 * lines, SC-001…SC-010 bullets (the cost labels listed under SC-001), and a Constraints list.
 * What looks like a spec statement but cannot be understood is a spec-invalid diagnostic on its line;
 * nothing is guessed silently. See docs/spec.md for every phrase it reads.
 */
import * as path from 'node:path';
import { findDurations, formatHumanDuration, type DurationMatch } from '../duration';
import { LineMap } from '../text';
import { SC_IDS, type CriterionId, type Diagnostic, type Range, type Severity, type SeverityOverride } from '../types';
import { parseFrequency } from './frequency';
import { cleanInline, Inline } from './inline';
import {
  DEFAULT_CONSTRAINTS,
  DEFAULT_DATABASE,
  type CriterionSpec,
  type DatabaseSpec,
  type LoadedSpec,
  type OpexSpec,
  type RecoverySpec,
  type ResilienceSpec,
} from './types';
import { dnsLabelProblem, labelKeyProblem, labelValueProblem, timezoneProblem } from './validate';

type Section = 'none' | 'cost' | 'recovery' | 'resilience' | 'constraints' | 'rules' | 'verification' | 'other';

interface Block {
  kind: 'heading' | 'item' | 'text' | 'front' | 'row';
  line: number;
  indent: number;
  level: number;
  inline: Inline;
  /** Table cells of a `row`. */
  cells?: Inline[];
}

/** The cells of a table row `| a | b |` (pipes in code spans or escaped do not split). */
function tableCells(text: string, start: number, end: number): Inline[] {
  const cells: Inline[] = [];
  let cellStart = start;
  let inCode = false;
  for (let i = start; i <= end; i++) {
    const ch = i < end ? text[i] : '|';
    if (ch === '`') inCode = !inCode;
    if (ch === '|' && !inCode && text[i - 1] !== '\\') {
      if (i > start || cells.length > 0 || text.slice(start, i).trim()) cells.push(cleanInline(text, cellStart, i));
      cellStart = i + 1;
    }
  }
  if (cells.length > 0 && cells[cells.length - 1].length === 0) cells.pop();
  return cells;
}

/** A raw line: where its content starts, its indentation, and what kind of markdown line it is. */
function blocksOf(text: string, lines: LineMap): Block[] {
  const out: Block[] = [];
  let fence: { ch: string; n: number } | undefined;
  let inComment = false;
  let front = false;
  for (let ln = 0; ln < lines.lineCount; ln++) {
    const lineStart = lines.lineStarts[ln];
    const lineEnd = lines.lineEnd(ln);
    let start = lineStart;
    if (ln === 0 && text.charCodeAt(0) === 0xfeff) start++;
    let raw = text.slice(start, lineEnd);
    // YAML front matter: its `key: value` lines are read like bold fields.
    if (ln === 0 && /^---\s*$/.test(raw) && /\n(?:---|\.\.\.)\s*(?:\r?\n|$)/.test(text)) {
      front = true;
      continue;
    }
    if (front) {
      if (/^(?:---|\.\.\.)\s*$/.test(raw)) front = false;
      else out.push({ kind: 'front', line: ln, indent: 0, level: 0, inline: cleanInline(text, start, lineEnd) });
      continue;
    }
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence.ch && fenceMatch[1].length >= fence.n && /^\s*[`~]+\s*$/.test(raw)) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = { ch: fenceMatch[1][0], n: fenceMatch[1].length };
      continue;
    }
    if (inComment) {
      if (raw.includes('-->')) inComment = false;
      continue;
    }
    if (/^\s*<!--/.test(raw) && !raw.includes('-->')) {
      inComment = true;
      continue;
    }
    // Block quotes: read what they quote.
    const quote = /^ {0,3}(?:>\s?)+/.exec(raw);
    if (quote) {
      start += quote[0].length;
      raw = raw.slice(quote[0].length);
    }
    if (/^\s*$/.test(raw)) {
      out.push({ kind: 'text', line: ln, indent: 0, level: -1, inline: new Inline('', [], start) });
      continue;
    }
    const indent = indentWidth(/^\s*/.exec(raw)![0]);
    // Setext underline: turns the paragraph line above into a heading.
    const prev = out[out.length - 1];
    if (/^ {0,3}(=+|-+)\s*$/.test(raw) && prev && prev.kind === 'text' && prev.level === 0 && prev.line === ln - 1 && prev.inline.length > 0) {
      prev.kind = 'heading';
      prev.level = raw.trim()[0] === '=' ? 1 : 2;
      continue;
    }
    if (/^ {0,3}([-*_])(?:\s*\1){2,}\s*$/.test(raw)) {
      out.push({ kind: 'text', line: ln, indent: 0, level: -1, inline: new Inline('', [], start) });
      continue;
    }
    const heading = /^ {0,3}(#{1,6})(?:\s+|$)/.exec(raw);
    if (heading) {
      let end = lineEnd;
      const closing = /\s+#+\s*$/.exec(text.slice(start, lineEnd));
      if (closing) end = start + closing.index;
      out.push({ kind: 'heading', line: ln, indent: 0, level: heading[1].length, inline: cleanInline(text, start + heading[0].length, end) });
      continue;
    }
    if (/^\s*\|/.test(raw)) {
      // Table rows: `| RTO | 30 minutes |`, `| SC-004 | Velero Schedule runs daily at 2 AM UTC |`. Separator rows are skipped.
      if (/^\s*\|?[\s:|-]*-{3,}[\s:|-]*$/.test(raw)) continue;
      const cells = tableCells(text, start, lineEnd);
      out.push({ kind: 'row', line: ln, indent, level: 0, inline: cleanInline(text, start, lineEnd), cells });
      continue;
    }
    const item = /^(\s*)(?:[-*+]|\d{1,9}[.)])(?:\s+|$)(?:\[[ xX]\]\s+)?/.exec(raw);
    if (item) {
      out.push({ kind: 'item', line: ln, indent: indentWidth(item[1]), level: 0, inline: cleanInline(text, start + item[0].length, lineEnd) });
      continue;
    }
    out.push({ kind: 'text', line: ln, indent, level: 0, inline: cleanInline(text, start, lineEnd) });
  }
  return out;
}

function indentWidth(ws: string): number {
  let w = 0;
  for (const ch of ws) w += ch === '\t' ? 4 - (w % 4) : 1;
  return w;
}

function sectionOf(title: string): Section {
  const t = title.toLowerCase();
  // Verification checklists and results restate the criteria with measured values: not the spec itself.
  if (/verif|checklist|\bresults?\b|validation|evidence|\bstatus\b|artifacts?|how to (?:test|check)|appendix|changelog|history/.test(t)) return 'verification';
  if (/constraint|guardrail|restriction|safety|non-goals?|limitations?/.test(t)) return 'constraints';
  if (/\brules?\b|severit|overrides?|\blint/.test(t)) return 'rules';
  if (/recover|backup|disaster|\bdr\b|velero|\brpo\b|\brto\b|restore/.test(t)) return 'recovery';
  if (/resilien|chaos|availability|reliab|failure|game ?day/.test(t)) return 'resilience';
  if (/cost|finops|visibility|labels?\b|right-?siz/.test(t)) return 'cost';
  return 'other';
}

type FieldKey =
  | 'rto' | 'rpo' | 'namespace' | 'service' | 'timezone' | 'schedule' | 'retention' | 'database' | 'hookTimeout'
  | 'costLabels' | 'labelScope' | 'vpaMode' | 'chaosNamespaces' | 'stableSelectorLabels' | 'podKillRecovery'
  | 'max5xx' | 'p95' | 'vpaRecommendationWithin' | 'ignore';

const FIELD_ALIASES: Array<[FieldKey, string[]]> = [
  ['rto', ['rto', 'recovery time objective', 'recovery time', 'max downtime', 'maximum downtime']],
  ['rpo', ['rpo', 'recovery point objective', 'recovery point', 'max data loss', 'maximum data loss']],
  ['namespace', ['namespace', 'kubernetes namespace', 'target namespace', 'service namespace', 'production namespace']],
  ['service', ['service', 'service name']],
  ['timezone', ['timezone', 'time zone', 'backup timezone', 'backup time zone']],
  ['schedule', ['backup schedule', 'schedule', 'backup frequency', 'backup cadence', 'backups']],
  ['retention', ['retention', 'backup retention', 'retention period', 'backup ttl', 'ttl']],
  ['database', ['database', 'db', 'datastore']],
  ['hookTimeout', ['hook timeout', 'pre-backup hook timeout', 'backup hook timeout', 'database hook timeout']],
  ['costLabels', ['cost labels', 'cost allocation labels', 'labels', 'required labels', 'cost label']],
  ['labelScope', ['cost label scope', 'label scope', 'cost labels scope']],
  ['vpaMode', ['vpa mode', 'vpa update mode', 'vpa updatemode', 'updatemode', 'update mode']],
  ['chaosNamespaces', ['chaos namespaces', 'chaos namespace', 'chaos scope']],
  ['stableSelectorLabels', ['stable selector labels', 'selector labels', 'stable labels']],
  ['podKillRecovery', ['pod kill recovery', 'pod recovery', 'pod recovery time', 'pod kill recovery time']],
  ['max5xx', ['max 5xx', 'max 5xx errors', '5xx errors', 'maximum 5xx errors']],
  ['p95', ['p95 latency', 'p95', 'latency p95', 'p95 latency target']],
  ['vpaRecommendationWithin', ['vpa recommendations within', 'vpa recommendation time']],
  ['ignore', ['goal', 'goals', 'success criteria', 'criteria', 'owner', 'owners', 'author', 'status', 'version', 'date',
    'availability', 'slo', 'availability slo', 'sla', 'description', 'summary', 'purpose', 'context', 'note', 'notes', 'scope']],
];

function fieldKeyOf(key: string): FieldKey | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
  const main = norm(key.replace(/\([^)]*\)/g, ''));
  const paren = /\(([^)]*)\)/.exec(key);
  for (const cand of [main, paren ? norm(paren[1]) : undefined]) {
    if (!cand) continue;
    for (const [field, aliases] of FIELD_ALIASES) if (aliases.includes(cand)) return field;
  }
  return undefined;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);
const VPA_MODES = ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto'];
const COUNT_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** One value the spec states and where: the same field stated twice must agree. */
interface Stated<T> {
  value: T;
  range: Range;
}

/** Reads a markdown opex spec. */
export function loadMarkdownSpec(file: string, text: string): LoadedSpec {
  return new MarkdownReader(file, text).read();
}

class MarkdownReader {
  private readonly lines: LineMap;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly locations: Record<string, Range> = {};
  private readonly stated = new Map<string, Stated<unknown>>();
  private readonly costLabels = new Map<string, Stated<string>>();
  private readonly criteria: CriterionSpec[] = [];
  private readonly criterionText = new Map<CriterionId, Inline>();
  private readonly rules: Record<string, SeverityOverride> = {};
  private title: Inline | undefined;
  private section: Section = 'none';
  private statements = 0;
  /** A label under SC-001 could not be read (then its count is not compared). */
  private labelError = false;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineMap(text);
  }

  private problem(range: Range, message: string, severity: Severity = 'error'): void {
    this.diagnostics.push({ ruleId: 'spec-invalid', severity, file: this.file, range, message });
  }

  private at(inline: Inline, start = 0, end = inline.length): Range {
    return inline.range(this.lines, start, end);
  }

  /** Records a value; a second statement of the same field must agree with the first. */
  private set<T>(field: string, value: T, range: Range, show: (v: T) => string = String): boolean {
    const prev = this.stated.get(field) as Stated<T> | undefined;
    if (prev) {
      if (JSON.stringify(prev.value) !== JSON.stringify(value)) {
        this.problem(range, `This says ${show(value)} for \`${field}\`, but line ${prev.range.start.line + 1} already says ${show(prev.value)}; the spec must state one value.`);
      }
      return false;
    }
    this.stated.set(field, { value, range });
    this.locations[field] = range;
    return true;
  }

  private get<T>(field: string): T | undefined {
    return (this.stated.get(field) as Stated<T> | undefined)?.value;
  }

  read(): LoadedSpec {
    const blocks = blocksOf(this.text, this.lines);
    let labelCtx: { indent: number; fromItem: boolean } | undefined;
    let constraintList = false;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b];
      let inline = block.inline;
      if (inline.length === 0) continue; // blank lines keep the list context (loose lists)
      if (block.kind === 'heading') {
        labelCtx = undefined;
        constraintList = false;
        if (!this.title && block.level === 1) this.title = inline;
        const crit = this.criterionOf(inline);
        if (crit) {
          this.criterion(crit.id, crit.idInline, crit.body, crit.whole);
          continue;
        }
        this.section = sectionOf(inline.text);
        const where = this.at(inline);
        if (this.section === 'recovery' && !this.locations.recovery) this.locations.recovery = where;
        if (this.section === 'resilience' && !this.locations.resilience) this.locations.resilience = where;
        if (this.section === 'constraints' && !this.locations.constraints) this.locations.constraints = where;
        if (this.section === 'cost' && !this.locations.cost) this.locations.cost = where;
        continue;
      }
      if (this.section === 'verification') continue;
      if (block.kind === 'row') {
        labelCtx = undefined;
        this.row(block.cells ?? []);
        continue;
      }
      // Indented continuation lines of a list item belong to it.
      if (block.kind === 'item') {
        while (b + 1 < blocks.length) {
          const next = blocks[b + 1];
          if (next.kind !== 'text' || next.inline.length === 0 || next.indent <= block.indent || this.labelOf(next.inline) || this.fieldOf(next.inline)) break;
          inline = inline.concat(next.inline);
          b++;
        }
      }
      inline = inline.collapse();

      const crit = this.criterionOf(inline);
      if (crit) {
        labelCtx = undefined;
        this.criterion(crit.id, crit.idInline, crit.body, crit.whole);
        if (crit.id === 'SC-001') labelCtx = { indent: block.indent, fromItem: block.kind === 'item' };
        continue;
      }
      if (labelCtx) {
        const nested = labelCtx.fromItem && block.indent > labelCtx.indent;
        const label = this.labelOf(inline);
        const isField = label !== undefined && !['ignore', undefined].includes(fieldKeyOf(label.key));
        if (label && (block.kind === 'item' || nested) && (nested || !isField)) {
          this.label(label.key, label.value, inline, label);
          continue;
        }
        if (nested && (/[:=]/.test(inline.text) || inline.text.split(/\s+/).length <= 3)) {
          this.labelError = true;
          this.problem(this.at(inline), `"${inline.text}" is listed under SC-001 but is no label: write each cost label as \`key: value\`, e.g. \`team: product-team\`.`);
          continue;
        }
        if (nested) continue;
        labelCtx = undefined;
      }
      const field = this.fieldOf(inline);
      if (field) {
        this.statements++;
        if (field.key === 'costLabels' && field.value.length === 0) {
          labelCtx = { indent: block.indent, fromItem: block.kind === 'item' };
          this.locations.costLabels ??= this.at(inline);
          continue;
        }
        this.field(field.key, field.name, field.value, inline);
        continue;
      }
      if (/^constraints?:?$/i.test(inline.text)) {
        constraintList = true;
        continue;
      }
      if (this.section === 'constraints' || (constraintList && block.kind === 'item')) {
        this.constraint(inline);
        continue;
      }
      if (this.section === 'rules' && block.kind === 'item') this.rule(inline);
    }
    return this.finish();
  }

  // ---- statement recognisers ------------------------------------------------------------------

  private criterionOf(inline: Inline): { id: CriterionId | string; idInline: Inline; body: Inline; whole: Inline } | undefined {
    const m = /^SC[-‐‑‒–—]?\s?(\d{1,3})\b\s*(?:[:.)|–—-]\s*)?/i.exec(inline.text);
    if (!m) return undefined;
    const rest = inline.text.slice(m[0].length);
    if (/^(?:to|through|thru|and|[-–—])\s*SC[-‐–]?\d/i.test(rest)) return undefined; // "SC-004 to SC-007: …" summarises
    const id = `SC-${m[1].padStart(3, '0')}`;
    const idLen = m[0].replace(/[\s:.)|–—-]+$/, '').length;
    return { id, idInline: inline.slice(0, idLen), body: inline.slice(m[0].length).trim(), whole: inline };
  }

  private labelOf(inline: Inline): { key: string; value: string; keyStart: number; valueStart: number; valueEnd: number } | undefined {
    const m = /^`?\s*([A-Za-z0-9][^\s:=`"']*)\s*`?\s*[:=]\s*`?\s*["']?([^\s`"']*)["']?\s*`?\s*(?:[(—–#,;-].*|\s+-\s.*)?$/.exec(inline.text);
    if (!m) return undefined;
    if (/^SC[-‐–]?\d/i.test(m[1])) return undefined;
    const keyStart = inline.text.indexOf(m[1]);
    const valueStart = m[2] ? inline.text.indexOf(m[2], keyStart + m[1].length) : keyStart + m[1].length;
    return { key: m[1], value: m[2], keyStart, valueStart, valueEnd: valueStart + m[2].length };
  }

  private fieldOf(inline: Inline): { key: FieldKey; name: string; value: Inline } | undefined {
    const m = /^([A-Za-z][A-Za-z0-9 ()/'&.,-]{0,80}?)\s*[:=]\s*/.exec(inline.text);
    if (!m) return undefined;
    const key = fieldKeyOf(m[1]);
    if (!key) return undefined;
    return { key, name: m[1], value: inline.slice(m[0].length).trim() };
  }

  /** A table row: an SC id or a field name in the first cell, its text or value in the second. */
  private row(cells: Inline[]): void {
    if (cells.length < 2) return;
    const [first, second] = [cells[0].collapse(), cells[1].collapse()];
    const crit = this.criterionOf(first);
    if (crit && crit.body.length === 0) {
      this.criterion(crit.id, crit.idInline, second, first.concat(second));
      return;
    }
    const key = fieldKeyOf(first.text.replace(/:$/, ''));
    if (key && key !== 'ignore') {
      this.statements++;
      this.field(key, first.text.replace(/:$/, ''), second, first.concat(second));
    }
  }

  private statementsSeen(): number {
    return this.statements + this.criteria.length;
  }

  // ---- criteria -------------------------------------------------------------------------------

  private criterion(id: string, idInline: Inline, body: Inline, whole: Inline): void {
    const range = this.at(whole);
    if (!(SC_IDS as readonly string[]).includes(id)) {
      this.problem(this.at(idInline), `${id} is no success criterion opex knows (SC-001 … SC-010, as the chapter numbers them); opex does not check it.`, 'warning');
      return;
    }
    const cid = id as CriterionId;
    if (this.criterionText.has(cid)) {
      this.problem(this.at(idInline), `${id} is stated twice; the first is on line ${this.locations[`criteria.${id}`].start.line + 1}.`);
      return;
    }
    this.criterionText.set(cid, body);
    this.criteria.push({ id: cid, text: body.text });
    this.locations[`criteria.${id}`] = range;
    this.locations.criteria ??= range;
    switch (cid) {
      case 'SC-001':
        this.locations.costLabels ??= range;
        for (const l of this.inlineLabels(body, false)) this.label(l.key, l.value, body, l);
        break;
      case 'SC-002':
        break; // checked against the labels at the end
      case 'SC-003': {
        const d = this.oneDuration(body, cid, 'the time by which the VPA must have recommendations', false);
        if (d) this.set('cost.vpaRecommendationWithin', d.seconds, this.at(body, d.start, d.end), formatHumanDuration);
        break;
      }
      case 'SC-004':
        this.schedule(body, cid);
        break;
      case 'SC-005': {
        const d = this.oneDuration(body, cid, 'how long backups are kept', !this.stated.has('recovery.retention'));
        if (d) this.set('recovery.retention', d.seconds, this.at(body, d.start, d.end), formatHumanDuration);
        break;
      }
      case 'SC-006':
        this.database(body, cid);
        break;
      case 'SC-007': {
        const d = this.oneDuration(body, cid, 'the restore time (RTO)', false, /\brto\b|recovery time/i);
        if (d) this.set('recovery.rto', d.seconds, this.at(body, d.start, d.end), formatHumanDuration);
        break;
      }
      case 'SC-008': {
        const d = this.oneDuration(body, cid, 'the pod-kill recovery time', false);
        if (d) this.set('resilience.podKillRecovery', d.seconds, this.at(body, d.start, d.end), formatHumanDuration);
        break;
      }
      case 'SC-009':
        this.max5xx(body, cid);
        break;
      case 'SC-010':
        this.latency(body, cid);
        break;
    }
  }

  /**
   * The one duration a criterion states. Several that disagree, or a number that reads as no duration, are
   * reported; none at all is fine unless `required`.
   */
  private oneDuration(body: Inline, id: string, what: string, required: boolean, reference?: RegExp): DurationMatch | undefined {
    const found = findDurations(body.text);
    if (found.length === 0) {
      const hint = /\d|\b(?:under|within|below|less than|faster than|at most|no more than|up to)\b|[<≤]/i.test(body.text);
      if ((required || hint) && !(reference && reference.test(body.text))) {
        this.problem(this.at(body), `${id}: opex cannot read ${what} in "${body.text}". Write a duration such as "30 seconds", "24 hours", "30 days" or \`720h\`.`);
      }
      return undefined;
    }
    const distinct = new Set(found.map((d) => d.seconds));
    if (distinct.size > 1) {
      this.problem(this.at(body, found[0].start, found[found.length - 1].end), `${id} states ${found.map((d) => `"${d.text}"`).join(' and ')}, which are not the same duration; opex needs one value for ${what}.`);
      return undefined;
    }
    return found[0];
  }

  private schedule(body: Inline, id: string): void {
    const f = parseFrequency(body.text);
    if (!f) {
      if (/\brpo\b|recovery point/i.test(body.text)) return; // "meets the RPO": the RPO is the bound
      this.problem(this.at(body), `${id}: opex cannot read a backup frequency in "${body.text}". Write e.g. "daily at 2 AM UTC", "every 6 hours", "weekly on Sunday at 3 AM", or a cron in backticks like \`0 2 * * *\`.`);
      return;
    }
    this.frequency(f, body);
  }

  private frequency(f: NonNullable<ReturnType<typeof parseFrequency>>, body: Inline): void {
    const where = this.at(body, f.span.start, f.span.end);
    if (f.kind === 'error') {
      this.problem(where, f.message);
      return;
    }
    if (f.kind === 'bound') {
      this.set('recovery.bound', f.seconds, where, formatHumanDuration);
      return;
    }
    this.set('recovery.schedule', f.cron, where, (c) => `"${c}"`);
    if (f.timezone) this.set('recovery.timezone', f.timezone.name, this.at(body, f.timezone.start, f.timezone.end));
  }

  private database(body: Inline, id: string): void {
    const where = this.at(body);
    const t = body.text;
    if (/\b(?:n\/a|not applicable|no database|stateless|none)\b/i.test(t)) {
      this.set('recovery.database', null, where, () => 'no database');
      return;
    }
    const postgres = /\b(?:pg_dump(?:all)?|pg_basebackup|psql|postgres(?:ql)?|pg)\b/i.exec(t);
    const other = /\b(mysqldump|mariadb-dump|mysql|mariadb|mongodump|mongo(?:db)?|redis(?:-cli)?|etcdctl|etcd|elasticsearch|cassandra|nodetool|sqlite3?)\b/i.exec(t);
    const selector: Record<string, string> = {};
    for (const l of this.inlineLabels(body, false)) {
      const bad = labelKeyProblem(l.key) ?? labelValueProblem(l.value);
      if (bad) this.problem(this.at(body, l.keyStart, l.valueEnd), `The database selector \`${l.key}=${l.value}\` is no valid label: ${bad}.`);
      else selector[l.key] = l.value;
    }
    const cm = /\bcontainer\s*[:=]?\s*`([^`\s]+)`|\bcontainer\s*[:=]\s*([a-z0-9][-a-z0-9]*)|\b(?:in|into)\s+(?:the\s+)?`?([a-z0-9][-a-z0-9]*)`?\s+container\b/i.exec(t);
    const container = cm ? (cm[1] ?? cm[2] ?? cm[3]) : undefined;
    if (container && dnsLabelProblem(container)) {
      this.problem(where, `The container name \`${container}\` is not valid: ${dnsLabelProblem(container)}.`);
      return;
    }
    const hasSelector = Object.keys(selector).length > 0;
    if (other && !postgres && (!hasSelector || !container)) {
      this.problem(where, `${id} names ${other[1]}; opex only knows PostgreSQL's defaults (pods \`app: postgres\`, container \`postgres\`), so say which pods and container the hook runs in, e.g. "… in container \`${other[1].toLowerCase().replace(/dump$/, '')}\` of pods \`app=${other[1].toLowerCase().replace(/dump$/, '')}\`".`);
      return;
    }
    const db: DatabaseSpec = {
      selector: hasSelector ? selector : { ...DEFAULT_DATABASE.selector },
      container: container ?? DEFAULT_DATABASE.container,
    };
    this.set('recovery.database', db, where, (v) => (v ? `pods ${JSON.stringify(v.selector)}, container ${v.container}` : 'no database'));
    this.locations['recovery.database.selector'] ??= where;
    this.locations['recovery.database.container'] ??= where;
    const found = findDurations(t);
    if (found.length === 1) this.set('recovery.database.hookTimeout', found[0].seconds, this.at(body, found[0].start, found[0].end), formatHumanDuration);
    else if (found.length > 1) this.problem(where, `${id} states several durations; opex reads one as the hook timeout. Write the timeout once, e.g. "with a 120s timeout".`);
  }

  private max5xx(body: Inline, id: string): void {
    const t = body.text;
    if (/%|percent/i.test(t)) {
      this.problem(this.at(body), `${id}: opex counts 5xx responses during the experiment; a percentage cannot be checked. Write "No 5xx errors …" or "At most 5 5xx errors …".`);
      return;
    }
    const none = /\b(?:no|zero|without(?:\s+any)?|0)\s+(?:http\s+)?(?:5xx|5\d\d|server)?\s*(?:errors?|failures?|failed\s+requests?|responses?)\b/i.exec(t)
      ?? /\b(?:no|zero|0)\s+5xx\b/i.exec(t);
    const atMost = /\b(?:at\s+most|max(?:imum)?(?:\s+of)?|no\s+more\s+than|up\s+to|≤|<=)\s*(\d+)\s+(?:http\s+)?(?:5xx\s+)?(?:errors?|responses?)/i.exec(t);
    const fewer = /\b(?:fewer\s+than|less\s+than|under|below|<)\s*(\d+)\s+(?:http\s+)?(?:5xx\s+)?(?:errors?|responses?)/i.exec(t);
    let value: number | undefined;
    let m: RegExpExecArray | null = null;
    if (none) [value, m] = [0, none];
    else if (atMost) [value, m] = [Number(atMost[1]), atMost];
    else if (fewer && Number(fewer[1]) > 0) [value, m] = [Number(fewer[1]) - 1, fewer];
    if (value === undefined || !m) {
      this.problem(this.at(body), `${id}: opex cannot read how many 5xx errors are allowed in "${t}". Write "No 5xx errors during single pod failure" or "At most 5 5xx errors …".`);
      return;
    }
    this.set('resilience.max5xx', value, this.at(body, m.index, m.index + m[0].length));
  }

  private latency(body: Inline, id: string): void {
    const t = body.text;
    const pct = /\bp(\d{2}(?:\.\d+)?)\b|\b(\d{2}(?:\.\d+)?)(?:th)?\s*percentile\b/i.exec(t);
    if (!pct) {
      this.problem(this.at(body), `${id}: opex cannot tell which latency percentile "${t}" means; it measures p95: write "P95 latency stays under 500ms …".`);
      return;
    }
    const p = pct[1] ?? pct[2];
    if (p !== '95') {
      this.problem(this.at(body, pct.index, pct.index + pct[0].length), `${id}: opex measures p95 latency; p${p} cannot be checked. Write the target as P95.`);
      return;
    }
    const found = findDurations(t).filter((d) => d.seconds < 3600);
    if (found.length !== 1) {
      this.problem(this.at(body), `${id}: opex cannot read ${found.length === 0 ? 'a' : 'one'} latency target in "${t}"; write e.g. "P95 latency stays under 500ms during recovery".`);
      return;
    }
    const ms = Math.round(found[0].seconds * 1000 * 1000) / 1000;
    this.set('resilience.p95LatencyMs', ms, this.at(body, found[0].start, found[0].end), (v) => `${v}ms`);
  }

  // ---- labels ---------------------------------------------------------------------------------

  /** `key=value` pairs, and `key: value` in backticks (or anywhere with `colons`), in a sentence. */
  private inlineLabels(body: Inline, colons: boolean): Array<{ key: string; value: string; keyStart: number; valueEnd: number }> {
    const out: Array<{ key: string; value: string; keyStart: number; valueEnd: number }> = [];
    const t = body.text;
    const pair = colons
      ? /(?:^|[\s,;(`])([A-Za-z0-9][\w./-]*)\s*[:=]\s*["']?([A-Za-z0-9][\w.-]*|)["']?(?=$|[\s,;)`])/g
      : /(?:^|[\s,;(`])([A-Za-z0-9][\w./-]*)=["']?([A-Za-z0-9][\w.-]*|)["']?(?=$|[\s,;)`])|`\s*([A-Za-z0-9][\w./-]*)\s*[:=]\s*["']?([\w.-]*)["']?\s*`/g;
    for (const m of t.matchAll(pair)) {
      const key = m[1] ?? m[3];
      const value = m[2] ?? m[4] ?? '';
      const keyStart = t.indexOf(key, m.index);
      const valueEnd = value ? t.indexOf(value, keyStart + key.length) + value.length : keyStart + key.length;
      out.push({ key, value, keyStart, valueEnd });
    }
    return out;
  }

  private label(key: string, value: string, inline: Inline, pos: { keyStart: number; valueEnd: number }): void {
    const where = this.at(inline, pos.keyStart, pos.valueEnd);
    const bad = labelKeyProblem(key) ?? labelValueProblem(value);
    if (bad) {
      this.labelError = true;
      this.problem(where, `Cost label \`${key}: ${value}\` is not a valid Kubernetes label (${bad}), so no pod could carry it.`);
      return;
    }
    if (value === '') {
      this.labelError = true;
      this.problem(where, `Cost label \`${key}\` has no value: write it as \`${key}: <value>\`.`);
      return;
    }
    if (key === 'scope' && (value === 'service' || value === 'namespace')) {
      this.set('costLabels.scope', value, where);
      return;
    }
    const prev = this.costLabels.get(key);
    if (prev) {
      if (prev.value !== value) this.problem(where, `Cost label \`${key}\` is listed twice with different values (\`${prev.value}\` on line ${prev.range.start.line + 1}).`);
      return;
    }
    this.costLabels.set(key, { value, range: where });
    this.locations[`costLabels.${key}`] = where;
  }

  // ---- bold fields (`**RTO**: 30 minutes`) ------------------------------------------------------

  private field(key: FieldKey, name: string, value: Inline, line: Inline): void {
    const where = value.length > 0 ? this.at(value) : this.at(line);
    const label = name.replace(/\s+/g, ' ').trim();
    if (key === 'ignore') return;
    const plain = value.text.replace(/`/g, '').trim();
    if (plain === '') {
      this.problem(where, `**${label}** has no value.`);
      return;
    }
    const duration = (field: string, what: string): void => {
      const found = findDurations(value.text.replace(/\([^)]*\)/g, (s) => ' '.repeat(s.length)));
      const inParens = findDurations(value.text).filter((d) => !found.some((f) => f.start === d.start));
      const words: Record<string, number> = { hourly: 3600, daily: 86400, nightly: 86400, weekly: 604800 };
      const word = /^(hourly|daily|nightly|weekly)\b/i.exec(plain);
      if (found.length === 0 && word) {
        this.set(field, words[word[1].toLowerCase()], where, formatHumanDuration);
        return;
      }
      if (found.length !== 1) {
        this.problem(where, found.length === 0
          ? `**${label}**: "${value.text}" is no duration opex can read. Write e.g. "30 minutes", "4 hours", "30 days" or \`30m\`, \`720h\`, \`1h30m\`.`
          : `**${label}** states ${found.map((d) => `"${d.text}"`).join(' and ')}; opex needs one ${what}.`);
        return;
      }
      const d = found[0];
      const lead = value.text.slice(0, d.start).replace(/[`*_]/g, '').trim();
      if (lead && !/^(?:<|≤|<=|under|within|at most|max(?:imum)?|up to|no more than|less than|about|~)$/i.test(lead)) {
        this.problem(where, `**${label}**: opex cannot read "${value.text}"; write the ${what} as a duration such as "30 minutes".`);
        return;
      }
      const clash = inParens.find((p) => p.seconds !== d.seconds);
      if (clash) {
        this.problem(this.at(value, clash.start, clash.end), `**${label}** says "${d.text}" and "${clash.text}", which differ.`);
        return;
      }
      this.set(field, d.seconds, this.at(value, d.start, d.end), formatHumanDuration);
    };
    const name1 = (field: string, what: string): string | undefined => {
      const m = /^`?([^\s`]+)`?(?:\s*\(.*\))?\.?$/.exec(value.text);
      const v = m?.[1];
      const bad = v === undefined ? 'write one name' : dnsLabelProblem(v);
      if (bad || v === undefined) {
        this.problem(where, `**${label}**: "${value.text}" is no ${what}: ${bad}.`);
        return undefined;
      }
      this.set(field, v, this.at(value, value.text.indexOf(v), value.text.indexOf(v) + v.length));
      return v;
    };
    switch (key) {
      case 'rto':
        return duration('recovery.rto', 'recovery time objective');
      case 'rpo':
        return duration('recovery.rpo', 'recovery point objective');
      case 'retention':
        return duration('recovery.retention', 'retention');
      case 'hookTimeout':
        return duration('recovery.database.hookTimeout', 'hook timeout');
      case 'podKillRecovery':
        return duration('resilience.podKillRecovery', 'recovery time');
      case 'vpaRecommendationWithin':
        return duration('cost.vpaRecommendationWithin', 'time');
      case 'namespace':
        name1('namespace', 'namespace');
        return;
      case 'service':
        name1('service', 'service name (a Kubernetes name)');
        return;
      case 'timezone': {
        const tz = plain.split(/\s+/)[0];
        const bad = tz.toUpperCase() === 'UTC' || tz.toUpperCase() === 'GMT' ? undefined : timezoneProblem(tz);
        if (bad) this.problem(where, `**${label}**: ${bad}.`);
        else this.set('recovery.timezone', tz.toUpperCase() === 'GMT' ? 'UTC' : tz.toUpperCase() === 'UTC' ? 'UTC' : tz, where);
        return;
      }
      case 'schedule': {
        const f = parseFrequency(value.text);
        if (!f) this.problem(where, `**${label}**: opex cannot read a backup frequency in "${value.text}". Write e.g. "daily at 2 AM UTC", "every 6 hours", or a cron in backticks like \`0 2 * * *\`.`);
        else this.frequency(f, value);
        return;
      }
      case 'database':
        return this.database(value, `**${label}**`);
      case 'costLabels': {
        const labels = this.inlineLabels(value, true);
        if (labels.length === 0) this.problem(where, `**${label}**: opex cannot read labels in "${value.text}"; write them as \`team: product-team, app: task-api\` or as a list below.`);
        this.locations.costLabels ??= this.at(line);
        for (const l of labels) this.label(l.key, l.value, value, l);
        return;
      }
      case 'labelScope': {
        const v = plain.toLowerCase();
        if (v === 'service' || v === 'namespace') this.set('costLabels.scope', v, where);
        else this.problem(where, `**${label}** is \`service\` (the service's workloads carry the cost labels) or \`namespace\` (every workload of the namespace does).`);
        return;
      }
      case 'vpaMode':
        return this.vpaMode(value, true);
      case 'chaosNamespaces':
        return this.chaosNamespaces(value, true);
      case 'stableSelectorLabels': {
        const names = plain.split(/[\s,]+|\band\b/).map((s) => s.trim()).filter(Boolean);
        const bad = names.find((n) => labelKeyProblem(n));
        if (bad || names.length === 0) this.problem(where, `**${label}**: write label keys separated by commas, e.g. \`app, version\`.`);
        else this.set('constraints.stableSelectorLabels', names, where, (v) => v.join(', '));
        return;
      }
      case 'max5xx':
        return this.max5xx(new Inline(`at most ${value.text} errors`, [...Array(8).fill(value.offsets[0] ?? value.endOffset), ...value.offsets, ...Array(7).fill(value.endOffset)], value.endOffset), `**${label}**`);
      case 'p95':
        return this.latency(new Inline(`p95 ${value.text}`, [...Array(4).fill(value.offsets[0] ?? value.endOffset), ...value.offsets], value.endOffset), `**${label}**`);
    }
  }

  // ---- constraints ----------------------------------------------------------------------------

  private constraint(inline: Inline): void {
    const t = inline.text;
    this.statements++;
    if (/\bvpa\b|vertical pod autoscaler|update\s?mode/i.test(t)) return this.vpaMode(inline, false);
    if (/\bchaos\b|game\s?days?|fault injection|podchaos|pod[- ]kill/i.test(t)) return this.chaosNamespaces(inline, false);
    if (/selector/i.test(t)) return this.selectorConstraint(inline);
    this.statements--; // a constraint opex does not check (it is prose to opex)
  }

  private vpaMode(inline: Inline, field: boolean): void {
    const t = inline.text;
    const modes: Array<{ mode: string; start: number; end: number }> = [];
    for (const m of t.matchAll(/\b(off|initial|recreate|inplaceorrecreate|auto)\b/gi)) {
      const before = t.slice(Math.max(0, m.index - 20), m.index).toLowerCase();
      if (/\b(?:not|never|no|without|instead of|except)\s+(?:in\s+)?(?:\w+\s+)?$/.test(before)) continue;
      if (m[1].toLowerCase() === 'auto' && /^auto(?:matic|mated|scal)/i.test(t.slice(m.index))) continue;
      const mode = VPA_MODES.find((v) => v.toLowerCase() === m[1].toLowerCase())!;
      modes.push({ mode, start: m.index, end: m.index + m[0].length });
    }
    const distinct = [...new Set(modes.map((m) => m.mode))];
    if (distinct.length === 0 && /recommendations?[- ]only|only recommendations|no automatic/i.test(t)) {
      this.set('constraints.vpaUpdateMode', 'Off', this.at(inline), (v) => `"${v}"`);
      return;
    }
    if (distinct.length !== 1) {
      this.problem(this.at(inline), distinct.length === 0
        ? `${field ? 'The VPA mode' : 'This VPA constraint'} names no updateMode opex knows (Off, Initial, Recreate, InPlaceOrRecreate, Auto): write e.g. "VPA in Off mode only".`
        : `This VPA constraint names ${distinct.join(' and ')}; the spec allows one updateMode: write e.g. "VPA in Off mode only".`);
      return;
    }
    this.set('constraints.vpaUpdateMode', distinct[0], this.at(inline, modes[0].start, modes[0].end), (v) => `"${v}"`);
  }

  private chaosNamespaces(inline: Inline, field: boolean): void {
    const t = inline.text;
    // Drop what is excluded: "(not production)", "never in production", "not in prod".
    const excluded = new Set<string>();
    const masked = t.replace(/\(?\b(?:not|never|no|except|excluding)\s+(?:in\s+|on\s+|the\s+)*`?([a-z0-9][-a-z0-9]*)`?(?:\s+namespaces?)?\)?/gi, (s, ns: string) => {
      excluded.add(ns.toLowerCase());
      return ' '.repeat(s.length);
    });
    let names: Array<{ name: string; start: number; end: number }> = [];
    const code = [...masked.matchAll(/`([^`]+)`/g)];
    if (code.length > 0) {
      for (const m of code) for (const part of m[1].split(/[\s,]+/).filter(Boolean)) {
        const s = t.indexOf(part, m.index);
        names.push({ name: part, start: s, end: s + part.length });
      }
    } else {
      const list = String.raw`([a-z0-9][-a-z0-9]*(?:\s*(?:,|\band\b|\bor\b|&|/)\s*[a-z0-9][-a-z0-9]*)*)`;
      const patterns = field
        ? [new RegExp(String.raw`^\s*${list}\s*(?:namespaces?)?\s*(?:only)?\s*\.?\s*$`, 'i')]
        : [
            new RegExp(String.raw`\b(?:only\s+(?:in|to|on|against)|limited\s+to|restricted\s+to|confined\s+to|allowed\s+(?:only\s+)?in)\s+(?:the\s+)?${list}`, 'i'),
            new RegExp(String.raw`\b(?:in|to|on|against)\s+(?:the\s+)?${list}\s+(?:namespaces?\s+)?only\b`, 'i'),
            new RegExp(String.raw`\b(?:in|to|on|against)\s+(?:the\s+)?${list}\s+namespaces?\b`, 'i'),
          ];
      for (const re of patterns) {
        const m = re.exec(masked);
        if (!m) continue;
        const start = m.index + m[0].indexOf(m[1]);
        for (const part of m[1].matchAll(/[a-z0-9][-a-z0-9]*/gi)) {
          if (/^(and|or|the|namespaces?)$/i.test(part[0])) continue;
          names.push({ name: part[0], start: start + part.index, end: start + part.index + part[0].length });
        }
        break;
      }
    }
    names = names.filter((n, i) => names.findIndex((o) => o.name === n.name) === i);
    if (names.length === 0) {
      this.problem(this.at(inline), `${field ? 'The chaos namespaces' : 'This chaos constraint'}: opex cannot read which namespaces experiments may reach in "${t}". Write e.g. "Chaos experiments in staging only (not production)".`);
      return;
    }
    for (const n of names) {
      const bad = dnsLabelProblem(n.name);
      if (bad) {
        this.problem(this.at(inline, n.start, n.end), `\`${n.name}\` is no namespace name: ${bad}.`);
        return;
      }
      if (excluded.has(n.name.toLowerCase())) {
        this.problem(this.at(inline, n.start, n.end), `\`${n.name}\` is both allowed and excluded for chaos experiments.`);
        return;
      }
    }
    this.set('constraints.chaosNamespaces', names.map((n) => n.name), this.at(inline, names[0].start, names[names.length - 1].end), (v) => v.join(', '));
  }

  private selectorConstraint(inline: Inline): void {
    const t = inline.text;
    const code = [...t.matchAll(/`([^`:=\s]+)`/g)].map((m) => m[1]);
    let names: string[] | undefined;
    if (code.length > 0) names = code;
    else {
      const m = /\b(?:only|except|but|other than|apart from)\s+(?:the\s+)?([a-z0-9][\w./-]*(?:\s*(?:,|\band\b)\s*[a-z0-9][\w./-]*)*)\s+(?:label|may|can|is|are|in)\b/i.exec(t);
      if (m) names = m[1].split(/\s*(?:,|\band\b)\s*/).filter(Boolean);
    }
    if (names) {
      const bad = names.find((n) => labelKeyProblem(n));
      if (bad) {
        this.problem(this.at(inline), `\`${bad}\` is no label key.`);
        return;
      }
      this.set('constraints.stableSelectorLabels', names, this.at(inline), (v) => v.join(', '));
      return;
    }
    if (/\b(?:not|never|no)\b/i.test(t)) {
      // "Cost labels must not conflict with existing selectors": selectors keep to the stable labels (app).
      this.set('constraints.stableSelectorLabels', [...DEFAULT_CONSTRAINTS.stableSelectorLabels], this.at(inline), (v) => v.join(', '));
      return;
    }
    this.problem(this.at(inline), `This selector constraint is not one opex can read: write e.g. "Cost labels must not conflict with existing selectors" (only \`app\` may be in selectors) or name the labels selectors may use in backticks.`);
  }

  private rule(inline: Inline): void {
    const m = /^`?([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`?\s*[:=]\s*`?([A-Za-z]+)`?\s*$/.exec(inline.text);
    if (!m) return;
    this.statements++;
    const sev = m[2].toLowerCase();
    const where = this.at(inline);
    if (!SEVERITIES.has(sev)) {
      this.problem(where, `Rule \`${m[1]}\`: the severity is error, warning, info or off.`);
      return;
    }
    this.rules[m[1]] = sev as SeverityOverride;
    this.locations[`rules.${m[1]}`] = where;
  }

  // ---- assembling the spec --------------------------------------------------------------------

  private serviceName(): { name: string; range?: Range } | undefined {
    const explicit = this.stated.get('service') as Stated<string> | undefined;
    if (explicit) return { name: explicit.value, range: explicit.range };
    const app = this.costLabels.get('app');
    if (app) return { name: app.value, range: app.range };
    const base = path.basename(this.file);
    const prefix = /^(.+?)[-_.]opex[-_.]spec\.(?:md|markdown)$/i.exec(base);
    if (prefix) {
      const slug = slugify(prefix[1]);
      if (slug) return { name: slug, range: this.title ? this.at(this.title) : undefined };
    }
    if (this.title) {
      const cleaned = this.title.text.replace(/\b(?:operational[- ]excellence|opex|ops|specifications?|specs?|requirements?|document|runbook|for|the)\b/gi, ' ');
      const slug = slugify(cleaned.replace(/[:—–-]+\s*$/, ''));
      if (slug) return { name: slug, range: this.at(this.title) };
    }
    return undefined;
  }

  private finish(): LoadedSpec {
    const lines = this.lines;
    const firstLine = lines.lineRange(0);
    // SC-001 lists labels; SC-002 names one of them.
    const sc1 = this.criterionText.get('SC-001');
    if (sc1) {
      if (this.costLabels.size === 0) {
        this.problem(this.locations['criteria.SC-001'], 'SC-001 lists no cost labels: put them under it as a list (`- team: product-team`) or inline (`team=product-team, app=task-api`).');
      } else {
        const count = /\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:cost[- ](?:allocation\s+)?)?labels?\b/i.exec(sc1.text);
        const n = count ? (COUNT_WORDS[count[1].toLowerCase()] ?? Number(count[1])) : undefined;
        const labelCount = [...this.costLabels.keys()].length;
        if (n !== undefined && n !== labelCount && !this.labelError) {
          this.problem(this.at(sc1, count!.index, count!.index + count![0].length), `SC-001 says ${count![1]} labels but lists ${labelCount} (${[...this.costLabels.keys()].join(', ')}).`);
        }
      }
    }
    const sc2 = this.criterionText.get('SC-002');
    if (sc2) {
      const by = /\bby\s+`?([A-Za-z0-9][\w./-]*)`?\s+label\b|label:([A-Za-z0-9][\w./-]*)/i.exec(sc2.text);
      const key = by ? (by[1] ?? by[2]) : undefined;
      if (key && this.costLabels.size > 0 && !this.costLabels.has(key)) {
        this.problem(this.at(sc2, by!.index, by!.index + by![0].length), `SC-002 queries OpenCost by the \`${key}\` label, which is none of the spec's cost labels (${[...this.costLabels.keys()].join(', ')}).`);
      }
    }

    const svc = this.serviceName();
    if (!svc) {
      this.problem(firstLine, 'The spec names no service: opex takes it from the `app` cost label, the file name (`<service>-opex-spec.md`) or the title; add one of them or a `**Service**: <name>` line.');
    } else if (svc.range) {
      this.locations.service = svc.range;
    }
    if (this.statementsSeen() === 0 && this.costLabels.size === 0) {
      this.problem(firstLine, 'No success criteria (SC-001 … SC-010) or objectives (**RTO**, **RPO**) found: opex reads the chapter\'s spec format; see docs/spec.md.');
    }

    const costLabels: Record<string, string> = {};
    for (const [k, v] of this.costLabels) costLabels[k] = v.value;

    const has = (prefix: string) => [...this.stated.keys()].some((k) => k.startsWith(prefix));
    const ids = new Set(this.criteria.map((c) => c.id));
    let recovery: RecoverySpec | undefined;
    if (has('recovery.') || ['SC-004', 'SC-005', 'SC-006', 'SC-007'].some((id) => ids.has(id as CriterionId))) {
      recovery = { timezone: this.get<string>('recovery.timezone') ?? 'UTC' };
      const num = (f: string) => this.get<number>(f);
      if (num('recovery.rto') !== undefined) recovery.rto = num('recovery.rto');
      let rpo = num('recovery.rpo');
      const bound = this.stated.get('recovery.bound') as Stated<number> | undefined;
      if (bound) {
        if (rpo === undefined) {
          rpo = bound.value;
          this.locations['recovery.rpo'] = bound.range;
        } else if (bound.value > rpo) {
          this.problem(bound.range, `Backups ${formatHumanDuration(bound.value)} apart would lose more than the RPO of ${formatHumanDuration(rpo)} allows: make the frequency and the RPO agree.`);
        } else if (bound.value < rpo) {
          rpo = bound.value; // the stricter of the two is what the spec asks
          this.locations['recovery.rpo'] = bound.range;
        }
        delete this.locations['recovery.bound'];
      }
      if (rpo !== undefined) recovery.rpo = rpo;
      const schedule = this.get<string>('recovery.schedule');
      if (schedule !== undefined) recovery.schedule = schedule;
      if (num('recovery.retention') !== undefined) recovery.retention = num('recovery.retention');
      const db = this.get<DatabaseSpec | null>('recovery.database');
      const hookTimeout = num('recovery.database.hookTimeout');
      if (db) {
        recovery.database = { selector: db.selector, container: db.container };
        if (hookTimeout !== undefined) recovery.database.hookTimeout = hookTimeout;
      } else if (db === undefined && hookTimeout !== undefined) {
        recovery.database = { ...DEFAULT_DATABASE, selector: { ...DEFAULT_DATABASE.selector }, hookTimeout };
        this.locations['recovery.database'] ??= this.locations['recovery.database.hookTimeout'];
      } else if (db === null) {
        delete this.locations['recovery.database'];
        if (hookTimeout !== undefined) this.problem(this.locations['recovery.database.hookTimeout'], 'A hook timeout is given, but the spec says there is no database.');
      }
    }
    let resilience: ResilienceSpec | undefined;
    if (has('resilience.') || ['SC-008', 'SC-009', 'SC-010'].some((id) => ids.has(id as CriterionId))) {
      resilience = {};
      const kill = this.get<number>('resilience.podKillRecovery');
      const max5xx = this.get<number>('resilience.max5xx');
      const p95 = this.get<number>('resilience.p95LatencyMs');
      if (kill !== undefined) resilience.podKillRecovery = kill;
      if (max5xx !== undefined) resilience.max5xx = max5xx;
      if (p95 !== undefined) resilience.p95LatencyMs = p95;
    }
    const within = this.get<number>('cost.vpaRecommendationWithin');
    const spec: OpexSpec = {
      service: svc?.name ?? '',
      namespace: this.get<string>('namespace') ?? 'production',
      costLabels,
      costLabelScope: this.get<'service' | 'namespace'>('costLabels.scope') ?? 'service',
      cost: within !== undefined ? { vpaRecommendationWithin: within } : {},
      ...(recovery ? { recovery } : {}),
      ...(resilience ? { resilience } : {}),
      constraints: {
        vpaUpdateMode: this.get<string>('constraints.vpaUpdateMode') ?? DEFAULT_CONSTRAINTS.vpaUpdateMode,
        chaosNamespaces: this.get<string[]>('constraints.chaosNamespaces') ?? [...DEFAULT_CONSTRAINTS.chaosNamespaces],
        stableSelectorLabels: this.get<string[]>('constraints.stableSelectorLabels') ?? [...DEFAULT_CONSTRAINTS.stableSelectorLabels],
      },
      rules: this.rules,
      criteria: this.criteria,
    };
    return { file: this.file, format: 'markdown', spec, locations: this.locations, diagnostics: this.diagnostics };
  }
}

function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}
