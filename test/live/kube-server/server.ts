/**
 * A Kubernetes-API-compatible loopback server for tests and demos: HTTPS on 127.0.0.1 with a throwaway CA,
 * bearer-token auth with configurable 401/403 per resource, discovery, OpenAPI stubs, get/list/watch/create/
 * update/patch/delete, the service proxy, scripted controllers and fault injection. It stops by itself after
 * an idle time. No framework: node:https only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { testCerts } from './certs';
import { Controllers, DEFAULT_TIMINGS, type PodTimeline, type Timings } from './controllers';
import { loadFixtures } from './fixtures';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch';
import { answerProxy, type ProxyBackend } from './proxy';
import { apiVersionOf, Registry, typeKey, type ResourceType } from './registry';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { clone, rfc3339, Store, type StoreEvent } from './store';
import { toTable } from './table';

export const DEFAULT_FIXTURES = path.resolve(__dirname, '../../fixtures/cluster/task-api');
export const DEFAULT_TOKEN = 'opex-loopback-token';
export const DEFAULT_USER = 'system:serviceaccount:opex:verifier';

export interface AuthRule {
  /** Request verbs (get, list, watch, create, update, patch, delete, deletecollection); all when absent. */
  verb?: string | string[];
  /** Resource plural (`pods`, `schedules`, `services/proxy`); all when absent. */
  resource?: string;
  group?: string;
  namespace?: string;
  status: 401 | 403;
}

export interface Fault {
  method?: string;
  /** Substring or regular expression of the request path. */
  path?: string | RegExp;
  verb?: string;
  resource?: string;
  namespace?: string;
  /**
   * delay: answer after `ms`; hang: never answer; drop: close the connection without an answer;
   * status: answer `status` (default 500) with a Status; truncate: send half of the JSON body and end.
   */
  action: 'delay' | 'hang' | 'drop' | 'status' | 'truncate';
  ms?: number;
  status?: number;
  /** How many requests it applies to (default: all). */
  times?: number;
}

export interface RequestRecord {
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  status: number;
  user: string;
  userAgent: string;
  contentType: string;
  accept: string;
}

export interface FakeClusterOptions {
  /** Folder of YAML fixtures (default: the task-api example); false for an empty cluster. */
  fixtures?: string | false;
  timings?: Partial<Omit<Timings, 'pod' | 'restore'>> & { pod?: Partial<PodTimeline>; restore?: Partial<Timings['restore']> };
  /** Bearer tokens and the user each stands for. */
  tokens?: Record<string, string>;
  authz?: AuthRule[];
  faults?: Fault[];
  /** API groups to leave out (a cluster without that component's CRDs). */
  disabledGroups?: string[];
  /** Stop after this long without a request (default 2 minutes). */
  idleTimeoutMs?: number;
  port?: number;
  /** Do not keep the process alive for this server (tests). */
  unref?: boolean;
  gitVersion?: string;
}

export interface FakeCluster {
  url: string;
  port: number;
  token: string;
  caFile: string;
  /** A kubeconfig for this server (context `opex-loopback`, namespace production). */
  kubeconfigPath: string;
  store: Store;
  registry: Registry;
  controllers: Controllers;
  requests: RequestRecord[];
  proxies: Record<string, ProxyBackend>;
  authz: AuthRule[];
  faults: Fault[];
  /** Writes another kubeconfig (another token, context name or file). */
  writeKubeconfig(opts?: { token?: string; context?: string; file?: string; namespace?: string }): string;
  /** Requests that would change the cluster (anything but get/list/watch). */
  mutatingRequests(): RequestRecord[];
  /** The server goes away: the listener closes and every open connection is cut. */
  vanish(): Promise<void>;
  stop(): Promise<void>;
  /** Settles when the server has stopped (explicitly, by vanishing or after the idle timeout). */
  stopped: Promise<void>;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

type Route =
  | { type: 'version' | 'api' | 'apis' | 'health' | 'openapi-v2' | 'openapi-v3' | 'openapi-v3-doc' | 'unknown' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'proxy'; namespace: string; service: string; port: string; rest: string }
  | { type: 'resource'; group: string; version: string; namespace: string; plural: string; name: string; subresource: string };

function parseRoute(p: string, registry: Registry): Route {
  const segs = p.split('/').filter(Boolean).map(decodeURIComponent);
  if (p === '/version' || p === '/version/') return { type: 'version' };
  if (['healthz', 'livez', 'readyz'].includes(segs[0])) return { type: 'health' };
  if (segs[0] === 'openapi') {
    if (segs[1] === 'v2') return { type: 'openapi-v2' };
    if (segs[1] === 'v3') return segs.length === 2 ? { type: 'openapi-v3' } : { type: 'openapi-v3-doc' };
    return { type: 'unknown' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'api' };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
    if (rest.length === 0) return { type: 'groupVersion', group, version };
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'apis' };
    if (segs.length === 2) return { type: 'group', group: segs[1] };
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
    if (rest.length === 0) return { type: 'groupVersion', group, version };
  } else return { type: 'unknown' };

