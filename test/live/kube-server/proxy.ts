/**
 * The API server's service proxy (`/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}`), answering
 * for the OpenCost and Prometheus services from fixtures.
 */

export interface PrometheusRule {
  /** A regular expression (source text) the PromQL query must match. */
  match: string;
  /** The sample value ("0", "245.3", "NaN"), or */
  value?: string;
  /** an empty result vector, or */
  empty?: boolean;
  /** an error answer (HTTP 400, `bad_data`). */
  error?: string;
}

export type ProxyBackend =
  | { kind: 'opencost'; allocation: unknown }
  | { kind: 'prometheus'; rules: PrometheusRule[] }
  | { kind: 'static'; status: number; body: string; contentType?: string };

export interface ProxyAnswer {
  status: number;
  body: string;
  contentType: string;
}

const json = (status: number, body: unknown): ProxyAnswer => ({ status, body: JSON.stringify(body), contentType: 'application/json' });

export function answerProxy(backend: ProxyBackend, path: string, query: URLSearchParams): ProxyAnswer {
  switch (backend.kind) {
    case 'static':
      return { status: backend.status, body: backend.body, contentType: backend.contentType ?? 'text/plain; charset=utf-8' };
    case 'opencost': {
      if (!/^\/?(allocation\/compute|allocation)$/.test(path)) return { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };
      if (!query.get('window')) return json(400, { code: 400, status: '', data: null, message: 'Error: missing window argument' });
      return json(200, backend.allocation);
    }
    case 'prometheus': {
      if (!/^\/?api\/v1\/query$/.test(path)) return { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };
      const q = query.get('query') ?? '';
      const time = query.get('time') ?? String(Date.now() / 1000);
      if (!q) return json(400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:1: parse error: no expression found in input' });
      const rule = backend.rules.find((r) => new RegExp(r.match).test(q));
      if (rule?.error) return json(400, { status: 'error', errorType: 'bad_data', error: rule.error });
      const result = !rule || rule.empty ? [] : [{ metric: {}, value: [Number(time), rule.value ?? '0'] }];
      return json(200, { status: 'success', data: { resultType: 'vector', result } });
    }
  }
}
