/** Durations: Go syntax as Kubernetes and Velero write them (`720h0m0s`), and English as specs do ("30 minutes"). */

const GO_UNITS: Record<string, number> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600,
};

/** Parses a Go `time.Duration` string ("30m", "1h30m", "720h0m0s", "1.5h") into seconds; undefined if it is not one. */
export function parseGoDuration(input: string): number | undefined {
  const s = input.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    pos = 1;
  }
  if (pos >= s.length) return undefined;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]) * GO_UNITS[m[2]];
    pos = re.lastIndex;
  }
  return sign * total;
}

/** English unit words and their length in seconds. Months and years are left out: their length varies. */
const WORD_UNITS: Array<[RegExp, number]> = [
  [/^(?:ms|msecs?|millis|milliseconds?)$/, 1e-3],
  [/^(?:s|secs?|seconds?)$/, 1],
  [/^(?:m|mins?|minutes?)$/, 60],
  [/^(?:h|hrs?|hours?)$/, 3600],
  [/^(?:d|days?)$/, 86400],
  [/^(?:w|wks?|weeks?)$/, 7 * 86400],
];

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, fifty: 50,
  sixty: 60, ninety: 90, half: 0.5,
};

function wordUnit(token: string): number | undefined {
  return WORD_UNITS.find(([re]) => re.test(token))?.[1];
}

/**
 * Parses English durations as specs write them: "30 minutes", "24 hours", "720 hours", "30 days",
 * "1 hour 30 minutes", "half an hour", "4 seconds", "30-minute". Also accepts Go syntax ("1h30m"), also
 * mixed with words ("1h 30 minutes"). Undefined when the text is not a duration (and for a bare number,
 * which has no unit).
 */
export function parseHumanDuration(input: string): number | undefined {
  const text = input.trim().toLowerCase().replace(/[.;!]+$/, '');
  if (!text) return undefined;
  const go = parseGoDuration(text);
  if (go !== undefined) return go;
  const tokens = text
    .replace(/,/g, ' ')
    .replace(/\band\b/g, ' ')
    .replace(/(\d)-(?=[a-z])/g, '$1 ')
    .split(/\s+/)
    .filter(Boolean);
  let total = 0;
  let i = 0;
  let any = false;
  while (i < tokens.length) {
    const tok = tokens[i];
    const goPart = /\d/.test(tok) ? parseGoDuration(tok) : undefined;
    if (goPart !== undefined && goPart !== 0) {
      total += goPart;
      any = true;
      i += 1;
      continue;
    }
    const glued = /^(\d+(?:\.\d+)?)([a-zµμ]+)$/.exec(tok);
    let num: number;
    let unit: number | undefined;
    if (glued) {
      num = parseFloat(glued[1]);
      unit = wordUnit(glued[2]);
      i += 1;
    } else {
      if (/^\d+(?:\.\d+)?$/.test(tok)) num = parseFloat(tok);
      else if (tok in NUMBER_WORDS) num = NUMBER_WORDS[tok];
      else return undefined;
      let next = tokens[i + 1];
      // "half an hour", "one and a half hours" are rare; "half an hour" is common enough.
      if (tok === 'half' && (next === 'a' || next === 'an')) {
        i += 1;
        next = tokens[i + 1];
      }
      if (next === undefined) return undefined;
      unit = wordUnit(next);
      i += 2;
    }
    if (unit === undefined) return undefined;
    total += num * unit;
    any = true;
  }
  return any ? total : undefined;
}

/** A duration found inside a sentence: its value and where it was written. */
export interface DurationMatch {
  seconds: number;
  /** Offsets into the searched text, end exclusive. */
  start: number;
  end: number;
  text: string;
}

const NUM_WORD_RE = Object.keys(NUMBER_WORDS)
  .filter((w) => w !== 'half')
  .sort((a, b) => b.length - a.length)
  .join('|');
/** One part of a duration: "30 minutes", "30-minute", "720h", "1h30m", "a day", "half an hour". */
const PART_RE = new RegExp(
  String.raw`(?:(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h))+(?!\w|\.\d)` +
    String.raw`|\d+(?:\.\d+)?[\s-]?(?:milliseconds?|msecs?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|d|w|h)\b` +
    String.raw`|(?:${NUM_WORD_RE})[\s-](?:milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\b` +
    String.raw`|half\s+an?\s+hour\b)`,
  'giy',
);

/**
 * Every duration written in a sentence, in order: "within 24 hours" → one match of 86400 s;
 * "30 days (720 hours)" → two. Adjacent parts ("1 hour 30 minutes", "1 hour and 30 minutes") are one duration.
 * Numbers glued to words or ids ("SC-005", "5xx", "p95") are not durations.
 */
export function findDurations(text: string): DurationMatch[] {
  const out: DurationMatch[] = [];
  let i = 0;
  while (i < text.length) {
    const prev = i > 0 ? text[i - 1] : ' ';
    if (/[\w.-]/.test(prev) && !(prev === '-' && i >= 2 && /\s/.test(text[i - 2]))) {
      i++;
      continue;
    }
    PART_RE.lastIndex = i;
    const m = PART_RE.exec(text);
    if (!m) {
      i++;
      continue;
    }
    let end = PART_RE.lastIndex;
    let seconds = parseHumanDuration(m[0]);
    if (seconds === undefined) {
      i++;
      continue;
    }
    // Join following parts: "1 hour 30 minutes", "1 hour and 30 minutes", "1h, 30m".
    for (;;) {
      const gap = /^(?:\s*,\s*|\s+and\s+|\s+)/i.exec(text.slice(end));
      if (!gap) break;
      PART_RE.lastIndex = end + gap[0].length;
      const more = PART_RE.exec(text);
      const extra = more ? parseHumanDuration(more[0]) : undefined;
      if (!more || extra === undefined) break;
      seconds += extra;
      end = PART_RE.lastIndex;
    }
    out.push({ seconds, start: i, end, text: text.slice(i, end) });
    i = end;
  }
  return out;
}

/** Seconds as Go duration text, the way Kubernetes users write it: 86400 → "24h", 5400 → "1h30m", 0.5 → "500ms". */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 0) return `-${formatGoDuration(-seconds)}`;
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const ms = Math.round(seconds * 1000);
  let rest = Math.floor(ms / 1000);
  const frac = ms % 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const secText = frac ? `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : s ? `${s}s` : '';
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${secText}`;
}

/** Seconds in words for messages: 2592000 → "30 days", 5400 → "1 hour 30 minutes", 4 → "4 seconds". */
export function formatHumanDuration(seconds: number): string {
  if (seconds < 0) return `minus ${formatHumanDuration(-seconds)}`;
  if (seconds < 1 && seconds > 0) return `${Math.round(seconds * 1000)} ms`;
  const units: Array<[string, number]> = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
      rest -= n * size;
    }
  }
  return parts.join(' ') || '0 seconds';
}
