/**
 * Cluster access for the live checks, on @kubernetes/client-node: the kubeconfig (KUBECONFIG, ~/.kube/config or
 * in-cluster; the current or a chosen context; every auth method the library supports), typed API clients for
 * reads and writes, and the library's own TLS/auth options for the two streaming paths (watch, service proxy).
 * Every request has a timeout and follows the run's AbortSignal; writes are refused unless the caller allows them.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type {
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CoreV1Event,
  CustomObjectsApi,
  KubeConfig,
  V1Deployment,
  V1Namespace,
  V1Pod,
  V1Service,
  V1StatefulSet,
  VersionApi,
} from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { classifyError, describeRequest, httpError, LiveError, type RequestInfo } from './errors';

/** @kubernetes/client-node 1.x is an ES module; this CommonJS code loads it with a dynamic import, once. */
const loadClient = () => import('@kubernetes/client-node');
let clientPromise: ReturnType<typeof loadClient> | undefined;
export function kubeClientLibrary(): ReturnType<typeof loadClient> {
  return (clientPromise ??= loadClient());
}

/** How the checks show up in the API server's audit log. */
export const USER_AGENT = `opex-verify (${process.platform}/${process.arch}) @kubernetes/client-node`;

export interface KubeTarget {
  kc: KubeConfig;
  context: string;
  server: string;
}

/**
 * Loads a kubeconfig the way kubectl finds it (an explicit file, else KUBECONFIG's files merged, else
 * ~/.kube/config, else the in-cluster service account) and selects a context.
 */
