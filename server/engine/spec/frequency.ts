/**
 * Backup frequencies as specs write them, to the 5-field cron Velero runs:
 * "daily at 2 AM UTC" → `0 2 * * *` (UTC), "every 6 hours" → `0 *\/6 * * *`, "hourly" → `0 * * * *`,
 * "weekly on Sunday at 3 AM" → `0 3 * * 0`, "at 2:30 AM" → `30 2 * * *`, "`0 2 * * *`" → itself.
 * A frequency with no time of day ("daily", "at least every 4 hours") is a bound on the gap between
 * backups, not a schedule.
 */
import { cronProblem, timezoneProblem } from './validate';

export interface Span {
  /** Offsets into the parsed text, end exclusive. */
  start: number;
  end: number;
}

export type Frequency =
  | { kind: 'cron'; cron: string; timezone?: { name: string } & Span; span: Span }
  | { kind: 'bound'; seconds: number; span: Span }
  | { kind: 'error'; message: string; span: Span };

const NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30,
};
const NUM = String.raw`(\d+|${Object.keys(NUMBERS).join('|')})`;
const num = (s: string): number => (/^\d+$/.test(s) ? Number(s) : NUMBERS[s.toLowerCase()]);

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_RE = /\b(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?s?\b/gi;
function dayIndex(word: string): number {
  const w = word.toLowerCase().slice(0, 3);
  return DAY_NAMES.findIndex((d) => d.startsWith(w));
}

interface Found<T> extends Span {
  value: T;
}

function all(re: RegExp, text: string): RegExpExecArray[] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return [...text.matchAll(g)];
}

function span(m: RegExpExecArray, group = 0): Span {
  const s = m.index + (group === 0 ? 0 : m[0].indexOf(m[group]));
  return { start: s, end: s + m[group].length };
}

