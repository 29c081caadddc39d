/**
 * What a rule read, so that after an edit the linter repeats only the runs the edit can change (see Linter).
 *
 * While the linter runs a rule it records dependency keys: every read of the workspace index and of the views built
 * on it names what it read. After an edit, each resource of the edited file (as it was, and as it is) names the keys
 * whose answer it is or was part of (`changeKeys`), and every run that recorded one of them is repeated.
 *
 * Keys:
 *   '*'                    everything: index.resources(), index.files()
 *   'kind:K'               index.byKind(K)
 *   'obj:K|ns|name'        index.find(K, ns, name)
 *   'workloads'            index.workloads()
 *   'workloads-ns:ns'      index.workloadsIn(ns) (a view)
 *   'file:/abs/path'       index.file(path)
 *   '<view>:<key>'         a lookup in a view (defineView)
 *
 * A view is a table built from the index in which each resource files itself under keys computed from itself alone
 * (its own fields and resolved namespace): so the keys a resource invalidates are exactly the keys it is filed under,
 * and a rule that looks something up through a view depends on no more than the answer it got.
 */
import { workloadOf, type Workload } from './model';
import type { Resource } from './resource';
import type { WorkspaceIndex } from './workspace';

let recorder: Set<string> | undefined;

/** Records that the running rule read what `key` names (no-op outside a recording). */
export function dependOn(key: string): void {
  if (recorder) recorder.add(key);
}

/** Runs `fn` without recording: for building shared tables whose lookups record finer keys. */
export function untracked<T>(fn: () => T): T {
  const saved = recorder;
  recorder = undefined;
  try {
    return fn();
  } finally {
    recorder = saved;
  }
}

/** Runs `fn` and returns the keys it read. */
export function recordDependencies<T>(fn: () => T): { value: T; keys: Set<string> } {
  const saved = recorder;
  const keys = new Set<string>();
  recorder = keys;
  try {
    return { value: fn(), keys };
  } finally {
    recorder = saved;
  }
}

const memos = new WeakMap<WorkspaceIndex, { generation: number; map: Map<string, { keys: Set<string>; value: unknown }> }>();

/**
 * A value computed once per index generation and key (many runs ask the same question: every copy of a workload
 * selects the same pods), whose dependencies are recorded for every run that asks. The value is shared: do not
 * change it.
 */
export function memoize<T>(index: WorkspaceIndex, key: string, compute: () => T): T {
  let m = memos.get(index);
  if (!m || m.generation !== index.generation) memos.set(index, (m = { generation: index.generation, map: new Map() }));
  let hit = m.map.get(key);
  if (!hit) {
    const r = recordDependencies(compute);
    hit = { keys: r.keys, value: r.value };
    m.map.set(key, hit);
  }
  if (recorder) for (const k of hit.keys) recorder.add(k);
  return hit.value as T;
}

/** The keys of the index's own views that a resource is part of. */
function indexKeys(res: Resource, out: string[]): void {
  out.push(`kind:${res.kind}`, `obj:${res.kind}|${res.namespace}|${res.name}`);
  if (workloadOf(res)) out.push('workloads');
}

// ---------------------------------------------------------------------------------------------------------
// Views

export interface View<T> {
  readonly name: string;
  /** The values filed under `key`, in index order (records the dependency). */
  get(index: WorkspaceIndex, key: string): readonly T[];
  /** The values filed under any of `keys`, in index order, each once (records the dependencies). */
  getMany(index: WorkspaceIndex, keys: Iterable<string>): T[];
  /** Whether anything is filed under `key` (records the dependency). */
  has(index: WorkspaceIndex, key: string): boolean;
}

type Entries<T> = (res: Resource) => Iterable<readonly [string, T]> | undefined;

interface ViewDef {
  name: string;
  entries: Entries<unknown>;
}

/**
 * One key's values, in index order, with the seq of the file that filed each (the file's place in the index order)
 * and the value's place among everything that file filed.
 */
interface Bucket {
  values: unknown[];
  seqs: number[];
  pos: number[];
}

/** A view's table for one index, kept up to date file by file (see WorkspaceIndex.changesSince). */
interface Table {
  generation: number;
  buckets: Map<string, Bucket>;
  /** What each file filed: its seq and the keys (one per value, in order). */
  files: Map<string, { seq: number; keys: string[] }>;
}

const views: ViewDef[] = [];
const tables = new WeakMap<WorkspaceIndex, Map<string, Table>>();
const EMPTY: readonly never[] = Object.freeze([]);

