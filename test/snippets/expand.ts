/**
 * VS Code snippet syntax, enough to expand a snippet the way the editor inserts it before the user types:
 * tabstops `$1` `${1}`, placeholders `${1:default}` (nested), choices `${1|a,b|}` (the first is inserted),
 * the final tabstop `$0`, variables `$NAME` `${NAME}` `${NAME:default}` `${NAME/regex/format/flags}`, and the
 * escapes `\$` `\}` `\\` (plus `\,` `\|` inside a choice). Linked tabstops take the value of the first
 * occurrence that has a default, as VS Code does; an unknown variable is inserted as its own name, as VS Code
 * does. `values` overrides a tabstop's value ("the user typed this"), which then appears in every mirror.
 */

export type Node =
  | { type: 'text'; value: string }
  | { type: 'tabstop'; index: number; children: Node[] | undefined; choices?: string[] }
  | { type: 'variable'; name: string; children: Node[] | undefined; transform?: { regex: string; format: string; flags: string } };

export class SnippetSyntaxError extends Error {}

/** The variables VS Code resolves, with fixed values for tests. */
export const TEST_VARIABLES: Record<string, string> = {
  TM_FILENAME: 'task-api-deployment.yaml',
  TM_FILENAME_BASE: 'task-api-deployment',
  TM_DIRECTORY: '/workspace/k8s',
  TM_FILEPATH: '/workspace/k8s/task-api-deployment.yaml',
  RELATIVE_FILEPATH: 'k8s/task-api-deployment.yaml',
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  WORKSPACE_NAME: 'workspace',
  WORKSPACE_FOLDER: '/workspace',
  CLIPBOARD: '',
  CURRENT_YEAR: '2025',
  CURRENT_YEAR_SHORT: '25',
  CURRENT_MONTH: '01',
  CURRENT_DATE: '15',
  CURRENT_HOUR: '12',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
  LINE_COMMENT: '#',
  BLOCK_COMMENT_START: '',
  BLOCK_COMMENT_END: '',
  UUID: '00000000-0000-4000-8000-000000000000',
};

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node[] {
    const nodes = this.sequence(false);
    if (this.pos < this.src.length) throw new SnippetSyntaxError(`unexpected '${this.src[this.pos]}' at ${this.pos}`);
    return nodes;
  }

  /** Text and elements until the end, or until an unescaped `}` when inside a placeholder. */
  private sequence(nested: boolean): Node[] {
    const out: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ type: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += ch;
          this.pos += 1;
        }
        continue;
      }
      if (ch === '}' && nested) break;
      if (ch === '$') {
        const el = this.element();
        if (el) {
          flush();
          out.push(el);
          continue;
        }
        text += ch;
        this.pos += 1;
        continue;
      }
      text += ch;
      this.pos += 1;
    }
    flush();
    return out;
  }

  /** `$…` at pos; undefined (and pos unchanged) when it is a plain `$`. */
  private element(): Node | undefined {
    const rest = this.src.slice(this.pos + 1);
    let m = /^\d+/.exec(rest);
    if (m) {
      this.pos += 1 + m[0].length;
      return { type: 'tabstop', index: Number(m[0]), children: undefined };
    }
    m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(rest);
    if (m) {
      this.pos += 1 + m[0].length;
      return { type: 'variable', name: m[0], children: undefined };
    }
    if (rest[0] !== '{') return undefined;
    const start = this.pos;
    this.pos += 2;
    m = /^\d+/.exec(this.src.slice(this.pos));
    if (m) {
      const index = Number(m[0]);
      this.pos += m[0].length;
      const c = this.src[this.pos];
      if (c === '}') {
        this.pos += 1;
        return { type: 'tabstop', index, children: undefined };
      }
      if (c === ':') {
        this.pos += 1;
        const children = this.sequence(true);
        this.expect('}', start);
        return { type: 'tabstop', index, children };
      }
      if (c === '|') {
        this.pos += 1;
        const choices = this.choices(start);
        return { type: 'tabstop', index, children: [{ type: 'text', value: choices[0] }], choices };
      }
      throw new SnippetSyntaxError(`bad tabstop at ${start}`);
    }
    m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(this.src.slice(this.pos));
    if (!m) throw new SnippetSyntaxError(`bad element at ${start}: '${this.src.slice(start, start + 12)}'`);
    const name = m[0];
    this.pos += name.length;
    const c = this.src[this.pos];
    if (c === '}') {
      this.pos += 1;
      return { type: 'variable', name, children: undefined };
    }
    if (c === ':') {
      this.pos += 1;
      const children = this.sequence(true);
      this.expect('}', start);
      return { type: 'variable', name, children };
    }
    if (c === '/') {
      this.pos += 1;
      const regex = this.until('/');
      const format = this.until('/');
      const flags = this.until('}');
      return { type: 'variable', name, children: undefined, transform: { regex, format, flags } };
    }
    throw new SnippetSyntaxError(`bad variable at ${start}`);
  }

  private choices(start: number): string[] {
    const out: string[] = [];
    let cur = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && /[,|\\$}]/.test(this.src[this.pos + 1] ?? '')) {
        cur += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === ',') {
        out.push(cur);
        cur = '';
        this.pos += 1;
        continue;
      }
      if (ch === '|' && this.src[this.pos + 1] === '}') {
        out.push(cur);
        this.pos += 2;
        if (out.length === 0 || out.some((c) => c === '')) throw new SnippetSyntaxError(`empty choice at ${start}`);
        return out;
      }
      cur += ch;
      this.pos += 1;
    }
    throw new SnippetSyntaxError(`unterminated choice at ${start}`);
  }

  /** Raw text up to `end`; `${…}` groups of a format (`${1:/upcase}`) are kept whole. */
  private until(end: string): string {
    let out = '';
    let depth = 0;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length) {
        out += ch + this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      this.pos += 1;
      if (ch === '$' && this.src[this.pos] === '{') depth++;
      else if (ch === '}' && depth > 0) {
        depth--;
        out += ch;
        continue;
      }
      if (ch === end && depth === 0) return out;
      out += ch;
    }
    throw new SnippetSyntaxError(`unterminated transform, expected '${end}'`);
  }

  private expect(ch: string, start: number): void {
    if (this.src[this.pos] !== ch) throw new SnippetSyntaxError(`unterminated element at ${start}`);
    this.pos += 1;
  }
}