  if (rest[0] === 'namespaces' && rest.length >= 3 && registry.byPlural(group, version, rest[2])?.namespaced) {
    const [, namespace, plural, name = '', subresource = '', ...more] = rest;
    if (group === '' && plural === 'services' && subresource === 'proxy') {
      const parts = name.split(':');
      const [service, port] = parts.length === 3 ? [parts[1], parts[2]] : [parts[0], parts[1] ?? ''];
      return { type: 'proxy', namespace, service, port, rest: more.join('/') };
    }
    if (more.length) return { type: 'unknown' };
    return { type: 'resource', group, version, namespace, plural, name, subresource };
  }
  const [plural, name = '', subresource = '', ...more] = rest;
  if (more.length) return { type: 'unknown' };
  return { type: 'resource', group, version, namespace: '', plural, name, subresource };
}

function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
  409: 'AlreadyExists', 410: 'Expired', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

class HttpError extends Error {
  constructor(readonly code: number, message: string, readonly reason = REASONS[code] ?? 'Unknown', readonly details?: Record<string, unknown>) {
    super(message);
  }
}

function mergeTimings(o: FakeClusterOptions['timings']): Timings {
  return {
    ...DEFAULT_TIMINGS,
    ...(o ?? {}),
    pod: { ...DEFAULT_TIMINGS.pod, ...(o?.pod ?? {}) },
    restore: { ...DEFAULT_TIMINGS.restore, ...(o?.restore ?? {}) },
    podOverrides: { ...(o?.podOverrides ?? {}) },
  } as Timings;
}

/** Order in which fixture kinds are loaded (namespaces first, workloads before the things that watch them). */
const LOAD_ORDER = ['Namespace', 'ConfigMap', 'Service', 'StatefulSet', 'Deployment'];

