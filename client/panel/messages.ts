/**
 * The side panel's messages, both ways, and a validator for each: the page checks everything the extension sends,
 * the extension checks everything the page sends (a webview is a web page: treat its messages as input). No
 * run-time import of `vscode` or the DOM, so the page bundle and the extension share it and tests run it in Node.
 *
 * A validator returns a fresh object with only the known fields, or throws `MessageError` saying which field is
 * wrong; `parsePageMessage`/`parseHostMessage` return undefined instead of throwing.
 */

/** SC-001 … SC-010 (and later ones of the same form). */
export type CriterionId = `SC-${string}`;

export type RowStatus = 'PENDING' | 'RUNNING' | 'PASS' | 'FAIL' | 'SKIP' | 'ERROR';
export const ROW_STATUSES: readonly RowStatus[] = ['PENDING', 'RUNNING', 'PASS', 'FAIL', 'SKIP', 'ERROR'];

export interface PanelLink {
  kind: 'spec' | 'manifest';
  label: string;
  description: string;
}

export interface PanelTimelineStep {
  step: string;
  /** Seconds after the kill. */
  at: number;
  /** Seconds the step took. */
  took: number;
  detail: string;
}

/** SC-001: a pod that lacks cost labels or carries a wrong value. */
export interface PanelPod {
  name: string;
  lacks: string[];
  /** "team=platform (spec: product-team)". */
  wrong: string[];
}

export interface PanelRow {
  id: CriterionId;
  title: string;
  /** The criterion as the spec words it. */
  criterion: string;
  status: RowStatus;
  target: string;
  actual: string;
  durationMs: number | null;
  /** Why it failed, was skipped or errored. */
  reason: string;
  /** What it is doing now (RUNNING). */
  step: string;
  details: string[];
  disruptive: boolean;
  /** SC-008: the replacement pod's timeline, and the slowest step's name. */
  timeline: PanelTimelineStep[];
  slowest: string | null;
  /** SC-009/SC-010: the PromQL query. */
  query: string | null;
  pods: PanelPod[];
  /** Spec line first, then manifests; the page refers to them by index. */
  links: PanelLink[];
}

export interface PanelSummary {
  pass: number;
  fail: number;
  skip: number;
  error: number;
  total: number;
  durationMs: number;
  cancelled: boolean;
  context: string;
  server: string;
  finishedAt: string;
  allowDisruptive: boolean;
}

export interface PanelNotice {
  kind: 'info' | 'warning' | 'error';
  text: string;
  /** A button the notice offers. */
  action: 'trust' | 'createSpec' | 'output' | 'refresh' | null;
}

export interface PanelContext {
  name: string;
  server: string;
  current: boolean;
}

export interface PanelSpec {
  file: string;
  /** Relative path, for display. */
  label: string;
  service: string;
}

export interface PanelProgress {
  done: number;
  total: number;
  message: string;
}

export interface PanelState {
  /** The workspace is trusted; otherwise the panel only explains why it is off. */
  trusted: boolean;
  /** A run is in progress. */
  busy: boolean;
  /** The run in progress includes disruptive checks. */
  runningDisruptive: boolean;
  spec: PanelSpec | null;
  /** Every spec of the workspace (a picker when there are several). */
  specs: PanelSpec[];
  contexts: PanelContext[];
  /** The context the next run uses. */
  context: string | null;
  notice: PanelNotice | null;
  warnings: string[];
  progress: PanelProgress | null;
  rows: PanelRow[];
  summary: PanelSummary | null;
  /** What the disruptive checks would touch (for the button's tooltip). */
  disruptiveNamespaces: string[];
  canExport: boolean;
}

/** Page → extension. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'run'; disruptive: boolean; only: CriterionId[] | null }
  | { type: 'cancel' }
  | { type: 'context'; name: string }
  | { type: 'spec'; file: string }
  | { type: 'refresh' }
  | { type: 'open'; id: CriterionId; link: number }
  | { type: 'export' }
  | { type: 'action'; action: 'trust' | 'createSpec' | 'output' | 'refresh' };

/** Extension → page. */
export type HostMessage = { type: 'state'; state: PanelState } | { type: 'reveal'; id: CriterionId };

// ---- validators --------------------------------------------------------------------------------------------

export class MessageError extends Error {}

type Check<T> = (v: unknown, at: string) => T;

const fail = (at: string, what: string): never => {
  throw new MessageError(`${at}: ${what}`);
};

const MAX_TEXT = 20_000;

export const str = (max = MAX_TEXT): Check<string> => (v, at) => (typeof v === 'string' && v.length <= max ? v : fail(at, typeof v === 'string' ? `longer than ${max} characters` : 'not a string'));
export const bool: Check<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, 'not a boolean'));
export const num = (min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Check<number> => (v, at) =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fail(at, `not a number in [${min}, ${max}]`);
export const int = (min: number, max: number): Check<number> => (v, at) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(at, `not an integer in [${min}, ${max}]`));
export const oneOf = <T extends string>(values: readonly T[]): Check<T> => (v, at) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(at, `not one of ${values.join(', ')}`));
export const nullable = <T>(c: Check<T>): Check<T | null> => (v, at) => (v === null ? null : c(v, at));
export const array = <T>(c: Check<T>, max = 1000): Check<T[]> => (v, at) => {
  if (!Array.isArray(v)) return fail(at, 'not an array');
  if (v.length > max) return fail(at, `more than ${max} items`);
  return v.map((x, i) => c(x, `${at}[${i}]`));
};
export const criterionId: Check<CriterionId> = (v, at) => (typeof v === 'string' && /^SC-\d{3}$/.test(v) ? (v as CriterionId) : fail(at, 'not a criterion id (SC-001)'));

