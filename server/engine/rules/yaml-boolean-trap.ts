import * as YAML from 'yaml';
import type { PathSegment, Resource } from '../resource';
import { expectedTypeAt, formatPath, isYaml11Boolean, yaml11BooleanValue } from '../schema';
import { defineRule } from './rule';

interface Trap {
  node: YAML.Scalar;
  path: PathSegment[];
}

/** Every plain `Off`/`yes`/`n`… value in a document (keys, aliases and merged maps left out). */
function trapsIn(res: Resource): Trap[] {
  const out: Trap[] = [];
  const walk = (node: unknown, path: PathSegment[]) => {
    if (YAML.isMap(node)) {
      for (const pair of node.items) {
        if (!YAML.isScalar(pair.key) || pair.key.value === null || pair.key.value === '<<' || typeof pair.key.value === 'symbol') continue;
        walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (YAML.isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (YAML.isScalar(node) && isYaml11Boolean(node)) {
      out.push({ node, path });
    }
  };
  walk(res.rootNode, []);
  return out;
}

function placeName(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') return `item ${last + 1} of \`${String(path[path.length - 2] ?? '')}\``;
  return `\`${String(last)}\``;
}

export default defineRule({
  meta: {
    id: 'yaml-boolean-trap',
    severity: 'error',
    description: 'An unquoted `Off`/`On`/`yes`/`no`/`y`/`n` where Kubernetes expects a string: kubectl reads YAML 1.1 and makes it a boolean.',
    why: 'kubectl (and Helm, and most Kubernetes tooling) reads YAML 1.1, where the plain words `y`, `yes`, `on`, `n`, `no`, `off` in any of their usual spellings are booleans, not strings. Written unquoted where the API expects a string (a label or annotation value, an env `value`, a ConfigMap entry, a command argument, the VPA `updateMode: Off` of SC-003) the value reaches the API server as true or false, which rejects the object or stores something other than what you wrote. opex reports these values only where the schema expects a string, and the fix quotes them.',
    fixable: true,
    criteria: ['SC-003'],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      for (const { node, path } of trapsIn(res)) {
        const expected = expectedTypeAt(res, path);
        if (!expected || !expected.types.includes('string') || expected.types.includes('boolean')) continue;
        const text = String(node.value);
        const quoted = JSON.stringify(text);
        const owner = res.name ? `${res.kind} ${res.name}` : res.kind;
        const where = path.length > 1 ? ` (\`${formatPath(path)}\`)` : '';
        ctx.report({
          resource: res,
          range: res.nodeRange(node),
          message: `Unquoted \`${text}\` is the boolean ${yaml11BooleanValue(text)} to kubectl, which reads YAML 1.1, but ${placeName(path)} in ${owner}${where} must be a string: the API server rejects the ${res.kind} or keeps a value other than ${quoted}. Quote it: ${quoted}.`,
          fix: {
            title: `Quote ${text} as ${quoted}`,
            edits: [{ file: res.file, range: res.nodeRange(node), newText: quoted }],
            preferred: true,
          },
        });
      }
    }
  },
});
