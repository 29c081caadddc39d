/**
 * Velero schedules: parsing as Velero accepts them, run times, the longest gap between runs, English text.
 *
 * Velero parses `spec.schedule` with robfig/cron v3 `ParseStandard` (pkg/controller/schedule_controller.go):
 * five fields (minute hour day-of-month month day-of-week), the descriptors @yearly @annually @monthly @weekly
 * @daily @midnight @hourly, `@every <Go duration>`, and an optional `CRON_TZ=<zone> ` or `TZ=<zone> ` prefix.
 * Without a prefix the schedule runs in the Velero server's local time, which is UTC in Velero's images.
 *
 * The field values are parsed by croner (`CronPattern`). croner accepts more than Velero does (L, W, #, 7 for
 * Sunday, `?` meaning "now") and a little less (a step wider than its field), so each field is first checked
 * against robfig's grammar, which also gives the messages Velero would give, and normalised for croner.
 *
 * Run times follow robfig's semantics, which Velero runs and croner does not share on two points, so opex
 * evaluates croner's field sets itself: (1) day-of-month and day-of-week combine with AND when either field
 * starts with `*` or `?` (even `*\/1`), else with OR; (2) around a daylight-saving change a run happens at
 * every real instant whose local wall-clock reading matches the pattern: a wall time skipped by the clocks
 * going forward does not run that day (croner moves it to the next hour), one repeated by the clocks going
 * back runs twice. Evaluation is arithmetic on days, not run-by-run enumeration, so `* * * * *` costs no more
 * than `0 2 * * *`.
 */
import { CronPattern } from 'croner';
import cronstrue from 'cronstrue';
import { formatHumanDuration, parseGoDuration } from './duration';

/** The timezone Velero's server runs schedules in when the schedule names none. */
export const VELERO_DEFAULT_TIMEZONE = 'UTC';

const DAY = 86400;
/** Years evaluated for the longest gap: covers the 28-year cycle of weekdays against dates (1901–2099), leap years and month ends. */
export const GAP_WINDOW_YEARS = 29;

export interface CronFields {
  kind: 'cron';
  /** Sorted minutes (0–59) and hours (0–23) the schedule runs at. */
  minutes: number[];
  hours: number[];
  /** Index 1–31: does the day-of-month field match this day? */
  days: boolean[];
  /** Index 1–12. */
  months: boolean[];
  /** Index 0–6, Sunday = 0. */
  weekdays: boolean[];
  /** robfig's star bit: the field starts with `*` or `?` (step 1), so the day fields combine with AND. */
  domStar: boolean;
  dowStar: boolean;
  /** The five fields as written (after the descriptor is expanded). */
  fields: string[];
  /** The five fields in plain numbers, as croner read them (`*\/100` in the minute field is `0`). */
  normalized: string[];
  descriptor?: string;
}

export interface EveryFields {
  kind: 'every';
  /** Interval in whole seconds (robfig rounds below one second up to one second and truncates fractions). */
  seconds: number;
  /** The Go duration as written. */
  duration: string;
}

export type VeleroSchedule = (CronFields | EveryFields) & {
  /** The text as written. */
  source: string;
  /** IANA zone the schedule runs in (canonical name; `UTC` for every UTC alias). */
  timezone: string;
  /** True when the text names its zone with CRON_TZ=/TZ=. */
  explicitTimezone: boolean;
};

export type CronParseResult = { ok: true; schedule: VeleroSchedule } | { ok: false; error: string };

export interface ParseOptions {
  /** Zone for schedules without CRON_TZ= (default UTC, as Velero's server runs). */
  defaultTimezone?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Time zones

const UTC_ALIASES = new Set(['utc', 'etc/utc', 'etc/gmt', 'gmt', 'etc/universal', 'universal', 'etc/zulu', 'zulu', 'etc/gmt+0', 'etc/gmt-0', 'etc/gmt0', 'gmt0', 'gmt+0', 'gmt-0', 'etc/greenwich', 'greenwich', 'uct', 'etc/uct']);

export type ZoneCheck = { ok: true; zone: string } | { ok: false; error: string };

/** Checks an IANA zone name the way Go's time.LoadLocation reads it ("" and "UTC" are UTC; names are case-sensitive). */
export function checkTimezone(name: string): ZoneCheck {
  if (name === '' || name === 'UTC') return { ok: true, zone: 'UTC' };
  if (name === 'Local') return { ok: true, zone: VELERO_DEFAULT_TIMEZONE };
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return { ok: false, error: `unknown time zone "${name}" (use an IANA name such as UTC or Europe/Berlin)` };
  }
  if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) {
    return { ok: false, error: `unknown time zone "${name}": zone names are case-sensitive, write "${resolved}"` };
  }
  if (UTC_ALIASES.has(name.toLowerCase()) || UTC_ALIASES.has(resolved.toLowerCase())) return { ok: true, zone: 'UTC' };
  return { ok: true, zone: resolved };
}

