/**
 * Kubernetes label syntax, as the API server validates it (apimachinery's IsQualifiedName and
 * IsValidLabelValue): a key is an optional DNS-1123 subdomain prefix (≤ 253 characters) and `/`, then a
 * name of 1–63 characters; a value is empty or 1–63 characters. Names and values start and end with an
 * ASCII letter or digit and hold only letters, digits, `-`, `_` and `.` in between.
 */
import * as YAML from 'yaml';
import { replaceValue, scalarText } from './edit';
import type { NodePath, Resource } from './resource';
import type { TextEdit } from './types';

export const LABEL_NAME_MAX = 63;
export const LABEL_VALUE_MAX = 63;
export const LABEL_PREFIX_MAX = 253;

const NAME_CHARS = /^[A-Za-z0-9_.-]*$/;
const ALNUM = /^[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function show(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  return `\`${ch}\``;
}

/** What is wrong with a name (the part after `/`) or a value, or undefined when it is fine. */
function nameProblem(s: string, what: string, max: number): string | undefined {
  if (s.length > max) return `${what} is ${s.length} characters long; Kubernetes allows at most ${max}`;
  const bad = [...s].find((ch) => !NAME_CHARS.test(ch));
  if (bad !== undefined) return `${what} contains ${show(bad)}; only letters, digits, \`-\`, \`_\` and \`.\` are allowed`;
  if (!ALNUM.test(s[0])) return `${what} starts with ${show(s[0])}; it must start with a letter or digit`;
  if (!ALNUM.test(s[s.length - 1])) return `${what} ends with ${show(s[s.length - 1])}; it must end with a letter or digit`;
  return undefined;
}

/** Why a label key is invalid, or undefined when it is a valid qualified name. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'the key has more than one `/`; a key is an optional prefix, one `/` and a name';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) return 'the prefix before `/` is empty';
    if (prefix.length > LABEL_PREFIX_MAX) return `the prefix is ${prefix.length} characters long; a prefix is a DNS subdomain of at most ${LABEL_PREFIX_MAX}`;
    if (!SUBDOMAIN.test(prefix)) {
      const why = /[A-Z]/.test(prefix)
        ? 'it has upper-case letters'
        : /[^a-z0-9.-]/.test(prefix)
          ? `it contains ${show([...prefix].find((c) => !/[a-z0-9.-]/.test(c))!)}`
          : 'each dot-separated part must start and end with a letter or digit';
      return `the prefix \`${prefix}\` is not a DNS subdomain (lower-case letters, digits, \`-\` and \`.\`): ${why}`;
    }
    if (name.length === 0) return 'the name after `/` is empty';
  } else if (name.length === 0) {
    return 'the key is empty';
  }
  return nameProblem(name, parts.length === 2 ? 'the name after `/`' : 'the key', LABEL_NAME_MAX);
}

/** Why a label value is invalid, or undefined when it is valid (the empty string is). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return nameProblem(value, 'the value', LABEL_VALUE_MAX);
}

/**
 * Does the text hold a placeholder that a templating step replaces before the manifest is applied
 * (`${VAR}`, `{{ .x }}`, `{{uid}}`, `$(VAR)`)? Such text is not judged as a label.
 */
export function hasPlaceholder(s: string): boolean {
  return /\$\{[^}]*\}|\{\{.*\}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(s);
}

export function isValidLabelKey(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

export function isValidLabelValue(value: string): boolean {
  return labelValueProblem(value) === undefined;
}

/**
 * An edit that sets the label (or selector) value at `path` to `value`, keeping how it was quoted: a
 * double- or single-quoted value stays quoted that way; a plain one is quoted only when YAML would
 * otherwise read it as something else than a string.
 */
export function setLabelValue(res: Resource, path: NodePath, value: string): TextEdit | undefined {
  const l = res.lookup(path);
  if (!l.found || !l.node?.range) return undefined;
  let text = scalarText(value);
  if (YAML.isScalar(l.node)) {
    if (l.node.type === 'QUOTE_DOUBLE') text = JSON.stringify(value);
    else if (l.node.type === 'QUOTE_SINGLE') text = `'${value.replace(/'/g, "''")}'`;
  }
  return replaceValue(res, path, text);
}
