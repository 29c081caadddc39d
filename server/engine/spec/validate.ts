/** Checks of single spec values shared by both spec forms (opex.yaml and markdown). Each returns why a value is wrong, or undefined. */
import { checkTimezone, parseVeleroCron } from '../cron';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes namespace or workload name (DNS-1123 label). */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it is ${name.length} characters long; Kubernetes allows at most 63`;
  if (!DNS_LABEL.test(name)) return 'Kubernetes names hold only lowercase letters, digits and `-`, and start and end with a letter or digit';
  return undefined;
}

/** A label key (optional DNS subdomain prefix and `/`, then a name of at most 63 characters). */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `the prefix \`${prefix}\` is no DNS subdomain`;
  }
  if (name.length === 0 || name.length > 63) return 'the name part of a label key is 1 to 63 characters';
  if (!LABEL_NAME.test(name)) return 'a label key holds letters, digits, `-`, `_` and `.`, and starts and ends with a letter or digit';
  return undefined;
}

/** A label value (empty, or at most 63 characters starting and ending with a letter or digit). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `the value is ${value.length} characters long; Kubernetes allows at most 63`;
  if (!LABEL_NAME.test(value)) return 'a label value holds letters, digits, `-`, `_` and `.`, and starts and ends with a letter or digit';
  return undefined;
}

/** An IANA time zone as Velero reads it ("UTC", "Europe/Berlin"; names are case-sensitive). */
export function timezoneProblem(tz: string): string | undefined {
  const check = checkTimezone(tz);
  return check.ok ? undefined : check.error;
}

/**
 * A cron the spec requires of the Velero Schedule: exactly five fields (minute hour day-of-month month
 * day-of-week) in the syntax Velero's cron library accepts (server/engine/cron.ts). Descriptors, `@every`
 * and a `CRON_TZ=` prefix are valid in a Schedule but not here: the spec's zone is `recovery.timezone`.
 */
export function cronProblem(expr: string, timezone = 'UTC'): string | undefined {
  const fields = expr.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 1 && fields[0].startsWith('@')) {
    return `\`${expr.trim()}\` is a descriptor; the spec's schedule is a 5-field cron such as "0 2 * * *" (@daily means "0 0 * * *")`;
  }
  if (fields.length > 0 && /^(?:CRON_)?TZ=/.test(fields[0])) return 'write the zone in `recovery.timezone`, not as a CRON_TZ= prefix';
  if (fields.length !== 5) {
    return `a cron has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}${fields.length === 6 ? ' (Velero has no seconds field)' : ''}`;
  }
  const parsed = parseVeleroCron(fields.join(' '), { defaultTimezone: checkTimezone(timezone).ok ? timezone : 'UTC' });
  return parsed.ok ? undefined : parsed.error;
}