interface Transition {
  /** Real time (seconds since the epoch) from which `after` holds. */
  at: number;
  before: number;
  after: number;
}

/** Offsets (seconds east of UTC) and their changes for one zone, computed with Intl and cached per year. */
class Zone {
  private readonly fmt: Intl.DateTimeFormat | undefined;
  private readonly years = new Map<number, Transition[]>();

  constructor(readonly name: string) {
    this.fmt = name === 'UTC'
      ? undefined
      : new Intl.DateTimeFormat('en-US', {
          timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
          hour: 'numeric', minute: 'numeric', second: 'numeric',
        });
  }

  get fixed(): boolean {
    return this.fmt === undefined;
  }

  /** Offset at a real instant, asked of Intl. */
  rawOffset(sec: number): number {
    if (!this.fmt) return 0;
    const parts = this.fmt.formatToParts(new Date(sec * 1000));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    let year = get('year');
    if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
    const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000;
    return wall - Math.floor(sec);
  }

  private transitionsOfYear(year: number): Transition[] {
    let list = this.years.get(year);
    if (list) return list;
    list = [];
    if (this.fmt) {
      const start = Date.UTC(year, 0, 1) / 1000;
      const end = Date.UTC(year + 1, 0, 1) / 1000;
      const step = 7 * DAY;
      let prevT = start;
      let prevO = this.rawOffset(start);
      for (let t = Math.min(start + step, end); ; t = Math.min(t + step, end)) {
        const o = this.rawOffset(t);
        if (o !== prevO) {
          // Bisect to the second at which the offset changes.
          let lo = prevT;
          let hi = t;
          while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (this.rawOffset(mid) === prevO) lo = mid;
            else hi = mid;
          }
          list.push({ at: hi, before: prevO, after: this.rawOffset(hi) });
        }
        prevT = t;
        prevO = o;
        if (t >= end) break;
      }
    }
    this.years.set(year, list);
    return list;
  }

  /** Offset changes between two real instants, in order. */
  transitions(fromSec: number, toSec: number): Transition[] {
    if (!this.fmt) return [];
    const y0 = new Date(fromSec * 1000).getUTCFullYear();
    const y1 = new Date(toSec * 1000).getUTCFullYear();
    const out: Transition[] = [];
    for (let y = y0; y <= y1; y++) for (const t of this.transitionsOfYear(y)) if (t.at >= fromSec && t.at <= toSec) out.push(t);
    return out;
  }
}

const zones = new Map<string, Zone>();
function zoneOf(name: string): Zone {
  let z = zones.get(name);
  if (!z) zones.set(name, (z = new Zone(name)));
  return z;
}

/** A zone's offsets over a window of real time: the offset before the first change, then each change. */
class ZoneWindow {
  readonly transitions: Transition[];
  readonly initial: number;
  /** Wall days (days since the epoch in local time) on which the offset changes. */
  readonly dirtyDays = new Set<number>();

  constructor(readonly zone: Zone, fromSec: number, toSec: number) {
    this.transitions = zone.transitions(fromSec, toSec);
    this.initial = this.transitions.length > 0 ? this.transitions[0].before : zone.rawOffset(fromSec);
    for (const t of this.transitions) {
      this.dirtyDays.add(Math.floor((t.at + t.before) / DAY));
      this.dirtyDays.add(Math.floor((t.at + t.after) / DAY));
    }
  }