/** Times of day: "2 AM", "2:30 a.m.", "02:00", "14:30", "midnight", "noon". */
function findTimes(text: string): Array<Found<{ hour: number; minute: number }> | (Span & { error: string })> {
  const out: Array<Found<{ hour: number; minute: number }> | (Span & { error: string })> = [];
  const taken: Span[] = [];
  for (const m of all(/\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?/i, text)) {
    const h = Number(m[1]);
    const min = m[2] === undefined ? 0 : Number(m[2]);
    const sp = span(m);
    taken.push(sp);
    if (h < 1 || h > 12 || min > 59) {
      out.push({ ...sp, error: `"${m[0].trim()}" is no time of day` });
      continue;
    }
    const pm = m[3].toLowerCase() === 'p';
    out.push({ ...sp, value: { hour: (h % 12) + (pm ? 12 : 0), minute: min } });
  }
  for (const m of all(/(?<![\d:])(\d{1,2}):(\d{2})(?::00)?(?![\d:])/, text)) {
    const sp = span(m);
    if (taken.some((t) => t.start <= sp.start && sp.start < t.end)) continue;
    const h = Number(m[1]);
    const min = Number(m[2]);
    if (h > 23 || min > 59) out.push({ ...sp, error: `"${m[0]}" is no time of day (00:00 to 23:59)` });
    else out.push({ ...sp, value: { hour: h, minute: min } });
  }
  for (const m of all(/\b(midnight|noon|midday)\b/i, text)) {
    out.push({ ...span(m), value: { hour: m[1].toLowerCase() === 'midnight' ? 0 : 12, minute: 0 } });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The time zone written after a time: "UTC", "GMT", "Europe/Berlin", "UTC+2", "EST"; or "local time", which names none. */
function findTimezone(text: string, after: number): ({ name: string } & Span) | (Span & { error: string }) | undefined {
  const rest = text.slice(after);
  const offset = /^\s*\(?\s*(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\)?/i.exec(rest);
  if (offset) {
    const sp = { start: after + offset[0].search(/\S/), end: after + offset[0].length };
    const hours = Number(offset[2]);
    if (offset[3] && offset[3] !== '00') return { ...sp, error: 'a UTC offset with minutes has no IANA zone; write the zone by name, e.g. Asia/Kolkata' };
    if (hours === 0) return { ...sp, name: 'UTC' };
    if (hours > 14) return { ...sp, error: `UTC${offset[1]}${hours} is no UTC offset` };
    // IANA's Etc/GMT zones have the sign inverted: UTC+2 is Etc/GMT-2.
    return { ...sp, name: `Etc/GMT${offset[1] === '+' ? '-' : '+'}${hours}` };
  }
  const utc = /^\s*\(?\s*(UTC|GMT|Z)\b\)?/i.exec(rest);
  if (utc && (utc[1].toUpperCase() !== 'Z' || /^Z/.test(rest))) {
    const s = after + utc[0].indexOf(utc[1]);
    return { start: s, end: s + utc[1].length, name: 'UTC' };
  }
  const iana = /^\s*\(?\s*(?:in\s+)?([A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)/.exec(rest);
  if (iana) {
    const s = after + iana[0].indexOf(iana[1]);
    const sp = { start: s, end: s + iana[1].length };
    const problem = timezoneProblem(iana[1]);
    return problem ? { ...sp, error: problem } : { ...sp, name: iana[1] };
  }
  // Any other capitalised word right after the time is meant as a zone ("EST", "CET", "PST8PDT"): check it.
  const abbr = /^\s*\(?\s*([A-Z]{2}[A-Za-z0-9+_-]*)(?![\w/])/.exec(rest);
  if (abbr && !/^(AND|OR|ON|AT|THE|TO|RPO|RTO|SC|AM|PM)$/.test(abbr[1])) {
    const s = after + abbr[0].indexOf(abbr[1]);
    const sp = { start: s, end: s + abbr[1].length };
    const problem = timezoneProblem(abbr[1]);
    return problem ? { ...sp, error: problem } : { ...sp, name: abbr[1] };
  }
  const local = /^\s*\(?\s*(local(?:\s+time)?|server\s+time)\b/i.exec(rest);
  if (local) {
    const s = after + local[0].indexOf(local[1]);
    return { start: s, end: s + local[1].length, error: `"${local[1]}" names no time zone: write UTC or an IANA zone such as Europe/Berlin` };
  }
  return undefined;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const CRON_TOKEN = /^(?:[\d*?LW#][\d*?/,LW#-]*|[A-Za-z]{3}(?:[-,][A-Za-z\d]{1,3})*)$/;

/** Does this text look like a cron someone wrote out (5 or 6 cron tokens, or a descriptor)? */
function looksLikeCron(s: string): boolean {
  const t = s.trim();
  if (/^@[a-z]+(?:\s+\S+)?$/i.test(t)) return true;
  const tokens = t.split(/\s+/);
  return tokens.length >= 5 && tokens.length <= 6 && tokens.every((x) => CRON_TOKEN.test(x)) && tokens.filter((x) => /[\d*]/.test(x)).length >= 3;
}

/** A cron written out: in backticks or quotes, or after the word "cron". */
function findExplicitCron(text: string): Frequency | undefined {
  let found: Span | undefined;
  for (const m of text.matchAll(/[`"“]([^`"“”]+)[`"”]|(?:^|\s)'([^']+)'/g)) {
    const inner = m[1] ?? m[2];
    if (!looksLikeCron(inner)) continue;
    const s = m.index + m[0].indexOf(inner) + (inner.length - inner.trimStart().length);
    found = { start: s, end: s + inner.trim().length };
    break;
  }
  if (!found) {
    const after = /\bcron(?:\s+(?:expression|schedule|pattern))?\s*[:=]?\s+((?:\S+\s+){4}\S+)/i.exec(text);
    if (after && looksLikeCron(after[1])) found = span(after, 1);
  }
  if (!found) return undefined;
  const sp = found;
  const expr = text.slice(sp.start, sp.end);
  if (/^@every\b/i.test(expr)) {
    return { kind: 'error', span: sp, message: `\`${expr}\` runs at intervals counted from when Velero started, not at fixed times: write a 5-field cron or words like "every 6 hours".` };
  }
  if (expr.startsWith('@') && !DESCRIPTORS[expr.toLowerCase()]) {
    return { kind: 'error', span: sp, message: `\`${expr}\` is no cron descriptor (Velero knows @hourly, @daily, @weekly, @monthly, @yearly).` };
  }
  const cron = DESCRIPTORS[expr.toLowerCase()] ?? expr.replace(/\s+/g, ' ');
  const problem = cronProblem(cron);
  if (problem) return { kind: 'error', span: sp, message: `The schedule \`${expr}\` is not valid: ${problem}.` };
  const tz = findTimezone(text, sp.end + 1);
  if (tz && 'error' in tz) return { kind: 'error', span: { start: tz.start, end: tz.end }, message: `${tz.error}.` };
  return { kind: 'cron', cron, span: tz ? join([sp, tz]) : sp, ...(tz ? { timezone: { name: tz.name, start: tz.start, end: tz.end } } : {}) };
}

function join(spans: Span[]): Span {
  return { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
}

/**
 * Reads the backup frequency in a sentence. Undefined when the sentence states none at all;
 * `error` when it states one that cannot be turned into a single cron.
 */
export function parseFrequency(text: string): Frequency | undefined {
  const explicit = findExplicitCron(text);
  if (explicit) return explicit;
  const lower = text.toLowerCase();
  const parts: Span[] = [];
  const fail = (sp: Span, message: string): Frequency => ({ kind: 'error', message, span: { start: sp.start, end: sp.end } });

  // "at least every 6 hours", "no less often than daily", "daily or more often": a bound, not a schedule.
  const atLeast = /\b(at\s+least|no\s+less\s+(?:often|frequently)\s+than|at\s+minimum|minimum(?:\s+of)?)\b/.exec(lower)
    ?? /\bor\s+more\s+(?:often|frequently)\b/.exec(lower);

  // Interval: "every 6 hours", "every 30 minutes", "every hour", "every 2 days", "every 6h".
  let interval: Found<{ n: number; unit: 'minute' | 'hour' | 'day' | 'week' }> | undefined;
  const everyN = new RegExp(String.raw`\bevery\s+${NUM}[\s-]?(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?)\b`, 'i').exec(lower);
  const everyOne = /\bevery\s+(?:single\s+)?(minute|hour|day|night|week)\b/.exec(lower) ?? /\b(hourly|daily|nightly|weekly)\b/.exec(lower)
    ?? /\b(?:once\s+(?:a|per|every)|each)\s+(hour|day|night|week)\b/.exec(lower);
  const perDay = new RegExp(String.raw`\b(twice|${NUM}\s+times)\s+(?:a|per|each)\s+day\b|\btwice\s+daily\b`, 'i').exec(lower);
  const monthly = /\b(monthly|every\s+month|once\s+a\s+month)\b/.exec(lower);
  if (everyN) {
    const n = num(everyN[1]);
    const u = everyN[2][0];
    const unit = u === 'm' ? 'minute' : u === 'h' ? 'hour' : u === 'd' ? 'day' : 'week';
    interval = { ...span(everyN), value: { n, unit } };
  } else if (everyOne) {
    const w = everyOne[1];
    const unit = w.startsWith('min') ? 'minute' : w.startsWith('hour') ? 'hour' : w.startsWith('week') ? 'week' : 'day';
    interval = { ...span(everyOne), value: { n: 1, unit } };
  } else if (perDay) {
    const times = perDay[1] === 'twice' || perDay[0].startsWith('twice') ? 2 : num(perDay[2]);
    if (!times || 24 % times !== 0) return fail(span(perDay), `"${perDay[0]}" cannot be spread evenly over a day; write the times, e.g. "at 2 AM and 2 PM UTC"`);
    interval = { ...span(perDay), value: { n: 24 / times, unit: 'hour' } };
  } else if (monthly) {
    return fail(span(monthly), 'A monthly schedule is not read from words: write the cron in backticks, e.g. `0 2 1 * *` (2 AM on the 1st).');
  }
  if (interval) parts.push(interval);

  // Times of day and the zone after the last of them.
  const times = findTimes(text);
  const badTime = times.find((t) => 'error' in t);
  if (badTime && 'error' in badTime) return fail(badTime, `${badTime.error}.`);
  const okTimes = times as Array<Found<{ hour: number; minute: number }>>;
  parts.push(...okTimes);
  let tz: ({ name: string } & Span) | undefined;
  if (okTimes.length > 0) {
    const found = findTimezone(text, okTimes[okTimes.length - 1].end);
    if (found && 'error' in found) return fail(found, `${found.error}.`);
    if (found) {
      tz = found;
      parts.push(found);
    }
  }
  // "at minute 15", ":15 past the hour", "15 minutes past the hour" for hourly schedules.
  const pastHour = /\b(?:at\s+minute\s+(\d{1,2})|(\d{1,2})\s+minutes?\s+past\s+(?:the|each|every)\s+hour|at\s+:(\d{2}))\b/.exec(lower);
  if (pastHour) parts.push(span(pastHour));

  // Days of the week.
  const days = new Set<number>();
  const weekdays = /\b(weekdays|(?:every\s+)?weekday|business\s+days|working\s+days|mon(?:day)?\s*(?:-|–|to|through|thru)\s*fri(?:day)?)\b/.exec(lower);
  const weekends = /\b(weekends?)\b/.exec(lower);
  if (weekdays) {
    for (let d = 1; d <= 5; d++) days.add(d);
    parts.push(span(weekdays));
  } else if (weekends) {
    days.add(0).add(6);
    parts.push(span(weekends));
  } else {
    for (const m of all(DAY_RE, text)) {
      const i = dayIndex(m[1]);
      if (i >= 0) {
        days.add(i);
        parts.push(span(m));
      }
    }
  }

  if (!interval && okTimes.length === 0 && days.size === 0) return undefined;
  const whole = join(parts);
  const minutes = new Set(okTimes.map((t) => t.value.minute));
  const hours = [...new Set(okTimes.map((t) => t.value.hour))].sort((a, b) => a - b);
  const dow = days.size > 0 ? [...days].sort((a, b) => a - b) : undefined;
  const dowField = !dow ? '*' : dow.length === 5 && dow.join() === '1,2,3,4,5' ? '1-5' : dow.join(',');
  const cron = (c: string): Frequency => {
    if (atLeast) return fail(join([whole, span(atLeast)]), `"${text.slice(whole.start, whole.end)}" is both a minimum frequency and a fixed time: say "every …" or "at …".`);
    const problem = cronProblem(c);
    if (problem) return fail(whole, `The schedule is not valid: ${problem}.`);
    return { kind: 'cron', cron: c, span: whole, ...(tz ? { timezone: { name: tz.name, start: tz.start, end: tz.end } } : {}) };
  };
  if (minutes.size > 1) return fail(whole, 'The times have different minutes, which one cron cannot express: write the cron in backticks.');
  const minute = okTimes.length > 0 ? okTimes[0].value.minute : 0;

  const unit = interval?.value.unit;
  const n = interval?.value.n ?? 0;
  if (unit === 'minute') {
    if (okTimes.length > 0 || dow) return fail(whole, 'An interval in minutes cannot also have a time of day or weekday: write the cron in backticks.');
    if (n >= 60 || 60 % n !== 0) return fail(interval!, `"every ${n} minutes" does not divide the hour evenly, so no single cron runs at that interval; use a divisor of 60, or hours.`);
    if (atLeast) return { kind: 'bound', seconds: n * 60, span: join([whole, span(atLeast)]) };
    return cron(`${n === 1 ? '*' : `*/${n}`} * * * *`);
  }
  if (unit === 'hour' && n < 24) {
    if (dow) return fail(whole, 'An hourly interval on certain weekdays is not read from words: write the cron in backticks.');
    if (24 % n !== 0) return fail(interval!, `"every ${n} hours" does not divide the day evenly, so no single cron runs at that interval; use 1, 2, 3, 4, 6, 8 or 12 hours.`);
    if (atLeast) {
      if (okTimes.length > 0) return cron('');
      return { kind: 'bound', seconds: n * 3600, span: join([whole, span(atLeast)]) };
    }
    const m = pastHour ? Number(pastHour[1] ?? pastHour[2] ?? pastHour[3]) : minute;
    if (m > 59) return fail(span(pastHour!), 'A minute past the hour is 0 to 59.');
    if (okTimes.length > 1) return fail(whole, 'An interval with several start times is not read from words: write the cron in backticks.');
    if (okTimes.length === 1) {
      // "every 6 hours starting at 1 AM" → 1,7,13,19.
      const first = okTimes[0].value.hour % n;
      const list = Array.from({ length: 24 / n }, (_, i) => first + i * n);
      return cron(`${m} ${n === 1 ? '*' : list.join(',')} * * *`);
    }
    return cron(`${m} ${n === 1 ? '*' : `*/${n}`} * * *`);
  }
  const everyDays = unit === 'day' ? n : unit === 'hour' && n % 24 === 0 ? n / 24 : undefined;
  if (unit === 'week') {
    if (unit === 'week' && n !== 1) return fail(interval!, `"every ${n} weeks" has no cron: write it in backticks.`);
    if (!dow && okTimes.length === 0) {
      return { kind: 'bound', seconds: 7 * 86400, span: atLeast ? join([whole, span(atLeast)]) : whole };
    }
    if (!dow) return fail(whole, 'A weekly schedule needs its day: write e.g. "weekly on Sunday at 3 AM".');
    if (okTimes.length === 0) return fail(whole, `On ${dow.map((d) => DAY_NAMES[d][0].toUpperCase() + DAY_NAMES[d].slice(1)).join(', ')} at what time? Write e.g. "weekly on Sunday at 3 AM UTC".`);
    return cron(`${minute} ${hours.join(',')} * * ${dowField}`);
  }
  if (everyDays !== undefined && everyDays > 1) {
    if (okTimes.length === 0) {
      if (atLeast) return { kind: 'bound', seconds: everyDays * 86400, span: join([whole, span(atLeast)]) };
      return fail(whole, `Every ${everyDays} days at what time? Write e.g. "every ${everyDays} days at 2 AM UTC".`);
    }
    return cron(`${minute} ${hours.join(',')} */${everyDays} * *`);
  }
  // Daily (or a time of day alone, or weekdays at a time).
  if (okTimes.length === 0) {
    if (dow) return fail(whole, `"${text.slice(whole.start, whole.end)}" at what time? Write e.g. "every Sunday at 3 AM UTC".`);
    const seconds = unit === 'hour' ? n * 3600 : 86400;
    return { kind: 'bound', seconds, span: atLeast ? join([whole, span(atLeast)]) : whole };
  }
  return cron(`${minute} ${hours.join(',')} * * ${dowField}`);
}
