/** Label and field selectors in the query-string syntax the API server accepts. */

type Req =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export class SelectorError extends Error {}

function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseLabelSelector(text: string | null | undefined): Req[] {
  if (!text) return [];
  return splitTop(text).map((part): Req => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter(Boolean) };
    m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(part);
    if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
    m = /^!\s*([^\s!=]+)$/.exec(part);
    if (m) return { key: m[1], op: '!exists' };
    m = /^([^\s!=()]+)$/.exec(part);
    if (m) return { key: m[1], op: 'exists' };
    throw new SelectorError(`unable to parse requirement: ${part}`);
  });
}

export function labelsMatch(reqs: Req[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        return has && l[r.key] === r.value;
      case '!=':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}

export interface FieldReq {
  path: string[];
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldReq[] {
  if (!text) return [];
  return text.split(',').map((p) => p.trim()).filter(Boolean).map((part) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid field selector: ${part}`);
    return { path: m[1].split('.'), op: m[2] === '!=' ? '!=' : '=', value: m[3] } as FieldReq;
  });
}

export function fieldsMatch(reqs: FieldReq[], obj: any): boolean {
  return reqs.every((r) => {
    let v: any = obj;
    for (const k of r.path) v = v?.[k];
    const s = v === undefined || v === null ? '' : String(v);
    return r.op === '=' ? s === r.value : s !== r.value;
  });
}