  offsetAt(sec: number): number {
    const list = this.transitions;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].at <= sec) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? this.initial : list[lo - 1].after;
  }

  /** The real instants whose local wall clock reads `wall` (none in a skipped hour, two in a repeated one). */
  realTimes(wall: number): number[] {
    const first = this.offsetAt(wall - this.offsetAt(wall));
    const candidates = new Set<number>([first, this.offsetAt(wall - first)]);
    for (const t of this.transitions) {
      if (Math.abs(t.at - wall) <= 2 * DAY) {
        candidates.add(t.before);
        candidates.add(t.after);
      }
    }
    const out: number[] = [];
    for (const o of candidates) {
      const r = wall - o;
      if (this.offsetAt(r) === o && !out.includes(r)) out.push(r);
    }
    return out.sort((a, b) => a - b);
  }

  /** Offset of a wall day on which it does not change. */
  dayOffset(day: number): number {
    const noon = day * DAY + DAY / 2;
    return this.offsetAt(noon - this.offsetAt(noon));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 6, names: DOW_NAMES },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Go's strconv.Atoi on a field token, or a name of the field; an error message otherwise. */
function fieldNumber(token: string, def: FieldDef): number | string {
  if (def.names && Object.prototype.hasOwnProperty.call(def.names, token.toLowerCase())) return def.names[token.toLowerCase()];
  if (/^[+-]?\d+$/.test(token)) {
    const n = Number(token);
    if (n < 0) return `negative number (${n}) not allowed in the ${def.name} field`;
    return n;
  }
  let hint = '';
  if (/^(L|\d*L|LW|\d+W|.*#.*)$/i.test(token)) hint = ': Velero\'s cron (robfig/cron) has no L, W or # (use plain numbers, ranges, lists and steps)';
  else if (def.names) hint = ` (expected a number ${def.min}–${def.max} or a name such as ${Object.keys(def.names).slice(0, 3).join(', ')})`;
  else hint = ` (expected a number ${def.min}–${def.max})`;
  return `"${token}" is not a valid ${def.name} value${hint}`;
}

interface FieldResult {
  /** The field for croner, with robfig's forms that croner reads differently rewritten. */
  normalized: string;
  star: boolean;
}

/** Checks one field against robfig/cron's grammar: `*`/`?`/number/name, ranges `a-b`, steps `/n`, lists `,`. */
function checkField(text: string, def: FieldDef): FieldResult | string {
  const parts = text.split(',').filter((p) => p !== '');
  if (parts.length === 0) return `the ${def.name} field "${text}" selects nothing`;
  let star = false;
  const out: string[] = [];
  for (const expr of parts) {
    const rangeAndStep = expr.split('/');
    if (rangeAndStep.length > 2) return `too many slashes in the ${def.name} field: "${expr}"`;
    const lowAndHigh = rangeAndStep[0].split('-');
    let start: number;
    let end: number;
    let partStar = false;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      start = def.min;
      end = def.max;
      partStar = true; // robfig ignores anything after "*-" ("*-5" is "*"), and so does opex
    } else {
      if (lowAndHigh.length > 2) return `too many hyphens in the ${def.name} field: "${expr}"`;
      const a = fieldNumber(lowAndHigh[0], def);
      if (typeof a === 'string') return a;
      start = a;
      end = a;
      if (lowAndHigh.length === 2) {
        const b = fieldNumber(lowAndHigh[1], def);
        if (typeof b === 'string') return b;
        end = b;
      }
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      if (!/^[+-]?\d+$/.test(rangeAndStep[1])) return `the step "${rangeAndStep[1]}" in the ${def.name} field is not a number`;
      step = Number(rangeAndStep[1]);
      if (step < 0) return `negative step (${step}) not allowed in the ${def.name} field`;
      if (lowAndHigh.length === 1) end = def.max; // robfig: "N/step" means "N-max/step"
      if (step > 1) partStar = false;
    }
    if (start < def.min) return `${def.name} ${start} is below the minimum ${def.min} ("${expr}")`;
    if (end > def.max) {
      const seven = def.name === 'day-of-week' && end === 7 ? ': Velero counts Sunday as 0 only, 7 is rejected' : '';
      return `${def.name} ${end} is above the maximum ${def.max} ("${expr}")${seven}`;
    }
    if (start > end) return `the ${def.name} range "${expr}" runs backwards (${start} is after ${end})`;
    if (step === 0) return `the step in "${expr}" (${def.name}) must be a positive number`;
    star ||= partStar;
    // Rewrite for croner: `?` is "now" to croner, and croner refuses a step wider than the field.
    if (step > end - start) out.push(String(start));
    else if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') out.push(step > 1 ? `*/${step}` : '*');
    else out.push(`${start}-${end}${step > 1 ? `/${step}` : ''}`);
  }
  return { normalized: out.join(','), star };
}

function bitsToList(arr: ArrayLike<number>, offset: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < arr.length; i++) if (arr[i]) out.push(i + offset);
  return out;
}

