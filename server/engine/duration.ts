/** Durations: Go syntax as Kubernetes and Velero write them (`720h0m0s`), and English as specs do ("30 minutes"). */

const GO_UNITS: Record<string, number> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600,
};

/** Parses a Go `time.Duration` string ("30m", "1h30m", "720h0m0s", "1.5h") into seconds; undefined if it is not one. */
export function parseGoDuration(input: string): number | undefined {
  const s = input.trim();
  if (s === '0') return 0;
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

const WORD_UNITS: Array<[RegExp, number]> = [
  [/^(?:ms|msecs?|milliseconds?)$/, 1e-3],
  [/^(?:s|secs?|seconds?)$/, 1],
  [/^(?:m|mins?|minutes?)$/, 60],
  [/^(?:h|hrs?|hours?)$/, 3600],
  [/^(?:d|days?)$/, 86400],
  [/^(?:w|wks?|weeks?)$/, 7 * 86400],
];

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, sixty: 60, ninety: 90,
};

/**
 * Parses English durations as specs write them: "30 minutes", "24 hours", "720 hours", "30 days",
 * "1 hour 30 minutes", "4 seconds". Also accepts Go syntax. Undefined when the text is not a duration.
 */
export function parseHumanDuration(input: string): number | undefined {
  const text = input.trim().toLowerCase();
  if (!text) return undefined;
  const go = parseGoDuration(text);
  if (go !== undefined) return go;
  const tokens = text.replace(/,/g, ' ').replace(/\band\b/g, ' ').split(/\s+/).filter(Boolean);
  let total = 0;
  let i = 0;
  let any = false;
  while (i < tokens.length) {
    let tok = tokens[i];
    let num: number | undefined;
    let unitTok: string | undefined;
    const glued = /^(\d+(?:\.\d+)?)([a-zµμ]+)$/.exec(tok);
    if (glued) {
      num = parseFloat(glued[1]);
      unitTok = glued[2];
      i += 1;
    } else {
      if (/^\d+(?:\.\d+)?$/.test(tok)) num = parseFloat(tok);
      else if (tok in NUMBER_WORDS) num = NUMBER_WORDS[tok];
      else return undefined;
      tok = tokens[i + 1];
      if (tok === undefined) return undefined;
      unitTok = tok;
      i += 2;
    }
    const unit = WORD_UNITS.find(([re]) => re.test(unitTok!));
    if (!unit) return undefined;
    total += num * unit[1];
    any = true;
  }
  return any ? total : undefined;
}

/** Seconds as Go duration text, the way Kubernetes users write it: 86400 → "24h", 5400 → "1h30m", 0.5 → "500ms". */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** Seconds in words for messages: 2592000 → "30 days", 5400 → "1 hour 30 minutes", 4 → "4 seconds". */
export function formatHumanDuration(seconds: number): string {
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
    if (parts.length === 2) break;
  }
  return parts.join(' ') || '0 seconds';
}
