/** What can go wrong talking to a cluster, in words a user can act on. */

export type LiveErrorKind =
  | 'config' // no kubeconfig, unknown context
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'http' // another HTTP error status
  | 'timeout' // a request or watch outlived its time
  | 'cancelled' // the run was cancelled
  | 'unreachable' // connection refused/reset/dropped, DNS
  | 'tls' // certificate problems
  | 'bad-response'; // not the JSON that was expected (truncated, wrong shape)

/** The request an error is about: `list pods in production`. */
export interface RequestInfo {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export function describeRequest(r: RequestInfo): string {
  const what = r.name ? `${r.resource} ${r.name}` : r.resource;
  return `${r.verb} ${what}${r.namespace ? ` in ${r.namespace}` : ''}`;
}

export class LiveError extends Error {
  constructor(
    readonly kind: LiveErrorKind,
    message: string,
    readonly status?: number,
    /** The server's own message (a Status message, a Prometheus error), when there is one. */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

/** A component the check needs is not installed: the check is skipped, not failed. */
export class SkipCheck extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkipCheck';
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_NOT_YET_VALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

function statusMessage(body: unknown): string | undefined {
  let b: any = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return b.trim().slice(0, 300) || undefined;
    }
  }
  if (b && typeof b === 'object' && typeof (b as any).message === 'string') return (b as any).message;
  return undefined;
}

/** An HTTP error status as a LiveError: `403: cannot list pods in production`. */
export function httpError(status: number, req: RequestInfo, body?: unknown): LiveError {
  const server = statusMessage(body);
  const what = describeRequest(req);
  switch (status) {
    case 401:
      return new LiveError('unauthorized', `401 Unauthorized: the cluster rejected the credentials (while trying to ${what})`, 401, server);
    case 403:
      return new LiveError('forbidden', `403: cannot ${what}`, 403, server);
    case 404:
      return new LiveError('not-found', `404: ${what}: not found`, 404, server);
    default:
      return new LiveError('http', `${status} from the API server while trying to ${what}${server ? `: ${server}` : ''}`, status, server);
  }
}

/** Any error from a request as a LiveError; `cancelled` and `timedOut` say which signal fired. */
export function classifyError(err: unknown, req: RequestInfo, how: { cancelled: boolean; timedOut: boolean; timeoutMs: number }): LiveError {
  if (err instanceof LiveError) return err;
  const e = err as any;
  const what = describeRequest(req);
  if (how.cancelled) return new LiveError('cancelled', `cancelled while trying to ${what}`);
  const code: number | undefined = typeof e?.code === 'number' ? e.code : undefined;
  if (code !== undefined && code >= 400) return httpError(code, req, e.body);
  if (how.timedOut || e?.name === 'AbortError' || e?.type === 'aborted' || e?.name === 'TimeoutError') {
    return new LiveError('timeout', `no answer within ${formatMs(how.timeoutMs)} while trying to ${what}`);
  }
  const sysCode: string | undefined = typeof e?.code === 'string' ? e.code : e?.errno ?? e?.cause?.code;
  if (sysCode && TLS_CODES.has(sysCode)) return new LiveError('tls', `TLS error talking to the API server (${sysCode}) while trying to ${what}: check the kubeconfig's certificate-authority`);
  if (e instanceof SyntaxError) return new LiveError('bad-response', `the API server's answer was not valid JSON while trying to ${what} (${e.message})`);
  const text = String(e?.message ?? e);
  if (/unexpected end of json|json at position|is not valid json|unexpected token/i.test(text)) {
    return new LiveError('bad-response', `the API server's answer was not valid JSON while trying to ${what}`);
  }
  if (e?.type === 'system' || sysCode || /socket hang up|ECONN|premature close|EPIPE|network|fetch failed|aborted/i.test(text)) {
    return new LiveError('unreachable', `cluster unreachable while trying to ${what}: ${sysCode ?? text}`);
  }
  return new LiveError('bad-response', `unexpected error while trying to ${what}: ${text}`);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