const parseCache = new Map<string, CronParseResult>();

/** Parses a Velero `spec.schedule`. Errors read like Velero's own validation errors, with a hint where it helps. */
export function parseVeleroCron(text: string, options: ParseOptions = {}): CronParseResult {
  const defaultZone = options.defaultTimezone ?? VELERO_DEFAULT_TIMEZONE;
  const key = `${defaultZone}\u0000${text}`;
  let cached = parseCache.get(key);
  if (!cached) {
    cached = parseUncached(text, defaultZone);
    if (parseCache.size > 2000) parseCache.clear();
    parseCache.set(key, cached);
  }
  return cached;
}

function parseUncached(text: string, defaultZone: string): CronParseResult {
  const fail = (error: string): CronParseResult => ({ ok: false, error });
  if (text.length === 0) return fail('the schedule is empty; Velero needs a cron expression such as "0 2 * * *"');
  if (text.length > 1000) return fail('the schedule is too long to be a cron expression');
  let spec = text;
  let zoneName = defaultZone;
  let explicitTimezone = false;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    if (space < 0) return fail(`"${spec}" names a time zone but no schedule: write "${spec} 0 2 * * *" (a space, then the cron)`);
    const name = spec.slice(spec.indexOf('=') + 1, space);
    const zone = checkTimezone(name);
    if (!zone.ok) return fail(zone.error);
    zoneName = zone.zone;
    explicitTimezone = true;
    spec = spec.slice(space).trim();
  } else {
    const zone = checkTimezone(defaultZone);
    zoneName = zone.ok ? zone.zone : 'UTC';
  }
  const base = { source: text, timezone: zoneName, explicitTimezone };

  let fields: string[];
  let descriptor: string | undefined;
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const dur = spec.slice('@every '.length);
      const seconds = /^\s|\s$/.test(dur) ? undefined : parseGoDuration(dur);
      if (seconds === undefined || dur === '') {
        return fail(`"${dur}" after @every is not a Go duration (write e.g. "@every 6h" or "@every 1h30m"; days are "24h", not "1d")`);
      }
      return { ok: true, schedule: { ...base, kind: 'every', seconds: seconds < 1 ? 1 : Math.floor(seconds), duration: dur } };
    }
    const expanded = DESCRIPTORS[spec];
    if (!expanded) {
      const lower = DESCRIPTORS[spec.trim().toLowerCase()] ? ` (write it exactly as "${spec.trim().toLowerCase()}")` : '';
      return fail(`unrecognized descriptor "${spec}"${lower}: Velero knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and "@every <duration>"`);
    }
    descriptor = spec;
    fields = expanded.split(' ');
  } else {
    fields = spec.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) {
      const hint = fields.length === 6
        ? ': Velero\'s cron has no seconds (or year) field, use minute hour day-of-month month day-of-week'
        : ' (minute hour day-of-month month day-of-week)';
      return fail(`expected exactly 5 fields, found ${fields.length}${hint}`);
    }
  }
  const normalized: string[] = [];
  const stars: boolean[] = [];
  for (let i = 0; i < 5; i++) {
    const r = checkField(fields[i], FIELDS[i]);
    if (typeof r === 'string') return fail(r);
    normalized.push(r.normalized);
    stars.push(r.star);
  }
  let pattern: CronPattern;
  try {
    pattern = new CronPattern(`0 ${normalized.join(' ')}`, 'UTC');
  } catch (err) {
    return fail(String((err as Error).message ?? err).replace(/^CronPattern: /, ''));
  }
  const days = new Array<boolean>(32).fill(false);
  for (const d of bitsToList(pattern.day, 1)) days[d] = true;
  const months = new Array<boolean>(13).fill(false);
  for (const m of bitsToList(pattern.month, 1)) months[m] = true;
  const weekdays = new Array<boolean>(7).fill(false);
  for (const w of bitsToList(pattern.dayOfWeek, 0)) weekdays[w % 7] = true;
  const schedule: VeleroSchedule = {
    ...base,
    kind: 'cron',
    minutes: bitsToList(pattern.minute, 0),
    hours: bitsToList(pattern.hour, 0),
    days,
    months,
    weekdays,
    domStar: stars[2],
    dowStar: stars[4],
    fields,
    normalized,
    ...(descriptor ? { descriptor } : {}),
  };
  return { ok: true, schedule };
}

