/**
 * Markdown inline text with its markup removed (emphasis, links, HTML tags), keeping for every character the
 * offset it came from, so a value found in the plain text maps back to its exact range in the file.
 * Code spans keep their backticks (a value in backticks is still recognisable as one).
 */
import type { LineMap } from '../text';
import type { Range } from '../types';

export class Inline {
  constructor(
    readonly text: string,
    /** Source offset of each character of `text`. */
    readonly offsets: readonly number[],
    /** Source offset just after the inline (where an empty inline sits). */
    readonly endOffset: number,
  ) {}

  get length(): number {
    return this.text.length;
  }

  slice(start: number, end: number = this.text.length): Inline {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    const endOffset = e > s ? this.offsets[e - 1] + 1 : s < this.text.length ? this.offsets[s] : this.endOffset;
    return new Inline(this.text.slice(s, e), this.offsets.slice(s, e), endOffset);
  }

  trim(): Inline {
    const start = this.text.length - this.text.trimStart().length;
    const end = this.text.trimEnd().length;
    return this.slice(start, Math.max(start, end));
  }

  /** Source range of text[start, end). */
  range(lines: LineMap, start = 0, end: number = this.text.length): Range {
    if (end > start) return lines.range(this.offsets[start], this.offsets[end - 1] + 1);
    const at = start < this.text.length ? this.offsets[start] : this.endOffset;
    return lines.range(at, at);
  }

  /** Joins continuation lines with one space (mapped to the end of the first). */
  concat(other: Inline): Inline {
    if (this.text.length === 0) return other;
    return new Inline(`${this.text} ${other.text}`, [...this.offsets, this.endOffset, ...other.offsets], other.endOffset);
  }

  /** Collapses runs of whitespace to one space (keeping offsets of what remains). */
  collapse(): Inline {
    let text = '';
    const offs: number[] = [];
    for (let i = 0; i < this.text.length; i++) {
      const ch = this.text[i];
      if (/\s/.test(ch)) {
        if (text.endsWith(' ') || text.length === 0) continue;
        text += ' ';
      } else text += ch;
      offs.push(this.offsets[i]);
    }
    return new Inline(text, offs, this.endOffset).trim();
  }
}

interface Char {
  ch: string;
  off: number;
}
interface Delim {
  delim: string;
  n: number;
  off: number;
  left: boolean;
  right: boolean;
  paired?: boolean;
}
type Token = Char | Delim;

const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);
const isPunct = (ch: string | undefined) => ch !== undefined && /[!-/:-@[-`{-~\p{P}]/u.test(ch);
const isAlnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Markdown inline text of src[from, to) without its markup. */
export function cleanInline(src: string, from: number, to: number): Inline {
  const tokens: Token[] = [];
  const chars = (a: number, b: number) => {
    for (let k = a; k < b; k++) tokens.push({ ch: src[k], off: k });
  };
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c === '\\' && i + 1 < to && /[!-/:-@[-`{-~]/.test(src[i + 1])) {
      tokens.push({ ch: src[i + 1], off: i + 1 });
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (i + n < to && src[i + n] === '`') n++;
      const fence = '`'.repeat(n);
      let close = src.indexOf(fence, i + n);
      while (close >= 0 && close + n < to && src[close + n] === '`') close = src.indexOf(fence, close + n + 1);
      if (close >= 0 && close + n <= to) {
        let a = i + n;
        let b = close;
        if (b - a >= 2 && src[a] === ' ' && src[b - 1] === ' ' && src.slice(a, b).trim()) {
          a++;
          b--;
        }
        tokens.push({ ch: '`', off: i });
        chars(a, b);
        tokens.push({ ch: '`', off: close + n - 1 });
        i = close + n;
        continue;
      }
      chars(i, i + n);
      i += n;
      continue;
    }
    if (c === '<') {
      const rest = src.slice(i, to);
      if (rest.startsWith('<!--')) {
        const e = rest.indexOf('-->');
        if (e >= 0) {
          i += e + 3;
          continue;
        }
      }
      const auto = /^<((?:https?|mailto):[^>\s]+)>/i.exec(rest);
      if (auto) {
        chars(i + 1, i + 1 + auto[1].length);
        i += auto[0].length;
        continue;
      }
      const tag = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/.exec(rest);
      if (tag) {
        i += tag[0].length;
        continue;
      }
    }
    if (c === '!' && src[i + 1] === '[') {
      i++;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]\n]*)\](?:\(([^)\n]*)\)|\[[^\]\n]*\])/.exec(src.slice(i, to));
      if (m) {
        const inner = cleanInline(src, i + 1, i + 1 + m[1].length);
        for (let k = 0; k < inner.text.length; k++) tokens.push({ ch: inner.text[k], off: inner.offsets[k] });
        i += m[0].length;
        continue;
      }
    }
    if (c === '*' || c === '_' || c === '~') {
      let n = 1;
      while (i + n < to && src[i + n] === c) n++;
      const before = i > from ? src[i - 1] : undefined;
      const after = i + n < to ? src[i + n] : undefined;
      // CommonMark's flanking rules, simplified.
      let left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
      let right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
      if (c === '_' && isAlnum(before) && isAlnum(after)) left = right = false;
      if (c === '~' && n < 2) left = right = false;
      tokens.push({ delim: c, n, off: i, left, right });
      i += n;
      continue;
    }
    tokens.push({ ch: c, off: i });
    i++;
  }
  // Pair emphasis delimiters: an opener with the next closer of the same character and length.
  for (let a = 0; a < tokens.length; a++) {
    const open = tokens[a];
    if (!('delim' in open) || open.paired || !open.left) continue;
    for (let b = a + 1; b < tokens.length; b++) {
      const close = tokens[b];
      if ('delim' in close && !close.paired && close.delim === open.delim && close.n === open.n && close.right) {
        open.paired = close.paired = true;
        break;
      }
    }
  }
  let text = '';
  const offs: number[] = [];
  for (const t of tokens) {
    if ('delim' in t) {
      if (t.paired) continue;
      for (let k = 0; k < t.n; k++) {
        text += t.delim;
        offs.push(t.off + k);
      }
    } else {
      text += t.ch;
      offs.push(t.off);
    }
  }
  return new Inline(text, offs, to).trim();
}
