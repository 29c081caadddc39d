/** PATCH bodies: JSON merge patch (RFC 7386), strategic merge approximated, JSON patch (RFC 6902). */
import { clone } from './store';

const isObj = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, any> = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The merge key strategic merge uses for lists of objects in the kinds served here. */
function mergeKey(items: any[]): string | undefined {
  if (items.length === 0 || !items.every(isObj)) return undefined;
  for (const key of ['name', 'containerPort', 'port', 'type', 'ip', 'mountPath', 'devicePath']) {
    if (items.every((i) => i[key] !== undefined)) return key;
  }
  return undefined;
}

/**
 * Strategic merge patch, approximated: maps merge, lists of objects merge by their merge key (`name`,
 * `containerPort`, `port`, `type`), other lists are replaced; `$patch: delete`/`replace` and the
 * `$setElementOrder`/`$retainKeys`/`$deleteFromPrimitiveList` directives kubectl sends are honoured or dropped.
 */
export function strategicMergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest);
  }
  const out: Record<string, any> = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v) && Array.isArray(out[k])) {
      const key = mergeKey([...out[k], ...v.filter((i) => !(isObj(i) && i.$patch === 'delete'))]);
      if (!key) {
        out[k] = stripDirectives(v);
        continue;
      }
      const merged: any[] = clone(out[k]);
      for (const item of v) {
        const idx = merged.findIndex((m) => m[key] === item[key]);
        if (item.$patch === 'delete') {
          if (idx >= 0) merged.splice(idx, 1);
        } else if (idx >= 0) merged[idx] = strategicMergePatch(merged[idx], item);
        else merged.push(stripDirectives(item));
      }
      out[k] = merged;
    } else if (isObj(v)) {
      out[k] = strategicMergePatch(out[k], v);
    } else {
      out[k] = stripDirectives(v);
    }
  }
  return out;
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export class PatchError extends Error {}

export function jsonPatch(target: any, ops: any[]): any {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch is a list of operations');
  let doc = clone(target);
  for (const op of ops) {
    const parts = pointer(String(op.path ?? ''));
    const last = parts.pop();
    let parent: any = doc;
    for (const p of parts) {
      parent = Array.isArray(parent) ? parent[Number(p)] : parent?.[p];
      if (parent === undefined) throw new PatchError(`path ${op.path} does not exist`);
    }
    if (last === undefined) {
      if (op.op === 'replace' || op.op === 'add') doc = clone(op.value);
      continue;
    }
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, clone(op.value));
        else parent[last] = clone(op.value);
        break;
      case 'replace':
        if (Array.isArray(parent)) parent[Number(last)] = clone(op.value);
        else parent[last] = clone(op.value);
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (JSON.stringify(Array.isArray(parent) ? parent[Number(last)] : parent[last]) !== JSON.stringify(op.value)) {
          throw new PatchError(`test failed at ${op.path}`);
        }
        break;
      default:
        throw new PatchError(`unsupported JSON patch operation ${op.op}`);
    }
  }
  return doc;
}