export async function loadKubeConfig(opts: { kubeconfig?: string; context?: string } = {}): Promise<KubeTarget> {
  const lib = await kubeClientLibrary();
  const kc = new lib.KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new LiveError('config', `cannot read the kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(e as Error).message}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const names = kc.getContexts().map((c) => c.name);
      throw new LiveError('config', `the kubeconfig has no context "${opts.context}"${names.length ? ` (contexts: ${names.join(', ')})` : ''}`);
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!kc.getCurrentContext() || !cluster) {
    throw new LiveError('config', 'no cluster to talk to: the kubeconfig has no current context (set one, or pass --context)');
  }
  return { kc, context: kc.getCurrentContext(), server: cluster.server };
}

/** The contexts of a kubeconfig, for a context picker (the side panel); `current` marks its current context. */
export async function listContexts(kubeconfig?: string): Promise<Array<{ name: string; cluster: string; server?: string; namespace?: string; current: boolean }>> {
  const lib = await kubeClientLibrary();
  const kc = new lib.KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new LiveError('config', `cannot read the kubeconfig${kubeconfig ? ` ${kubeconfig}` : ''}: ${(e as Error).message}`);
  }
  const current = kc.getCurrentContext();
  return kc.getContexts().map((c) => ({
    name: c.name,
    cluster: c.cluster,
    server: kc.getCluster(c.cluster)?.server,
    ...(c.namespace ? { namespace: c.namespace } : {}),
    current: c.name === current,
  }));
}

/** A request the checks made, for the report's debugging and for the tests. */
export interface RequestLog {
  method: string;
  what: string;
  ms: number;
  outcome: string;
}

export interface KubeOptions {
  requestTimeoutMs: number;
  /** The run's signal: cancelling it aborts every request in flight. */
  signal: AbortSignal;
  /** May this client change the cluster? Checked before every write. */
  allowWrites: boolean;
}

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: any };

export class Kube {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  private readonly apis: ApisApi;
  private readonly versionApi: VersionApi;
  private groupsPromise?: Promise<Map<string, string[]>>;
  log: RequestLog[] = [];

  private constructor(
    readonly target: KubeTarget,
    readonly options: KubeOptions,
    private readonly lib: Awaited<ReturnType<typeof loadClient>>,
  ) {
    const kc = target.kc;
    this.core = kc.makeApiClient(lib.CoreV1Api);
    this.apps = kc.makeApiClient(lib.AppsV1Api);
    this.custom = kc.makeApiClient(lib.CustomObjectsApi);
    this.apis = kc.makeApiClient(lib.ApisApi);
    this.versionApi = kc.makeApiClient(lib.VersionApi);
  }

  static async create(target: KubeTarget, options: KubeOptions): Promise<Kube> {
    return new Kube(target, options, await kubeClientLibrary());
  }

  /** The same cluster, with another signal, timeout or write permission (cleanup runs with its own signal). */
  with(options: Partial<KubeOptions>): Kube {
    const k = new Kube(this.target, { ...this.options, ...options }, this.lib);
    k.groupsPromise = this.groupsPromise;
    k.log = this.log;
    return k;
  }

  get cancelled(): boolean {
    return this.options.signal.aborted;
  }

  /** Runs one typed API call with the timeout, the run's signal and error classification. */
  private async call<T>(req: RequestInfo, fn: (options: any) => Promise<T>, opts: { write?: boolean } = {}): Promise<T> {
    if (opts.write && !this.options.allowWrites) {
      throw new LiveError('config', `refusing to ${req.verb} ${req.resource}${req.namespace ? ` in ${req.namespace}` : ''}: this check may not change the cluster`);
    }
    if (this.options.signal.aborted) throw new LiveError('cancelled', `cancelled before trying to ${req.verb} ${req.resource}`);
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const signal = AbortSignal.any([this.options.signal, timeout]);
    // The object-parameter API hands call options to the Observable layer: middleware returns Observables.
    const Observable = this.lib.Observable;
    const middleware = {
      pre: (ctx: any) => {
        ctx.setSignal(signal);
        ctx.setHeaderParam('User-Agent', USER_AGENT);
        return new Observable(Promise.resolve(ctx));
      },
      post: (ctx: any) => new Observable(Promise.resolve(ctx)),
    };
    const started = Date.now();
    const what = `${req.resource}${req.name ? `/${req.name}` : ''}${req.namespace ? ` -n ${req.namespace}` : ''}`;
    try {
      const out = await fn({ middleware: [middleware], middlewareMergeStrategy: 'append' });
      // A 200 that is no Kubernetes object (an HTML page from a proxy, a captive portal): a bad answer, not a crash later.
      if (out === null || typeof out !== 'object') throw new LiveError('bad-response', `the API server's answer was not a Kubernetes object while trying to ${describeRequest(req)}`);
      if (req.verb === 'list' && !Array.isArray((out as { items?: unknown }).items)) {
        throw new LiveError('bad-response', `the API server's answer to ${describeRequest(req)} has no items`);
      }
      this.log.push({ method: req.verb, what, ms: Date.now() - started, outcome: 'ok' });
      return out;
    } catch (err) {
      const e = classifyError(err, req, { cancelled: this.options.signal.aborted, timedOut: timeout.aborted, timeoutMs: this.options.requestTimeoutMs });
      this.log.push({ method: req.verb, what, ms: Date.now() - started, outcome: e.message });
      throw e;
    }
  }

  /** Like `call`, but a 404 is `undefined`. */
  private async maybe<T>(req: RequestInfo, fn: (options: any) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(req, fn);
    } catch (e) {
      if (e instanceof LiveError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  // ---- discovery ------------------------------------------------------------------------------------

  /** API groups the server serves, with their versions (legacy discovery: one request, cached per run). */
  groups(): Promise<Map<string, string[]>> {
    this.groupsPromise ??= this.call({ verb: 'discover', resource: 'API groups' }, (o) => this.apis.getAPIVersions({}, o)).then((list) => {
      // No group list at all is no API server talking (a proxy's page): not "nothing installed", which would be a SKIP.
      if (!Array.isArray(list.groups)) throw new LiveError('bad-response', "the API server's answer to discover API groups has no groups: is something else (a proxy) answering in its place?");
      const out = new Map<string, string[]>();
      for (const g of list.groups ?? []) out.set(g.name, (g.versions ?? []).map((v) => v.version));
      return out;
    });
    this.groupsPromise.catch(() => (this.groupsPromise = undefined));
    return this.groupsPromise;
  }

  async hasGroupVersion(group: string, version: string): Promise<boolean> {
    return (await this.groups()).get(group)?.includes(version) ?? false;
  }

  async serverVersion(): Promise<string> {
    const v = await this.call({ verb: 'get', resource: 'version' }, (o) => this.versionApi.getCode({}, o));
    return v.gitVersion;
  }

  // ---- reads -----------------------------------------------------------------------------------------

  async listPods(namespace: string, labelSelector?: string, fieldSelector?: string): Promise<V1Pod[]> {
    return (await this.listPodsAt(namespace, labelSelector, fieldSelector)).items;
  }

  /** Pods and the list's resourceVersion, to watch from. */
  async listPodsAt(namespace: string, labelSelector?: string, fieldSelector?: string): Promise<{ items: V1Pod[]; resourceVersion?: string }> {
    const list = await this.call({ verb: 'list', resource: 'pods', namespace }, (o) => this.core.listNamespacedPod({ namespace, labelSelector, fieldSelector }, o));
    if (!Array.isArray(list?.items)) throw new LiveError('bad-response', `the API server's answer to list pods in ${namespace} has no items`);
    return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
  }

  async listEvents(namespace: string, fieldSelector?: string): Promise<CoreV1Event[]> {
    const list = await this.call({ verb: 'list', resource: 'events', namespace }, (o) => this.core.listNamespacedEvent({ namespace, fieldSelector }, o));
    return list.items;
  }

  getNamespace(name: string): Promise<V1Namespace | undefined> {
    return this.maybe({ verb: 'get', resource: 'namespaces', name }, (o) => this.core.readNamespace({ name }, o));
  }

  getService(namespace: string, name: string): Promise<V1Service | undefined> {
    return this.maybe({ verb: 'get', resource: 'services', namespace, name }, (o) => this.core.readNamespacedService({ namespace, name }, o));
  }

  async listDeployments(namespace: string): Promise<V1Deployment[]> {
    return (await this.call({ verb: 'list', resource: 'deployments', namespace }, (o) => this.apps.listNamespacedDeployment({ namespace }, o))).items;
  }

  getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    return this.maybe({ verb: 'get', resource: 'deployments', namespace, name }, (o) => this.apps.readNamespacedDeployment({ namespace, name }, o));
  }

  async listStatefulSets(namespace: string): Promise<V1StatefulSet[]> {
    return (await this.call({ verb: 'list', resource: 'statefulsets', namespace }, (o) => this.apps.listNamespacedStatefulSet({ namespace }, o))).items;
  }

  async listCustom(group: string, version: string, namespace: string, plural: string, labelSelector?: string): Promise<any[]> {
    const list: any = await this.call({ verb: 'list', resource: `${plural}.${group}`, namespace }, (o) =>
      this.custom.listNamespacedCustomObject({ group, version, namespace, plural, labelSelector }, o),
    );
    if (!list || !Array.isArray(list.items)) {
      throw new LiveError('bad-response', `the API server's answer to list ${plural}.${group} in ${namespace} has no items`);
    }
    return list.items;
  }

  getCustom(group: string, version: string, namespace: string, plural: string, name: string): Promise<any | undefined> {
    return this.maybe({ verb: 'get', resource: `${plural}.${group}`, namespace, name }, (o) =>
      this.custom.getNamespacedCustomObject({ group, version, namespace, plural, name }, o),
    );
  }

  // ---- writes (disruptive checks only) ----------------------------------------------------------------

  createNamespace(body: V1Namespace): Promise<V1Namespace> {
    return this.call({ verb: 'create', resource: 'namespaces', name: body.metadata?.name }, (o) => this.core.createNamespace({ body }, o), { write: true });
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.call({ verb: 'delete', resource: 'namespaces', name }, (o) => this.core.deleteNamespace({ name }, o), { write: true });
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<void> {
    await this.call({ verb: 'delete', resource: 'pods', namespace, name }, (o) => this.core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds }, o), { write: true });
  }

  createCustom(group: string, version: string, namespace: string, plural: string, body: object): Promise<any> {
    return this.call({ verb: 'create', resource: `${plural}.${group}`, namespace, name: (body as any).metadata?.name }, (o) =>
      this.custom.createNamespacedCustomObject({ group, version, namespace, plural, body }, o), { write: true });
  }

  async deleteCustom(group: string, version: string, namespace: string, plural: string, name: string): Promise<void> {
    await this.call({ verb: 'delete', resource: `${plural}.${group}`, namespace, name }, (o) =>
      this.custom.deleteNamespacedCustomObject({ group, version, namespace, plural, name }, o), { write: true });
  }

  // ---- streaming: service proxy and watch --------------------------------------------------------------

  /** Opens a GET with the kubeconfig's TLS and auth options; resolves with the response once headers arrive. */
  private async open(path: string, query: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
    const opts: https.RequestOptions = {};
    await this.target.kc.applyToHTTPSOptions(opts);
    const url = new URL(this.target.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { ...opts, method: 'GET', signal, headers: { Accept: 'application/json, */*', 'User-Agent': USER_AGENT, ...(opts.headers ?? {}) } }, resolve);
      req.on('error', reject);
      req.end();
    });
  }

  private static async readAll(res: http.IncomingMessage, limit = 32 * 1024 * 1024): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res) {
      size += (c as Buffer).length;
      if (size > limit) {
        res.destroy();
        throw new LiveError('bad-response', `answer larger than ${limit} bytes`);
      }
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * GET through the API server's service proxy: `/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}`.
   * Resolves with the status and body of any answer (the caller judges 4xx/5xx from the service itself).
   */
  async proxyGet(namespace: string, service: string, port: string, path: string, query: Record<string, string>): Promise<{ status: number; body: string; contentType: string }> {
    const req: RequestInfo = { verb: 'get', resource: 'services/proxy', namespace, name: `${service}:${port}` };
    if (this.options.signal.aborted) throw new LiveError('cancelled', `cancelled before trying to get ${service} in ${namespace}`);
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const signal = AbortSignal.any([this.options.signal, timeout]);
    const started = Date.now();
    const p = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}${port ? `:${encodeURIComponent(port)}` : ''}/proxy/${path.replace(/^\//, '')}`;
    try {
      const res = await this.open(p, query, signal);
      const body = await Kube.readAll(res);
      this.log.push({ method: 'proxy', what: `${namespace}/${service}:${port}/${path}`, ms: Date.now() - started, outcome: String(res.statusCode) });
      return { status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') };
    } catch (err) {
      const e = classifyError(err, req, { cancelled: this.options.signal.aborted, timedOut: timeout.aborted, timeoutMs: this.options.requestTimeoutMs });
      this.log.push({ method: 'proxy', what: `${namespace}/${service}:${port}/${path}`, ms: Date.now() - started, outcome: e.message });
      throw e;
    }
  }

  /**
   * Watches a collection until `onEvent` returns true (→ 'done') or the deadline passes (→ 'deadline'). A watch
   * the server closes is resumed from the last resourceVersion; a 410 Gone restarts it from now. Connection
   * errors, HTTP errors and cancellation reject.
   */
  async watch(
    path: string,
    query: Record<string, string>,
    onEvent: (ev: WatchEvent) => boolean | void,
    deadline: { ms: number; resourceVersion?: string },
  ): Promise<'done' | 'deadline'> {
    const resource = path.split('/').pop() ?? path;
    const req: RequestInfo = { verb: 'watch', resource, namespace: /\/namespaces\/([^/]+)\//.exec(path)?.[1] };
    const deadlineSignal = AbortSignal.timeout(Math.max(1, deadline.ms));
    const signal = AbortSignal.any([this.options.signal, deadlineSignal]);
    const end = Date.now() + deadline.ms;
    let rv = deadline.resourceVersion;
    while (!signal.aborted) {
      const remaining = Math.max(1, Math.ceil((end - Date.now()) / 1000));
      let res: http.IncomingMessage;
      try {
        res = await this.open(path, { ...query, watch: 'true', timeoutSeconds: String(remaining), ...(rv ? { resourceVersion: rv } : {}) }, signal);
      } catch (err) {
        if (deadlineSignal.aborted && !this.options.signal.aborted) return 'deadline';
        throw classifyError(err, req, { cancelled: this.options.signal.aborted, timedOut: false, timeoutMs: deadline.ms });
      }
      if (res.statusCode !== 200) {
        const body = await Kube.readAll(res).catch(() => '');
        throw httpError(res.statusCode ?? 0, req, body);
      }
      let finished = false;
      let gone = false;
      const handle = (line: string): void => {
        if (!line.trim()) return;
        let ev: any;
        try {
          ev = JSON.parse(line);
        } catch {
          throw new LiveError('bad-response', `a ${resource} watch event was not valid JSON`);
        }
        if (ev.type === 'ERROR') {
          if (ev.object?.code === 410) {
            gone = true;
            return;
          }
          throw httpError(ev.object?.code ?? 500, req, ev.object);
        }
        const objRv = ev.object?.metadata?.resourceVersion;
        if (objRv) rv = objRv;
        if (ev.type !== 'BOOKMARK' && onEvent(ev)) finished = true;
      };
      try {
        let buffer = '';
        for await (const chunk of res) {
          buffer += (chunk as Buffer).toString('utf8');
          let nl: number;
          while (!finished && !gone && (nl = buffer.indexOf('\n')) >= 0) {
            handle(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          }
          if (finished || gone) break;
        }
        if (!finished && !gone && buffer.trim()) handle(buffer);
      } catch (err) {
        if (err instanceof LiveError) throw err;
        if (deadlineSignal.aborted && !this.options.signal.aborted) return 'deadline';
        throw classifyError(err, req, { cancelled: this.options.signal.aborted, timedOut: false, timeoutMs: deadline.ms });
      } finally {
        res.destroy();
      }
      if (finished) return 'done';
      if (gone) rv = undefined;
      // The server ended the stream (its timeoutSeconds, or a restart): resume unless the deadline passed.
      if (Date.now() >= end) return 'deadline';
    }
    if (this.options.signal.aborted) throw new LiveError('cancelled', `cancelled while watching ${resource}`);
    return 'deadline';
  }
}