/** First position in a sorted list whose value is greater than `seq` (or, with `orEqual`, not less than it). */
function bound(seqs: readonly number[], seq: number, orEqual: boolean): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid] < seq || (!orEqual && seqs[mid] === seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fileInto(table: Table, def: ViewDef, file: string, seq: number, resources: readonly Resource[]): void {
  const keys: string[] = [];
  for (const res of resources) {
    const list = def.entries(res);
    if (!list) continue;
    for (const [key, value] of list) {
      const pos = keys.length;
      keys.push(key);
      const bucket = table.buckets.get(key);
      if (!bucket) {
        table.buckets.set(key, { values: [value], seqs: [seq], pos: [pos] });
      } else if (bucket.seqs[bucket.seqs.length - 1] <= seq) {
        bucket.values.push(value);
        bucket.seqs.push(seq);
        bucket.pos.push(pos);
      } else {
        const at = bound(bucket.seqs, seq, false);
        bucket.values.splice(at, 0, value);
        bucket.seqs.splice(at, 0, seq);
        bucket.pos.splice(at, 0, pos);
      }
    }
  }
  if (keys.length > 0) table.files.set(file, { seq, keys });
}

function unfile(table: Table, file: string): void {
  const filed = table.files.get(file);
  if (!filed) return;
  table.files.delete(file);
  for (const key of new Set(filed.keys)) {
    const bucket = table.buckets.get(key);
    if (!bucket) continue;
    const from = bound(bucket.seqs, filed.seq, true);
    const to = bound(bucket.seqs, filed.seq, false);
    if (to - from === bucket.seqs.length) {
      table.buckets.delete(key);
    } else {
      bucket.values.splice(from, to - from);
      bucket.seqs.splice(from, to - from);
      bucket.pos.splice(from, to - from);
    }
  }
}

/**
 * A table of the workspace filed by keys: `entries(res)` says under which keys a resource files which values. Built
 * on first use and then kept up to date with the files that changed; each lookup records `<name>:<key>`. `entries`
 * must read nothing but the resource itself (its fields, kind, name, resolved namespace and derived models).
 */
export function defineView<T>(name: string, entries: Entries<T>): View<T> {
  if (views.some((v) => v.name === name)) throw new Error(`view ${name} is defined twice`);
  const def: ViewDef = { name, entries: entries as Entries<unknown> };
  views.push(def);
  const table = (index: WorkspaceIndex): Map<string, Bucket> => {
    let perIndex = tables.get(index);
    if (!perIndex) tables.set(index, (perIndex = new Map()));
    const cached = perIndex.get(name);
    if (cached && cached.generation === index.generation) return cached.buckets;
    untracked(() => {
      index.resolve();
      const changed = cached ? index.changesSince(cached.generation) : undefined;
      if (cached && changed) {
        for (const file of changed) {
          unfile(cached, file);
          const parsed = index.file(file);
          const seq = index.seqOf(file);
          if (parsed && seq !== undefined) fileInto(cached, def, file, seq, parsed.resources);
        }
        cached.generation = index.generation;
        return;
      }
      const fresh: Table = { generation: index.generation, buckets: new Map(), files: new Map() };
      for (const parsed of index.files()) fileInto(fresh, def, parsed.file, index.seqOf(parsed.file)!, parsed.resources);
      perIndex!.set(name, fresh);
    });
    return perIndex.get(name)!.buckets;
  };
  return {
    name,
    get(index, key) {
      dependOn(`${name}:${key}`);
      return (table(index).get(key)?.values as T[] | undefined) ?? EMPTY;
    },
    getMany(index, keys) {
      const map = table(index);
      const buckets: Bucket[] = [];
      for (const key of keys) {
        dependOn(`${name}:${key}`);
        const b = map.get(key);
        if (b && !buckets.includes(b)) buckets.push(b);
      }
      if (buckets.length === 0) return [];
      if (buckets.length === 1) return buckets[0].values.slice() as T[];
      // Merge in index order: by file, then in the order the file filed its values.
      const merged: Array<[number, number, unknown]> = [];
      for (const b of buckets) for (let i = 0; i < b.values.length; i++) merged.push([b.seqs[i], b.pos[i], b.values[i]]);
      merged.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      const out: T[] = [];
      const seen = new Set<unknown>();
      for (const m of merged) {
        if (seen.has(m[2])) continue;
        seen.add(m[2]);
        out.push(m[2] as T);
      }
      return out;
    },
    has(index, key) {
      dependOn(`${name}:${key}`);
      return table(index).has(key);
    },
  };
}

/** Every key a change of this resource (added, removed or edited) can change the answer of. */
export function changeKeys(res: Resource): string[] {
  const out: string[] = [];
  indexKeys(res, out);
  for (const v of views) {
    const list = v.entries(res);
    if (!list) continue;
    for (const [key] of list) out.push(`${v.name}:${key}`);
  }
  return out;
}

/** The workloads of each namespace, for WorkspaceIndex.workloadsIn. */
export const WORKLOADS_BY_NAMESPACE = defineView<Workload>('workloads-ns', (res) => {
  const w = workloadOf(res);
  return w ? [[res.namespace, w]] : undefined;
});