export async function startFakeCluster(options: FakeClusterOptions = {}): Promise<FakeCluster> {
  const certs = testCerts();
  const registry = new Registry(new Set(options.disabledGroups ?? []));
  const store = new Store();
  const controllers = new Controllers(store, registry, mergeTimings(options.timings));
  const tokens = options.tokens ?? { [DEFAULT_TOKEN]: DEFAULT_USER };
  const token = Object.keys(tokens)[0] ?? DEFAULT_TOKEN;
  const requests: RequestRecord[] = [];
  const authz = [...(options.authz ?? [])];
  const faults = [...(options.faults ?? [])];
  const proxies: Record<string, ProxyBackend> = {};
  const gitVersion = options.gitVersion ?? 'v1.32.4';

  // ---- state --------------------------------------------------------------------------------------------
  if (options.fixtures !== false) {
    const fx = loadFixtures(options.fixtures ?? DEFAULT_FIXTURES);
    Object.assign(proxies, fx.proxies);
    const rank = (o: any) => {
      const i = LOAD_ORDER.indexOf(o.kind);
      return i === -1 ? LOAD_ORDER.length : i;
    };
    for (const obj of [...fx.objects].sort((a, b) => rank(a) - rank(b))) {
      const t = registry.byKind(obj.apiVersion, obj.kind);
      if (!t) continue; // a disabled group: the cluster has no such CRD
      if (t.namespaced) obj.metadata.namespace ??= 'default';
      store.create(t, obj, { keepTimestamps: true });
    }
  }
  controllers.initial = false;

  // ---- server -------------------------------------------------------------------------------------------
  const sockets = new Set<Socket>();
  const watches = new Set<ServerResponse>();
  let stopping = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const idleMs = options.idleTimeoutMs ?? 120_000;
  let idleTimer: NodeJS.Timeout | undefined;
  const touch = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void stop(), idleMs);
    if (options.unref) idleTimer.unref();
  };

  const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    touch();
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, statusBody(500, 'InternalError', String(err?.message ?? err)));
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);

  function sendJson(res: ServerResponse, code: number, body: unknown, truncate = false): void {
    const text = JSON.stringify(body);
    const rec = (res as any).record as RequestRecord | undefined;
    if (rec) rec.status = code;
    res.statusCode = code;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-cache, private');
    res.setHeader('Audit-Id', randomBytes(16).toString('hex'));
    if (truncate) {
      res.write(text.slice(0, Math.floor(text.length / 2)));
      res.end();
      return;
    }
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  }

  function sendError(res: ServerResponse, e: HttpError, truncate = false): void {
    sendJson(res, e.code, statusBody(e.code, e.reason, e.message, e.details), truncate);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function parseBody(text: string, contentType: string): any {
    if (!text.trim()) return undefined;
    try {
      return /yaml/.test(contentType) ? YAML.parse(text) : JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${(e as Error).message})`);
    }
  }

  function verbOf(method: string, route: Route, query: URLSearchParams): string {
    if (route.type === 'proxy') return method.toLowerCase() === 'get' ? 'get' : method.toLowerCase();
    const named = route.type === 'resource' && route.name !== '';
    switch (method) {
      case 'GET':
      case 'HEAD':
        if (query.get('watch') === 'true' || query.get('watch') === '1') return 'watch';
        return named ? 'get' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return named ? 'delete' : 'deletecollection';
      default:
        return method.toLowerCase();
    }
  }

  function findFault(rec: RequestRecord): Fault | undefined {
    for (const f of faults) {
      if (f.times !== undefined && f.times <= 0) continue;
      if (f.method && f.method !== rec.method) continue;
      if (f.verb && f.verb !== rec.verb) continue;
      if (f.resource && f.resource !== rec.resource && f.resource !== `${rec.resource}/${rec.subresource}`) continue;
      if (f.namespace && f.namespace !== rec.namespace) continue;
      if (f.path && !(typeof f.path === 'string' ? rec.path.includes(f.path) : f.path.test(rec.path))) continue;
      if (f.times !== undefined) f.times--;
      return f;
    }
    return undefined;
  }

  function forbiddenMessage(rec: RequestRecord): string {
    const res = rec.group ? `${rec.resource}.${rec.group}` : rec.resource;
    const subject = rec.name ? `${res} "${rec.name}"` : res;
    const resource = rec.subresource ? `${rec.resource}/${rec.subresource}` : rec.resource;
    const scope = rec.namespace ? `in the namespace "${rec.namespace}"` : 'at the cluster scope';
    return `${subject} is forbidden: User "${rec.user}" cannot ${rec.verb} resource "${resource}" in API group "${rec.group}" ${scope}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const route = parseRoute(url.pathname, registry);
    const query = url.searchParams;
    const verb = verbOf(req.method ?? 'GET', route, query);
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const user = auth ? tokens[auth[1].trim()] : undefined;
    const rec: RequestRecord = {
      time: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(query.entries()),
      verb,
      group: route.type === 'resource' ? route.group : '',
      resource: route.type === 'resource' ? route.plural : route.type === 'proxy' ? 'services' : '',
      subresource: route.type === 'resource' ? route.subresource : route.type === 'proxy' ? 'proxy' : '',
      namespace: route.type === 'resource' || route.type === 'proxy' ? route.namespace : '',
      name: route.type === 'resource' ? route.name : route.type === 'proxy' ? route.service : '',
      status: 0,
      user: user ?? '',
      userAgent: String(req.headers['user-agent'] ?? ''),
      contentType: String(req.headers['content-type'] ?? ''),
      accept: String(req.headers.accept ?? ''),
    };
    requests.push(rec);
    (res as any).record = rec;

    const fault = findFault(rec);
    let truncate = false;
    if (fault) {
      switch (fault.action) {
        case 'drop':
          rec.status = -1;
          req.socket.destroy();
          return;
        case 'hang':
          rec.status = -2;
          return;
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
          if (req.socket.destroyed) return;
          break;
        case 'status': {
          const code = fault.status ?? 500;
          await readBody(req);
          sendError(res, new HttpError(code, code === 500 ? 'Internal error occurred: injected fault' : `injected fault ${code}`));
          return;
        }
        case 'truncate':
          truncate = true;
          break;
      }
    }

    const open = route.type === 'version' || route.type === 'health';
    if (!open && !user) {
      await readBody(req);
      sendError(res, new HttpError(401, 'Unauthorized'));
      return;
    }
    if (route.type === 'resource' || route.type === 'proxy') {
      const rule = authz.find((r) => {
        const verbs = r.verb === undefined ? undefined : Array.isArray(r.verb) ? r.verb : [r.verb];
        if (verbs && !verbs.includes(verb)) return false;
        const resource = rec.subresource ? `${rec.resource}/${rec.subresource}` : rec.resource;
        if (r.resource && r.resource !== rec.resource && r.resource !== resource) return false;
        if (r.group !== undefined && r.group !== rec.group) return false;
        if (r.namespace && r.namespace !== rec.namespace) return false;
        return true;
      });
      if (rule) {
        await readBody(req);
        if (rule.status === 401) sendError(res, new HttpError(401, 'Unauthorized'));
        else sendError(res, new HttpError(403, forbiddenMessage(rec), 'Forbidden', { name: rec.name || undefined, group: rec.group, kind: rec.resource }));
        return;
      }
    }

    try {
      await dispatch(req, res, route, query, verb, truncate);
    } catch (e) {
      if (e instanceof HttpError) sendError(res, e, truncate);
      else if (e instanceof SelectorError) sendError(res, new HttpError(400, e.message), truncate);
      else if (e instanceof PatchError) sendError(res, new HttpError(422, e.message), truncate);
      else throw e;
    }
  }

  // ---- discovery ----------------------------------------------------------------------------------------
  function resourceList(group: string, version: string) {
    const types = registry.types().filter((t) => t.group === group && t.version === version);
    if (types.length === 0) throw new HttpError(404, '404 page not found', 'NotFound');
    const resources: any[] = [];
    for (const t of types) {
      resources.push({
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
        ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length ? { categories: t.categories } : {}),
        storageVersionHash: Buffer.from(typeKey(t)).toString('base64').slice(0, 11),
      });
      for (const sub of t.subresources) resources.push({ name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
      if (t.plural === 'services') resources.push({ name: 'services/proxy', singularName: '', namespaced: true, kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
      if (t.plural === 'deployments') resources.push({ name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }

  function groupDoc(name: string, versions: string[]) {
    const v = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: v, preferredVersion: v[0] };
  }

  /** A minimal OpenAPI v2 document: enough for kubectl to find no schema and fall back to its built-in ones. */
  function openapiV2() {
    return { swagger: '2.0', info: { title: 'Kubernetes', version: gitVersion }, paths: {}, definitions: {} };
  }

  function openapiV3Index() {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    const add = (p: string) => (paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${Buffer.from(p).toString('hex').slice(0, 16).toUpperCase()}` });
    add('api');
    add('api/v1');
    add('apis');
    for (const g of registry.groups()) {
      add(`apis/${g.name}`);
      for (const v of g.versions) add(`apis/${g.name}/${v}`);
    }
    return { paths };
  }

  /**
   * The OpenAPI v3 document of one group version: every resource's operations, each PATCH listing the
   * `fieldValidation` parameter (kubectl apply checks for it to choose server-side field validation),
   * and a loose schema per kind.
   */
  function openapiV3Doc(p: string) {
    const segs = p.split('/').filter(Boolean).slice(2);
    const [group, version] = segs[0] === 'api' ? ['', segs[1]] : [segs[1] ?? '', segs[2]];
    const types = registry.types().filter((t) => t.group === group && t.version === version);
    if (types.length === 0 || !version) throw new HttpError(404, '404 page not found', 'NotFound');
    const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const schemaName = (t: ResourceType) => `${group ? group.split('.').reverse().join('.') : 'io.k8s.api.core'}.${version}.${t.kind}`;
    const param = (name: string, inWhere = 'query', required = false) => ({ name, in: inWhere, ...(required ? { required: true } : {}), schema: { type: 'string', uniqueItems: true } });
    const ok = (t: ResourceType) => ({ '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName(t)}` } } } } });
    const paths: Record<string, any> = {};
    const schemas: Record<string, any> = {};
    for (const t of types) {
      const gvk = { group, version, kind: t.kind };
      const op = (action: string, params: any[]) => ({ operationId: `${action}${t.kind}`, tags: [group || 'core'], parameters: params, responses: ok(t), 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk });
      const base = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
      const scope = t.namespaced ? [param('namespace', 'path', true)] : [];
      paths[base] = {
        get: op('list', [param('labelSelector'), param('fieldSelector'), param('resourceVersion'), param('watch'), param('limit')]),
        post: op('post', [param('dryRun'), param('fieldManager'), param('fieldValidation')]),
        parameters: [...scope, param('pretty')],
      };
      paths[`${base}/{name}`] = {
        get: op('get', []),
        put: op('put', [param('dryRun'), param('fieldManager'), param('fieldValidation')]),
        patch: op('patch', [param('dryRun'), param('fieldManager'), param('fieldValidation'), param('force')]),
        delete: op('delete', [param('dryRun'), param('gracePeriodSeconds'), param('propagationPolicy')]),
        parameters: [param('name', 'path', true), ...scope, param('pretty')],
      };
      schemas[schemaName(t)] = {
        type: 'object',
        description: `${t.kind} (schema kept loose by the loopback server)`,
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object' }, status: { type: 'object' } },
        'x-kubernetes-group-version-kind': [gvk],
      };
    }
    return { openapi: '3.0.0', info: { title: 'Kubernetes', version: gitVersion }, paths, components: { schemas } };
  }

  // ---- resources ----------------------------------------------------------------------------------------
  function typeFor(route: Extract<Route, { type: 'resource' }>): ResourceType {
    const t = registry.byPlural(route.group, route.version, route.plural);
    if (!t) throw new HttpError(404, '404 page not found', 'NotFound');
    return t;
  }

  function notFound(t: ResourceType, name: string): HttpError {
    const res = t.group ? `${t.plural}.${t.group}` : t.plural;
    return new HttpError(404, `${res} "${name}" not found`, 'NotFound', { name, group: t.group, kind: t.plural });
  }

  function nsType(): ResourceType {
    return registry.byPlural('', 'v1', 'namespaces')!;
  }

  function checkNamespace(ns: string, forCreate: boolean): void {
    const n = store.get(nsType(), '', ns);
    if (!n) throw new HttpError(404, `namespaces "${ns}" not found`, 'NotFound', { name: ns, kind: 'namespaces' });
    if (forCreate && n.status?.phase === 'Terminating') {
      throw new HttpError(403, `unable to create new content in namespace ${ns} because it is being terminated`, 'Forbidden');
    }
  }

  function listOut(t: ResourceType, items: any[]) {
    const builtIn = ['', 'apps', 'batch'].includes(t.group);
    return {
      kind: t.listKind,
      apiVersion: apiVersionOf(t),
      metadata: { resourceVersion: store.resourceVersion },
      items: builtIn ? items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) : items,
    };
  }

  function wantsTable(req: IncomingMessage): boolean {
    return /as=Table/.test(String(req.headers.accept ?? ''));
  }

  function prepareNew(t: ResourceType, body: any, ns: string): any {
    if (!body || typeof body !== 'object') throw new HttpError(400, 'the body of the request was empty');
    if (body.kind && body.kind !== t.kind) throw new HttpError(400, `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(t)})`);
    const obj = clone(body);
    obj.metadata ??= {};
    if (t.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw new HttpError(400, 'the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns;
    }
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    }
    if (!obj.metadata.name) throw new HttpError(422, `${t.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(obj.metadata.name) || obj.metadata.name.length > 253) {
      throw new HttpError(422, `${t.kind} "${obj.metadata.name}" is invalid: metadata.name: Invalid value: "${obj.metadata.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
    }
    if (t.kind === 'Namespace') {
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      obj.status = { phase: 'Active' };
    }
    if (t.kind === 'Service') {
      obj.spec ??= {};
      obj.spec.type ??= 'ClusterIP';
      obj.spec.clusterIP ??= `10.96.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
      obj.spec.clusterIPs ??= [obj.spec.clusterIP];
      obj.spec.ports = (obj.spec.ports ?? []).map((p: any) => ({ protocol: 'TCP', targetPort: p.port, ...p }));
      obj.spec.sessionAffinity ??= 'None';
      obj.status ??= { loadBalancer: {} };
    }
    if (t.kind === 'Deployment') {
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.progressDeadlineSeconds ??= 600;
      obj.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
    }
    if (t.kind === 'Pod' || t.kind === 'Deployment') delete obj.status;
    return obj;
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams, verb: string, truncate: boolean): Promise<void> {
    const send = (code: number, body: unknown) => sendJson(res, code, body, truncate);
    switch (route.type) {
      case 'version':
        return send(200, {
          major: '1', minor: gitVersion.split('.')[1] ?? '32', gitVersion, gitCommit: '6b0c9b3b1a0d5d5f0c4f6e2d6d1c8b2f0e5c7a91', gitTreeState: 'clean',
          buildDate: '2025-04-22T16:03:01Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64',
        });
      case 'health':
        res.statusCode = 200;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        (res as any).record.status = 200;
        res.end('ok');
        return;
      case 'api':
        return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] });
      case 'apis':
        return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => groupDoc(g.name, g.versions)) });
      case 'group': {
        const g = registry.groups().find((x) => x.name === route.group);
        if (!g) throw new HttpError(404, '404 page not found', 'NotFound');
        return send(200, { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g.name, g.versions) });
      }
      case 'groupVersion':
        return send(200, resourceList(route.group, route.version));
      case 'openapi-v2':
        if (/protobuf/.test(String(req.headers.accept ?? ''))) {
          // An openapi_v2.Document in protobuf wire format holding only `swagger: "2.0"` (field 1): no
          // definitions, so kubectl computes patches from its built-in types.
          const body = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);
          (res as any).record.status = 200;
          res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'Content-Length': body.length });
          res.end(body);
          return;
        }
        return send(200, openapiV2());
      case 'openapi-v3':
        return send(200, openapiV3Index());
      case 'openapi-v3-doc':
        return send(200, openapiV3Doc(new URL(req.url ?? '/', 'https://127.0.0.1').pathname));
      case 'unknown':
        throw new HttpError(404, '404 page not found', 'NotFound');
      case 'proxy':
        return proxy(req, res, route, query, truncate);
      case 'resource':
        break;
    }
    const t = typeFor(route);
    const ns = route.namespace;
    const contentType = String(req.headers['content-type'] ?? 'application/json');
    const dryRun = query.getAll('dryRun').includes('All');

    if (verb === 'watch') return watch(req, res, t, ns, query);

    if (verb === 'list') {
      if (ns) checkNamespaceExistsForList(ns);
      const labels = parseLabelSelector(query.get('labelSelector'));
      const fields = parseFieldSelector(query.get('fieldSelector'));
      const items = store.list(t, ns || undefined).filter((o) => labelsMatch(labels, o.metadata.labels) && fieldsMatch(fields, o));
      return send(200, wantsTable(req) ? toTable(t, items, store.resourceVersion) : listOut(t, items));
    }

    if (verb === 'get') {
      const obj = store.get(t, ns, route.name);
      if (!obj) throw notFound(t, route.name);
      return send(200, wantsTable(req) ? toTable(t, [obj], obj.metadata.resourceVersion) : obj);
    }

    if (verb === 'create') {
      if (t.namespaced) checkNamespace(ns, true);
      const obj = prepareNew(t, parseBody(await readBody(req), contentType), ns);
      if (store.has(t, ns, obj.metadata.name)) {
        const res2 = t.group ? `${t.plural}.${t.group}` : t.plural;
        throw new HttpError(409, `${res2} "${obj.metadata.name}" already exists`, 'AlreadyExists', { name: obj.metadata.name, group: t.group, kind: t.plural });
      }
      if (dryRun) return send(201, { ...obj, apiVersion: apiVersionOf(t), kind: t.kind, metadata: { ...obj.metadata, uid: 'dry-run', creationTimestamp: rfc3339() } });
      return send(201, store.create(t, obj));
    }

    if (verb === 'update') {
      const body = parseBody(await readBody(req), contentType);
      const cur = store.get(t, ns, route.name);
      if (!cur) throw notFound(t, route.name);
      if (body?.metadata?.resourceVersion && body.metadata.resourceVersion !== cur.metadata.resourceVersion) {
        throw new HttpError(409, `Operation cannot be fulfilled on ${t.plural} "${route.name}": the object has been modified; please apply your changes to the latest version and try again`, 'Conflict');
      }
      const next = route.subresource === 'status' ? { ...cur, status: body.status } : { ...body, status: cur.status, metadata: { ...body.metadata, namespace: cur.metadata.namespace } };
      if (dryRun) return send(200, next);
      return send(200, store.update(t, next));
    }

    if (verb === 'patch') {
      const text = await readBody(req);
      const cur = store.get(t, ns, route.name);
      const ct = contentType.split(';')[0].trim();
      if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+cbor') {
        if (!query.get('fieldManager')) throw new HttpError(400, 'PATCH /' + t.plural + ': fieldManager is required for apply requests');
        const applied = parseBody(text, 'yaml');
        if (!cur) {
          if (t.namespaced) checkNamespace(ns, true);
          const obj = prepareNew(t, { ...applied, metadata: { ...(applied?.metadata ?? {}), name: route.name } }, ns);
          return send(201, dryRun ? obj : store.create(t, obj));
        }
        const merged = strategicMergePatch(cur, applied);
        return send(200, dryRun ? merged : store.update(t, merged));
      }
      if (!cur) throw notFound(t, route.name);
      const patch = parseBody(text, 'json');
      let next: any;
      if (ct === 'application/merge-patch+json') next = mergePatch(cur, patch);
      else if (ct === 'application/strategic-merge-patch+json') {
        if (!['', 'apps', 'batch'].includes(t.group)) {
          throw new HttpError(415, 'strategic merge patch is not supported for custom resources; use a JSON merge patch', 'UnsupportedMediaType');
        }
        next = strategicMergePatch(cur, patch);
      } else if (ct === 'application/json-patch+json') next = jsonPatch(cur, patch);
      else throw new HttpError(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`, 'UnsupportedMediaType');
      next.metadata = { ...next.metadata, name: cur.metadata.name, namespace: cur.metadata.namespace, uid: cur.metadata.uid };
      if (route.subresource === 'status') next = { ...cur, status: next.status };
      return send(200, dryRun ? next : store.update(t, next));
    }

    if (verb === 'delete') {
      const body = parseBody(await readBody(req), 'json') ?? {};
      const cur = store.get(t, ns, route.name);
      if (!cur) throw notFound(t, route.name);
      const uidPre = body.preconditions?.uid;
      if (uidPre && uidPre !== cur.metadata.uid) throw new HttpError(409, `Precondition failed: UID in precondition: ${uidPre}, UID in object meta: ${cur.metadata.uid}`, 'Conflict');
      if (dryRun) return send(200, cur);
      const graceQ = query.get('gracePeriodSeconds');
      const grace = body.gracePeriodSeconds ?? (graceQ !== null ? Number(graceQ) : undefined);
      if (t.kind === 'Pod') return send(200, controllers.terminatePod(ns, route.name, grace ?? cur.spec?.terminationGracePeriodSeconds ?? 30));
      if (t.kind === 'Namespace') return send(200, controllers.terminateNamespace(route.name));
      store.remove(t, ns, route.name);
      return send(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: route.name, group: t.group, kind: t.plural, uid: cur.metadata.uid } });
    }

    if (verb === 'deletecollection') {
      const labels = parseLabelSelector(query.get('labelSelector'));
      const gone = store.list(t, ns || undefined).filter((o) => labelsMatch(labels, o.metadata.labels));
      for (const o of gone) store.remove(t, o.metadata.namespace ?? '', o.metadata.name);
      return send(200, listOut(t, gone));
    }
    throw new HttpError(405, `the server does not allow this method on the requested resource`, 'MethodNotAllowed');
  }

  function checkNamespaceExistsForList(_ns: string): void {
    // A real API server lists an absent namespace as empty; nothing to check.
  }

  function watch(req: IncomingMessage, res: ServerResponse, t: ResourceType, ns: string, query: URLSearchParams): void {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    const key = typeKey(t);
    const matches = (ev: StoreEvent) => ev.key === key && (!ns || ev.namespace === ns) && labelsMatch(labels, ev.object.metadata.labels) && fieldsMatch(fields, ev.object);
    const rec = (res as any).record as RequestRecord;
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const send = (type: string, object: unknown) => {
      if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const rvText = query.get('resourceVersion');
    if (!rvText || rvText === '0') {
      for (const o of store.list(t, ns || undefined)) if (labelsMatch(labels, o.metadata.labels) && fieldsMatch(fields, o)) send('ADDED', o);
    } else {
      const past = store.since(Number(rvText));
      if (!past) {
        send('ERROR', statusBody(410, 'Expired', `too old resource version: ${rvText} (${store.resourceVersion})`));
        res.end();
        return;
      }
      for (const ev of past) if (matches(ev)) send(ev.type, ev.object);
    }
    const listener = (ev: StoreEvent) => {
      if (matches(ev)) send(ev.type, ev.object);
    };
    store.on('event', listener);
    watches.add(res);
    const timeoutS = Number(query.get('timeoutSeconds') ?? 0);
    const timer = timeoutS > 0 ? setTimeout(() => res.end(), timeoutS * 1000) : undefined;
    const done = () => {
      store.off('event', listener);
      watches.delete(res);
      if (timer) clearTimeout(timer);
    };
    res.on('close', done);
    req.on('close', done);
  }

  async function proxy(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { type: 'proxy' }>, query: URLSearchParams, truncate: boolean): Promise<void> {
    await readBody(req);
    const svcType = registry.byPlural('', 'v1', 'services')!;
    const svc = store.get(svcType, route.namespace, route.service);
    if (!svc) throw notFound(svcType, route.service);
    const ports: any[] = svc.spec?.ports ?? [];
    if (route.port && !ports.some((p) => String(p.port) === route.port || p.name === route.port)) {
      throw new HttpError(503, `no endpoints available for service "${route.service}:${route.port}"`, 'ServiceUnavailable');
    }
    const backend = proxies[`${route.namespace}/${route.service}`];
    if (!backend) throw new HttpError(503, `no endpoints available for service "${route.service}"`, 'ServiceUnavailable');
    const answer = answerProxy(backend, route.rest, query);
    const rec = (res as any).record as RequestRecord;
    rec.status = answer.status;
    res.statusCode = answer.status;
    res.setHeader('Content-Type', answer.contentType);
    res.end(truncate ? answer.body.slice(0, Math.floor(answer.body.length / 2)) : answer.body);
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  if (options.unref) server.unref();
  touch();
  const url = `https://127.0.0.1:${port}`;
  const kubeDir = mkdtempSync(path.join(tmpdir(), 'opex-kubeconfig-'));

  function writeKubeconfig(opts: { token?: string; context?: string; file?: string; namespace?: string } = {}): string {
    const context = opts.context ?? 'opex-loopback';
    const file = opts.file ?? path.join(kubeDir, `${context}.yaml`);
    const doc = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'opex-loopback', cluster: { server: url, 'certificate-authority-data': Buffer.from(certs.ca).toString('base64') } }],
      users: [{ name: `${context}-user`, user: { token: opts.token ?? token } }],
      contexts: [{ name: context, context: { cluster: 'opex-loopback', user: `${context}-user`, namespace: opts.namespace ?? 'production' } }],
      'current-context': context,
      preferences: {},
    };
    writeFileSync(file, YAML.stringify(doc), { mode: 0o600 });
    return file;
  }
  const kubeconfigPath = writeKubeconfig();

  async function vanish(): Promise<void> {
    if (stopping) return stopped;
    stopping = true;
    if (idleTimer) clearTimeout(idleTimer);
    controllers.stop();
    for (const w of watches) w.destroy();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    resolveStopped();
  }

  async function stop(): Promise<void> {
    await vanish();
    rmSync(kubeDir, { recursive: true, force: true });
  }

  return {
    url,
    port,
    token,
    caFile: certs.caFile,
    kubeconfigPath,
    store,
    registry,
    controllers,
    requests,
    proxies,
    authz,
    faults,
    writeKubeconfig,
    mutatingRequests: () => requests.filter((r) => !READ_VERBS.has(r.verb)),
    vanish,
    stop,
    stopped,
  };
}
