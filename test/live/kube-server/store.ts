/** The loopback API server's object store: resourceVersions, uids, watch events with history. */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { typeKey, type ResourceType } from './registry';

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: WatchType;
  key: string;
  namespace: string;
  object: any;
}

/** RFC 3339 with second precision, as the API server writes metav1.Time. */
export function rfc3339(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime, as events.k8s.io and `eventTime` use it. */
export function microTime(d: Date = new Date()): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

const HISTORY = 5000;

export class Store extends EventEmitter {
  private rv = 1000;
  private readonly objects = new Map<string, Map<string, any>>();
  private readonly history: StoreEvent[] = [];

  get resourceVersion(): string {
    return String(this.rv);
  }

  private bucket(t: ResourceType): Map<string, any> {
    const k = typeKey(t);
    let b = this.objects.get(k);
    if (!b) this.objects.set(k, (b = new Map()));
    return b;
  }

  private static id(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  get(t: ResourceType, ns: string, name: string): any | undefined {
    return clone(this.bucket(t).get(Store.id(t.namespaced ? ns : '', name)));
  }

  has(t: ResourceType, ns: string, name: string): boolean {
    return this.bucket(t).has(Store.id(t.namespaced ? ns : '', name));
  }

  /** Objects of a type, in one namespace or all, sorted by namespace and name as etcd returns them. */
  list(t: ResourceType, ns?: string): any[] {
    const out: any[] = [];
    for (const obj of this.bucket(t).values()) {
      if (ns && t.namespaced && obj.metadata.namespace !== ns) continue;
      out.push(clone(obj));
    }
    return out.sort((a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  /** Stores a new object, filling the server-owned metadata. The caller checked that it does not exist. */
  create(t: ResourceType, input: any, opts: { keepTimestamps?: boolean } = {}): any {
    const obj = clone(input);
    obj.apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    obj.kind = t.kind;
    const md = (obj.metadata ??= {});
    if (!t.namespaced) delete md.namespace;
    md.uid = opts.keepTimestamps && md.uid ? md.uid : randomUUID();
    md.resourceVersion = String(++this.rv);
    if (!opts.keepTimestamps || !md.creationTimestamp) md.creationTimestamp = rfc3339();
    if (md.generation === undefined && t.subresources.includes('status') && t.kind !== 'Pod') md.generation = 1;
    delete md.selfLink;
    this.bucket(t).set(Store.id(md.namespace ?? '', md.name), obj);
    this.record('ADDED', t, obj);
    return clone(obj);
  }

  /** Replaces an existing object (bumping generation when its spec changed). */
  update(t: ResourceType, input: any): any {
    const obj = clone(input);
    const id = Store.id(t.namespaced ? obj.metadata.namespace : '', obj.metadata.name);
    const old = this.bucket(t).get(id);
    if (!old) throw new Error(`update of missing ${t.plural} ${id}`);
    obj.apiVersion = old.apiVersion;
    obj.kind = old.kind;
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.generation !== undefined) {
      obj.metadata.generation = JSON.stringify(old.spec) === JSON.stringify(obj.spec) ? old.metadata.generation : old.metadata.generation + 1;
    }
    obj.metadata.resourceVersion = String(++this.rv);
    this.bucket(t).set(id, obj);
    this.record('MODIFIED', t, obj);
    return clone(obj);
  }

  /** Changes an object in place through a function; undefined when it is gone. */
  mutate(t: ResourceType, ns: string, name: string, fn: (obj: any) => void): any | undefined {
    const cur = this.get(t, ns, name);
    if (!cur) return undefined;
    fn(cur);
    return this.update(t, cur);
  }

  remove(t: ResourceType, ns: string, name: string): any | undefined {
    const id = Store.id(t.namespaced ? ns : '', name);
    const old = this.bucket(t).get(id);
    if (!old) return undefined;
    this.bucket(t).delete(id);
    const gone = clone(old);
    gone.metadata.resourceVersion = String(++this.rv);
    this.record('DELETED', t, gone);
    return gone;
  }

  private record(type: WatchType, t: ResourceType, obj: any): void {
    const ev: StoreEvent = { rv: this.rv, type, key: typeKey(t), namespace: obj.metadata.namespace ?? '', object: clone(obj) };
    this.history.push(ev);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    this.emit('event', ev);
  }

  /**
   * Events after a resourceVersion, or `undefined` when that version is older than the history kept
   * (the API server then answers 410 Gone).
   */
  since(rv: number): StoreEvent[] | undefined {
    if (this.history.length > 0 && rv < this.history[0].rv - 1) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }
}