// ---------------------------------------------------------------------------------------------------------
// Days and runs

/** Date parts of a day number (days since 1970-01-01). */
function civil(day: number): { y: number; m: number; d: number; dow: number } {
  const date = new Date(day * DAY * 1000);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate(), dow: date.getUTCDay() };
}

/** Month, day of month and weekday of each day of a range, computed once per range. */
class Calendar {
  readonly month: Uint8Array;
  readonly dom: Uint8Array;
  readonly dow: Uint8Array;

  constructor(readonly startDay: number, readonly endDay: number) {
    const n = endDay - startDay;
    this.month = new Uint8Array(n);
    this.dom = new Uint8Array(n);
    this.dow = new Uint8Array(n);
    let { y, m, d, dow } = civil(startDay);
    for (let i = 0; i < n; i++) {
      this.month[i] = m;
      this.dom[i] = d;
      this.dow[i] = dow;
      dow = (dow + 1) % 7;
      d++;
      if (d > daysInMonth(y, m)) {
        d = 1;
        m++;
        if (m > 12) {
          m = 1;
          y++;
        }
      }
    }
  }
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

const calendars = new Map<string, Calendar>();
function calendarOf(startDay: number, endDay: number): Calendar {
  const key = `${startDay}:${endDay}`;
  let c = calendars.get(key);
  if (!c) {
    if (calendars.size > 8) calendars.clear();
    calendars.set(key, (c = new Calendar(startDay, endDay)));
  }
  return c;
}

function matchesParts(s: CronFields, month: number, dom: number, dow: number): boolean {
  if (!s.months[month]) return false;
  const a = s.days[dom];
  const b = s.weekdays[dow];
  return s.domStar || s.dowStar ? a && b : a || b;
}

/** Does the schedule run on this day (days since 1970-01-01, in the schedule's wall calendar)? robfig's rule. */
export function dayMatches(s: CronFields, day: number): boolean {
  const c = civil(day);
  return matchesParts(s, c.m, c.d, c.dow);
}

/** The days of [startDay, endDay) on which the schedule runs. */
function matchingDays(s: CronFields, startDay: number, endDay: number): number[] {
  const cal = calendarOf(startDay, endDay);
  const out: number[] = [];
  for (let i = 0; i < endDay - startDay; i++) {
    if (matchesParts(s, cal.month[i], cal.dom[i], cal.dow[i])) out.push(startDay + i);
  }
  return out;
}

/** Minutes of the day the schedule runs at (wall clock), sorted. */
function timesOfDay(s: CronFields): number[] {
  const out: number[] = [];
  for (const h of s.hours) for (const m of s.minutes) out.push(h * 60 + m);
  return out;
}

function yearStartDay(year: number): number {
  return Date.UTC(year, 0, 1) / 1000 / DAY;
}

/** The real run instants (seconds) of a schedule on one wall day. */
function runsOnDay(times: number[], day: number, zw: ZoneWindow): number[] {
  if (!zw.dirtyDays.has(day)) {
    const off = zw.dayOffset(day);
    return times.map((t) => day * DAY + t * 60 - off);
  }
  const out: number[] = [];
  for (const t of times) out.push(...zw.realTimes(day * DAY + t * 60));
  return out.sort((a, b) => a - b);
}

/** The next `count` runs after `from` (exclusive), as Velero computes them. */
export function nextRuns(schedule: VeleroSchedule, count: number, from: Date = new Date()): Date[] {
  const fromSec = Math.floor(from.getTime() / 1000);
  if (schedule.kind === 'every') {
    return Array.from({ length: Math.max(0, count) }, (_, i) => new Date((fromSec + schedule.seconds * (i + 1)) * 1000));
  }
  const out: Date[] = [];
  if (count <= 0) return out;
  const zone = zoneOf(schedule.timezone);
  const horizon = fromSec + (GAP_WINDOW_YEARS + 1) * 366 * DAY;
  const zw = new ZoneWindow(zone, fromSec - 2 * DAY, horizon + 2 * DAY);
  const times = timesOfDay(schedule);
  if (times.length === 0) return out;
  const firstDay = Math.floor((fromSec + zw.offsetAt(fromSec)) / DAY) - 1;
  for (let day = firstDay; day * DAY <= horizon && out.length < count; day++) {
    if (!dayMatches(schedule, day)) continue;
    for (const r of runsOnDay(times, day, zw)) {
      if (r > fromSec && out.length < count) out.push(new Date(r * 1000));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The longest gap

export interface GapResult {
  /** Longest time between two consecutive runs, in seconds; Infinity when the schedules run at most once. */
  seconds: number;
  /** The two runs around the longest gap (absent for @every schedules). */
  from?: Date;
  to?: Date;
  /** No run at all within the evaluated window (e.g. `0 0 30 2 *`). */
  never: boolean;
  /** Some schedule is `@every`: its runs count from the previous backup, so its phase against the others is unknown. */
  phaseUnknown: boolean;
}

interface Block {
  start: number;
  end: number;
  inner: number;
  innerFrom: number;
  sched: number;
  clean: boolean;
  runs: () => number[];
}

interface GapOptions {
  /** Start of the evaluated window (its year's 1 January). Default: now. */
  from?: Date;
  /** Length of the window in years. Default GAP_WINDOW_YEARS. */
  years?: number;
}

const gapCache = new Map<string, GapResult>();

/**
 * The longest gap between consecutive runs of several schedules judged together (their run times merged),
 * over a full cycle of the calendar. Each schedule is evaluated day by day: the runs within a day are the
 * same for every matching day, so only matching days, the first and last run of each, and the days on which
 * the clocks change are looked at.
 */
export function longestGap(schedules: readonly VeleroSchedule[], options: GapOptions = {}): GapResult {
  const startYear = (options.from ?? new Date()).getUTCFullYear();
  const years = options.years ?? GAP_WINDOW_YEARS;
  // Identical schedules run at identical times: merging one copy gives the same gaps, and the order is irrelevant.
  const unique = new Map<string, VeleroSchedule>();
  for (const s of schedules) unique.set(`${s.timezone} ${s.source}`, s);
  const distinct = [...unique.keys()].sort();
  const key = `${startYear}|${years}|${distinct.join('\u0000')}`;
  const cached = gapCache.get(key);
  if (cached) return cached;
  const result = computeGap(distinct.map((k) => unique.get(k)!), startYear, years);
  if (gapCache.size > 500) gapCache.clear();
  gapCache.set(key, result);
  return result;
}

function computeGap(schedules: readonly VeleroSchedule[], startYear: number, years: number): GapResult {
  const every = schedules.filter((s): s is VeleroSchedule & EveryFields => s.kind === 'every');
  const crons = schedules.filter((s): s is VeleroSchedule & CronFields => s.kind === 'cron');
  const everyMin = every.length > 0 ? Math.min(...every.map((s) => s.seconds)) : Infinity;
  if (crons.length === 0) {
    return { seconds: everyMin, never: every.length === 0, phaseUnknown: every.length > 0 };
  }
  const startDay = yearStartDay(startYear);
  const endDay = yearStartDay(startYear + years);
  const streams: Block[][] = crons.map((s, i) => blocksOf(s, i, startDay, endDay));
  const merged = mergeSorted(streams);
  let best = 0;
  let bestFrom: number | undefined;
  let bestTo: number | undefined;
  let runs = 0;
  const consider = (gap: number, a: number, b: number) => {
    if (gap > best) {
      best = gap;
      bestFrom = a;
      bestTo = b;
    }
  };
  const memo = new Map<string, { inner: number; innerFrom: number; end: number; count: number }>();
  let i = 0;
  let prevEnd: number | undefined;
  while (i < merged.length) {
    // Gather the cluster of blocks whose time spans overlap.
    let j = i + 1;
    let end = merged[i].end;
    while (j < merged.length && merged[j].start <= end) {
      end = Math.max(end, merged[j].end);
      j++;
    }
    const cluster = merged.slice(i, j);
    const first = cluster[0].start;
    let inner: number;
    let innerFrom: number;
    let count: number;
    if (cluster.length === 1) {
      inner = cluster[0].inner;
      innerFrom = cluster[0].innerFrom;
      count = cluster[0].inner > 0 ? 2 : 1;
    } else {
      const key = cluster.every((b) => b.clean) && cluster.length <= 16
        ? cluster.map((b) => `${b.sched}@${b.start - first}`).join('|')
        : undefined;
      const hit = key ? memo.get(key) : undefined;
      if (hit) {
        inner = hit.inner;
        innerFrom = first + hit.innerFrom;
        count = hit.count;
      } else {
        const all = mergeRuns(cluster.map((b) => b.runs()));
        inner = 0;
        innerFrom = all[0];
        for (let k = 1; k < all.length; k++) {
          if (all[k] - all[k - 1] > inner) {
            inner = all[k] - all[k - 1];
            innerFrom = all[k - 1];
          }
        }
        count = all.length;
        if (key) memo.set(key, { inner, innerFrom: innerFrom - first, end: end - first, count });
      }
    }
    if (prevEnd !== undefined) consider(first - prevEnd, prevEnd, first);
    if (inner > 0) consider(inner, innerFrom, innerFrom + inner);
    runs += count;
    prevEnd = end;
    i = j;
  }
  if (runs === 0) {
    return every.length > 0
      ? { seconds: everyMin, never: false, phaseUnknown: true }
      : { seconds: Infinity, never: true, phaseUnknown: false };
  }
  if (runs === 1 && every.length === 0) {
    const only = merged[0].start;
    return { seconds: Infinity, from: new Date(only * 1000), never: false, phaseUnknown: false };
  }
  if (everyMin < best) return { seconds: everyMin, never: false, phaseUnknown: true };
  return {
    seconds: best,
    ...(bestFrom !== undefined ? { from: new Date(bestFrom * 1000), to: new Date(bestTo! * 1000) } : {}),
    never: false,
    phaseUnknown: false,
  };
}

function blocksOf(s: CronFields & { timezone: string }, sched: number, startDay: number, endDay: number): Block[] {
  const times = timesOfDay(s);
  if (times.length === 0) return [];
  const zw = new ZoneWindow(zoneOf(s.timezone), (startDay - 2) * DAY, (endDay + 2) * DAY);
  let inner = 0;
  let innerAt = times[0];
  for (let k = 1; k < times.length; k++) {
    if ((times[k] - times[k - 1]) * 60 > inner) {
      inner = (times[k] - times[k - 1]) * 60;
      innerAt = times[k - 1];
    }
  }
  const span = (times[times.length - 1] - times[0]) * 60;
  const out: Block[] = [];
  for (const day of matchingDays(s, startDay, endDay)) {
    if (!zw.dirtyDays.has(day)) {
      const off = zw.dayOffset(day);
      const start = day * DAY + times[0] * 60 - off;
      const base = day * DAY - off;
      out.push({
        start, end: start + span, inner, innerFrom: base + innerAt * 60, sched, clean: true,
        runs: () => times.map((t) => base + t * 60),
      });
      continue;
    }
    const runs = runsOnDay(times, day, zw);
    if (runs.length === 0) continue;
    let dInner = 0;
    let dFrom = runs[0];
    for (let k = 1; k < runs.length; k++) {
      if (runs[k] - runs[k - 1] > dInner) {
        dInner = runs[k] - runs[k - 1];
        dFrom = runs[k - 1];
      }
    }
    out.push({ start: runs[0], end: runs[runs.length - 1], inner: dInner, innerFrom: dFrom, sched, clean: false, runs: () => runs });
  }
  return out;
}

function mergeSorted(streams: Block[][]): Block[] {
  if (streams.length === 1) return streams[0];
  return streams.flat().sort((a, b) => a.start - b.start || a.end - b.end);
}

function mergeRuns(lists: number[][]): number[] {
  const all = lists.flat().sort((a, b) => a - b);
  const out: number[] = [];
  for (const r of all) if (out.length === 0 || out[out.length - 1] !== r) out.push(r);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Comparing, describing, deriving

/** Do two schedules run at exactly the same instants? (`0 2 * * *` equals `0 2 * * 0-6` and `CRON_TZ=UTC 0 2 * * *`.) */
export function sameRuns(a: VeleroSchedule, b: VeleroSchedule, options: GapOptions = {}): boolean {
  if (a.kind === 'every' || b.kind === 'every') {
    return a.kind === 'every' && b.kind === 'every' && a.seconds === b.seconds;
  }
  const startYear = (options.from ?? new Date()).getUTCFullYear();
  const startDay = yearStartDay(startYear);
  const endDay = yearStartDay(startYear + (options.years ?? GAP_WINDOW_YEARS));
  if (a.timezone === b.timezone) {
    if (a.minutes.join() !== b.minutes.join() || a.hours.join() !== b.hours.join()) return false;
    return matchingDays(a, startDay, endDay).join() === matchingDays(b, startDay, endDay).join();
  }
  // Different zones: compare the real run instants over a year.
  const from = new Date(Date.UTC(startYear, 0, 1));
  const limit = 200_000;
  const ra = nextRunsWithin(a, from, 366 * DAY, limit);
  const rb = nextRunsWithin(b, from, 366 * DAY, limit);
  return ra.length === rb.length && ra.every((t, i) => t === rb[i]);
}

function nextRunsWithin(s: VeleroSchedule & CronFields, from: Date, seconds: number, limit: number): number[] {
  const out: number[] = [];
  const fromSec = Math.floor(from.getTime() / 1000);
  const zw = new ZoneWindow(zoneOf(s.timezone), fromSec - 2 * DAY, fromSec + seconds + 2 * DAY);
  const times = timesOfDay(s);
  const firstDay = Math.floor(fromSec / DAY);
  for (let day = firstDay; day * DAY < fromSec + seconds && out.length < limit; day++) {
    if (!dayMatches(s, day)) continue;
    for (const r of runsOnDay(times, day, zw)) if (r >= fromSec + DAY && r < fromSec + seconds - DAY) out.push(r);
  }
  return out;
}

/**
 * The schedule in English with its zone: "At 02:00 (UTC)", "Every 6 hours, counted from the previous backup".
 * A schedule without CRON_TZ= shows UTC, the clock of Velero's server.
 */
export function describeSchedule(s: VeleroSchedule): string {
  if (s.kind === 'every') return `Every ${formatHumanDuration(s.seconds)}, counted from the previous backup`;
  let text: string;
  try {
    text = cronstrue.toString(s.normalized.join(' '), {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch {
    text = s.normalized.join(' ');
  }
  if (!s.domStar && !s.dowStar && !s.days.slice(1).every(Boolean) && !s.weekdays.every(Boolean)) {
    text += ' (either day condition suffices)';
  }
  return `${text} (${s.timezone})`;
}

/** A run time as people read it in a zone: "Mon 2025-03-10 02:00 EDT". */
export function formatInZone(date: Date, timezone: string): string {
  const zone = checkTimezone(timezone);
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone.ok ? zone.zone : 'UTC', hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  });
  const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

const HOUR_STEPS = [12, 8, 6, 4, 3, 2, 1];
const MINUTE_STEPS = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1];

/**
 * A schedule whose longest gap meets an RPO (seconds): daily at 02:00 for an RPO of a day or more, else the
 * widest even split of the day (or hour) that fits: 6h → `0 *\/6 * * *`, 4h → `0 *\/4 * * *`, 1h → `0 * * * *`,
 * 30m → `*\/30 * * * *`. Below a minute, `@every <rpo>`.
 */
export function cronFromRpo(rpoSeconds: number): string {
  if (!(rpoSeconds > 0)) return '0 2 * * *';
  if (rpoSeconds >= DAY) return '0 2 * * *';
  const hours = rpoSeconds / 3600;
  const h = HOUR_STEPS.find((x) => x <= hours);
  if (h !== undefined) return h === 1 ? '0 * * * *' : `0 */${h} * * *`;
  const minutes = rpoSeconds / 60;
  const m = MINUTE_STEPS.find((x) => x <= minutes);
  if (m !== undefined) return m === 1 ? '* * * * *' : `*/${m} * * * *`;
  return `@every ${Math.max(1, Math.floor(rpoSeconds))}s`;
}