export function parseSnippet(body: string): Node[] {
  return new Parser(body).parse();
}

/** The body as one string (VS Code joins an array body with newlines). */
export function bodyText(body: string | string[]): string {
  return Array.isArray(body) ? body.join('\n') : body;
}

/** Every tabstop index in a parsed snippet (nested ones included). */
export function tabstops(nodes: Node[]): Array<{ index: number; hasDefault: boolean; choices?: string[] }> {
  const out: Array<{ index: number; hasDefault: boolean; choices?: string[] }> = [];
  const walk = (list: Node[]) => {
    for (const n of list) {
      if (n.type === 'tabstop') {
        out.push({ index: n.index, hasDefault: n.children !== undefined, choices: n.choices });
        if (n.children) walk(n.children);
      } else if (n.type === 'variable' && n.children) {
        walk(n.children);
      }
    }
  };
  walk(nodes);
  return out;
}

export interface ExpandOptions {
  variables?: Record<string, string>;
  /** What the user typed at a tabstop (by index): replaces its default in every linked occurrence. */
  values?: Record<number, string>;
}

/** The text VS Code inserts for the snippet when every tabstop keeps its default (or takes `values`). */
export function expandSnippet(body: string | string[], opts: ExpandOptions = {}): string {
  const nodes = parseSnippet(bodyText(body));
  const variables = opts.variables ?? TEST_VARIABLES;
  // The first occurrence of a tabstop with a default (placeholder or choice) defines the value of all of them.
  const defining = new Map<number, Node[]>();
  const find = (list: Node[]) => {
    for (const n of list) {
      if (n.type === 'tabstop' && n.children && !defining.has(n.index)) defining.set(n.index, n.children);
      if ((n.type === 'tabstop' || n.type === 'variable') && n.children) find(n.children);
    }
  };
  find(nodes);
  const resolving = new Set<number>();
  const render = (list: Node[]): string =>
    list
      .map((n) => {
        if (n.type === 'text') return n.value;
        if (n.type === 'tabstop') {
          if (n.index === 0) return n.children ? render(n.children) : '';
          if (opts.values && n.index in opts.values) return opts.values[n.index];
          const def = defining.get(n.index);
          if (!def || resolving.has(n.index)) return '';
          resolving.add(n.index);
          try {
            return render(def);
          } finally {
            resolving.delete(n.index);
          }
        }
        const value = variables[n.name];
        if (value === undefined) return n.children ? render(n.children) : n.name;
        if (n.transform) return transform(value, n.transform);
        if (value === '' && n.children) return render(n.children);
        return value;
      })
      .join('');
  return render(nodes);
}

function transform(value: string, t: { regex: string; format: string; flags: string }): string {
  const re = new RegExp(t.regex, t.flags);
  return value.replace(re, (...args) => {
    const groups = args.slice(0, -2) as string[];
    return t.format.replace(/\$(\d+)|\$\{(\d+)(?::\/(upcase|downcase|capitalize))?\}/g, (_, a, b, mod) => {
      const g = groups[Number(a ?? b)] ?? '';
      if (mod === 'upcase') return g.toUpperCase();
      if (mod === 'downcase') return g.toLowerCase();
      if (mod === 'capitalize') return g.charAt(0).toUpperCase() + g.slice(1);
      return g;
    });
  });
}
