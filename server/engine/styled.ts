import type * as YAML from 'yaml';
import { scalarText } from './edit';

/**
 * The YAML text for a new string value that replaces an existing scalar, in the same quoting style (`'Off'` for a
 * single-quoted value, `"Off"` for a double-quoted one); a plain value stays plain unless it needs quotes.
 */
export function styledScalar(value: string, replacing?: YAML.Scalar | null): string {
  if (replacing?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (replacing?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  return scalarText(value);
}
