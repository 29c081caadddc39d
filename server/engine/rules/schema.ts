import * as YAML from 'yaml';
import type { PathSegment, Resource } from '../resource';
import { expectedTypeAt, isYaml11Boolean, validateResource, type SchemaProblem } from '../schema';
import { defineRule } from './rule';

/** The objects a patch or a kustomize base may write partially: the top level, spec, templates and their specs. */
const SKELETON = new Set(['spec', 'template', 'jobTemplate', 'metadata']);

/**
 * Problems that are another rule's (one cause, one diagnostic), that cannot be told from a kustomize patch,
 * or that sit in a value left for a template engine to fill in.
 */
function ownedElsewhere(res: Resource, p: SchemaProblem): boolean {
  const last = p.path[p.path.length - 1];
  // Strategic-merge-patch directives ($patch, $retainKeys, $setElementOrder/…) are no fields.
  if (p.kind === 'unknown-field' && typeof last === 'string' && last.startsWith('$')) return true;
  if (p.kind !== 'unknown-field' && p.kind !== 'required') {
    const node = res.lookup(p.path).node;
    // An unquoted Off/yes/no…: kubectl reads a boolean. Where a string is expected that is yaml-boolean-trap's;
    // where a boolean is expected kubectl's reading is right.
    if (YAML.isScalar(node) && isYaml11Boolean(node)) {
      const types = expectedTypeAt(res, p.path)?.types ?? [];
      if (types.includes('string') || types.includes('boolean')) return true;
    }
    if (node && isPlaceholder(res, node)) return true;
  }
  // A VPA bound that is no quantity is vpa-bounds-invalid's.
  if (p.kind === 'pattern' && res.group === 'autoscaling.k8s.io' && p.path.some((s) => s === 'minAllowed' || s === 'maxAllowed')) return true;
  // A kustomize strategic-merge patch is written like the object it patches but holds only the fields it
  // changes, and a kustomize base may leave the selector to `labels`/`commonLabels`: a missing `selector`,
  // `template`, `scaleTargetRef` or `spec.containers` says nothing by itself. Fields missing further down (a
  // container's name, a port's number, a targetRef's kind) are reported: patches write those in full.
  if (p.kind === 'required' && p.path.every((s: PathSegment) => typeof s === 'string' && SKELETON.has(s))) return true;
  return false;
}

/**
 * `${REPLICAS}`, `{{ .port }}`, `<base64 of the token>`, `[YOUR_REGION_ID]`: a value a template engine or a
 * reader fills in before the manifest is applied, not a mistake in it.
 */
function isPlaceholder(res: Resource, node: YAML.Node): boolean {
  if (!node.range) return false;
  const text = res.lines.text.slice(node.range[0], node.range[1]).trim();
  return /\$\{|\{\{|\$\(/.test(text) || /^["']?<[^<>]+>["']?$/.test(text) || /^\[?["']?[A-Z][A-Z0-9]*_[A-Z0-9_]*["']?\]?$/.test(text);
}

export default defineRule({
  meta: {
    id: 'schema',
    severity: 'error',
    description: "A document breaks its kind's JSON Schema (Kubernetes kinds, VPA, Velero, Chaos Mesh): an unknown field, a wrong type or value, a missing required field.",
    why: "The API server checks every object against its schema, and `kubectl apply` reports unknown fields (field validation): a misspelt field such as `livenessprobe` or `imagePullPolicyy`, a number where a string belongs (an env `value: 8080`), a quoted `replicas: \"3\"`, or a bad quantity makes the deployment fail, or, where validation is off, the field is silently ignored and the probe or limit you wrote never exists. opex validates offline against strict schemas generated from the Kubernetes OpenAPI and the VPA, Velero and Chaos Mesh CRDs, and suggests the field you probably meant. Kinds it has no schema for are skipped.",
    fixable: false,
    criteria: [],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const result = validateResource(res);
      for (const p of result.problems) {
        if (ownedElsewhere(res, p)) continue;
        ctx.report({ resource: res, range: p.range, message: p.message });
      }
    }
  },
});