/** An object with exactly these fields (extra fields are refused, so a typo or a forged field is noticed). */
export function object<T>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
  return (v, at) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return fail(at, 'not an object');
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!Object.prototype.hasOwnProperty.call(shape, k)) fail(`${at}.${k}`, 'unknown field');
    const out = {} as T;
    for (const k of Object.keys(shape) as Array<keyof T & string>) out[k] = shape[k](o[k], `${at}.${k}`);
    return out;
  };
}

const link = object<PanelLink>({ kind: oneOf(['spec', 'manifest'] as const), label: str(500), description: str(1000) });
const timelineStep = object<PanelTimelineStep>({ step: str(40), at: num(0), took: num(0), detail: str(1000) });
const pod = object<PanelPod>({ name: str(253), lacks: array(str(317), 100), wrong: array(str(1000), 100) });

export const validateRow: Check<PanelRow> = object<PanelRow>({
  id: criterionId,
  title: str(200),
  criterion: str(2000),
  status: oneOf(ROW_STATUSES),
  target: str(1000),
  actual: str(1000),
  durationMs: nullable(num(0)),
  reason: str(),
  step: str(2000),
  details: array(str(), 500),
  disruptive: bool,
  timeline: array(timelineStep, 50),
  slowest: nullable(str(40)),
  query: nullable(str(10_000)),
  pods: array(pod, 1000),
  links: array(link, 100),
});

const summary = object<PanelSummary>({
  pass: int(0, 1000),
  fail: int(0, 1000),
  skip: int(0, 1000),
  error: int(0, 1000),
  total: int(0, 1000),
  durationMs: num(0),
  cancelled: bool,
  context: str(253),
  server: str(2000),
  finishedAt: str(40),
  allowDisruptive: bool,
});

const spec = object<PanelSpec>({ file: str(4096), label: str(4096), service: str(253) });

export const validateState: Check<PanelState> = object<PanelState>({
  trusted: bool,
  busy: bool,
  runningDisruptive: bool,
  spec: nullable(spec),
  specs: array(spec, 1000),
  contexts: array(object<PanelContext>({ name: str(253), server: str(2000), current: bool }), 1000),
  context: nullable(str(253)),
  notice: nullable(object<PanelNotice>({ kind: oneOf(['info', 'warning', 'error'] as const), text: str(), action: nullable(oneOf(['trust', 'createSpec', 'output', 'refresh'] as const)) })),
  warnings: array(str(), 100),
  progress: nullable(object<PanelProgress>({ done: int(0, 1000), total: int(0, 1000), message: str(2000) })),
  rows: array(validateRow, 100),
  summary: nullable(summary),
  disruptiveNamespaces: array(str(253), 20),
  canExport: bool,
});

const PAGE_MESSAGES: { [K in PageMessage['type']]: Check<Extract<PageMessage, { type: K }>> } = {
  ready: object({ type: oneOf(['ready'] as const) }),
  run: object({ type: oneOf(['run'] as const), disruptive: bool, only: nullable(array(criterionId, 100)) }),
  cancel: object({ type: oneOf(['cancel'] as const) }),
  context: object({ type: oneOf(['context'] as const), name: str(253) }),
  spec: object({ type: oneOf(['spec'] as const), file: str(4096) }),
  refresh: object({ type: oneOf(['refresh'] as const) }),
  open: object({ type: oneOf(['open'] as const), id: criterionId, link: int(0, 99) }),
  export: object({ type: oneOf(['export'] as const) }),
  action: object({ type: oneOf(['action'] as const), action: oneOf(['trust', 'createSpec', 'output', 'refresh'] as const) }),
};

const HOST_MESSAGES: { [K in HostMessage['type']]: Check<Extract<HostMessage, { type: K }>> } = {
  state: object({ type: oneOf(['state'] as const), state: validateState }),
  reveal: object({ type: oneOf(['reveal'] as const), id: criterionId }),
};

function dispatch<M extends { type: string }>(table: Record<string, Check<M>>, v: unknown, side: string): M {
  const type = v && typeof v === 'object' ? (v as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) return fail(`${side}.type`, `unknown message type ${JSON.stringify(type)}`);
  return table[type](v, side);
}

/** A message from the page, checked; throws MessageError. */
export function validatePageMessage(v: unknown): PageMessage {
  return dispatch(PAGE_MESSAGES as Record<string, Check<PageMessage>>, v, 'message');
}

/** A message from the extension, checked; throws MessageError. */
export function validateHostMessage(v: unknown): HostMessage {
  return dispatch(HOST_MESSAGES as Record<string, Check<HostMessage>>, v, 'message');
}

export function parsePageMessage(v: unknown): PageMessage | undefined {
  try {
    return validatePageMessage(v);
  } catch {
    return undefined;
  }
}

export function parseHostMessage(v: unknown): HostMessage | undefined {
  try {
    return validateHostMessage(v);
  } catch {
    return undefined;
  }
}
