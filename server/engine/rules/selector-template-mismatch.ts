import { addToMap } from '../edit';
import { setLabelValue } from '../labels';
import { formatLabels, selectorIsEmpty, selectorMatches, workloadOf, type LabelSelectorRequirement, type Workload } from '../model';
import type { NodePath, Resource } from '../resource';
import type { LoadedSpec } from '../spec/types';
import type { Range, TextEdit } from '../types';
import { defineRule, resourceRelated } from './rule';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);
/** Kinds whose API validation rejects an empty selector. */
const NON_EMPTY_SELECTOR = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
/** Labels that identify an application, preferred when a selector has to be written from the template. */
const IDENTITY_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app', 'name', 'component'];

interface Failure {
  /** What the selector requires, as a phrase. */
  requires: string;
  /** What the template has instead. */
  has: string;
  range: Range;
  /** Edits that make the template (or, for a misspelt selector, the selector) satisfy this requirement; undefined when there is no safe one. */
  edit?: { templateSet?: [string, string]; templateAdd?: [string, string]; selectorSet?: [NodePath, string] };
}

function describe(req: LabelSelectorRequirement): string {
  switch (req.operator) {
    case 'In': return `${req.key} in (${(req.values ?? []).join(', ')})`;
    case 'NotIn': return `${req.key} not in (${(req.values ?? []).join(', ')})`;
    case 'Exists': return `a label ${req.key}`;
    case 'DoesNotExist': return `no label ${req.key}`;
    default: return `${req.key} ${req.operator}`;
  }
}

function failures(res: Resource, w: Workload, spec: LoadedSpec | undefined): Failure[] {
  const sel = w.selector!;
  const base = w.selectorPath!;
  const out: Failure[] = [];
  const labels = w.podLabels;
  const labelsBase: NodePath = res.kind === 'ReplicationController' ? base : [...base, 'matchLabels'];
  for (const [key, value] of Object.entries(sel.matchLabels)) {
    const have = labels[key];
    if (have === value) continue;
    const path = [...labelsBase, key];
    if (have === undefined) {
      out.push({ requires: `${key}=${value}`, has: `no ${key}`, range: res.keyRange(path), edit: { templateAdd: [key, value] } });
      continue;
    }
    // The template carries the spec's cost label value: the selector is the misspelt side.
    const specValue = spec?.spec.costLabels[key];
    const edit: Failure['edit'] = specValue !== undefined && have === specValue ? { selectorSet: [path, have] } : { templateSet: [key, value] };
    out.push({ requires: `${key}=${value}`, has: `${key}=${have}`, range: res.rangeOf(path), edit });
  }
  const exprs = res.get([...base, 'matchExpressions']);
  sel.matchExpressions.forEach((req) => {
    const i = Array.isArray(exprs) ? exprs.findIndex((e: any) => e && e.key === req.key && e.operator === req.operator) : -1;
    const range = res.rangeOf([...base, 'matchExpressions', Math.max(i, 0), OPERATORS.has(req.operator) ? 'key' : 'operator']);
    if (!OPERATORS.has(req.operator)) {
      out.push({ requires: `operator ${req.operator}`, has: 'no such operator (In, NotIn, Exists or DoesNotExist)', range });
      return;
    }
    if (selectorMatches({ matchLabels: {}, matchExpressions: [req] }, labels)) return;
    const have = labels[req.key];
    const has = have === undefined ? `no ${req.key}` : `${req.key}=${have}`;
    const single = req.operator === 'In' && req.values?.length === 1 ? req.values[0] : undefined;
    const edit: Failure['edit'] = single === undefined ? undefined : have === undefined ? { templateAdd: [req.key, single] } : { templateSet: [req.key, single] };
    out.push({ requires: describe(req), has, range, edit });
  });
  return out;
}

/** The labels to select a template by when a selector is empty: its identity labels, else all of them. */
function selectorFromTemplate(w: Workload): Record<string, string> {
  const id = IDENTITY_KEYS.filter((k) => k in w.podLabels);
  const keys = id.length > 0 ? id.slice(0, 2) : Object.keys(w.podLabels);
  return Object.fromEntries(keys.map((k) => [k, w.podLabels[k]]));
}

export default defineRule({
  meta: {
    id: 'selector-template-mismatch',
    severity: 'error',
    description: "A workload's selector does not select the labels of its own pod template.",
    why: 'A Deployment, StatefulSet, DaemonSet, ReplicaSet or Job manages the pods its selector selects, and the API server refuses a spec whose template would create pods it does not select ("selector does not match template labels"), as well as an empty selector. `kubectl apply` fails, typically after a label was renamed in the template only. matchExpressions count like matchLabels. The fix changes the pod template, because a selector cannot be changed once the object exists, except when the template already carries the spec\'s cost label value and the selector misspells it.',
    fixable: true,
    criteria: [],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const w = workloadOf(res);
      if (!w || !w.selector || !w.selectorPath || res.kind === 'Pod') continue;
      const templateRelated = resourceRelated(res, `The pod template's labels: ${formatLabels(w.podLabels) || 'none'}`, res.keyRange(w.podLabelsPath));
      if (selectorIsEmpty(w.selector)) {
        if (!NON_EMPTY_SELECTOR.has(res.kind) || res.group !== 'apps') continue;
        const wanted = selectorFromTemplate(w);
        const edit = Object.keys(wanted).length > 0 ? addToMap(res, [...w.selectorPath, 'matchLabels'], wanted) : undefined;
        ctx.report({
          resource: res,
          range: res.keyRange(w.selectorPath),
          message: `The selector of ${res.kind} ${res.name} is empty; the API server rejects an empty selector ("empty selector is invalid"). Select the pod template by its identifying labels.`,
          related: [templateRelated],
          fix: edit && { title: `Select ${formatLabels(wanted)}`, edits: [edit], preferred: true },
        });
        continue;
      }
      const failed = failures(res, w, ctx.specFor(res.file));
      if (failed.length === 0) continue;
      const edits: TextEdit[] = [];
      const add: Record<string, string> = {};
      let fixable = failed.every((f) => f.edit);
      for (const f of failed) {
        if (!f.edit) continue;
        if (f.edit.templateAdd) add[f.edit.templateAdd[0]] = f.edit.templateAdd[1];
        const e = f.edit.templateSet
          ? setLabelValue(res, [...w.podLabelsPath, f.edit.templateSet[0]], f.edit.templateSet[1])
          : f.edit.selectorSet
            ? setLabelValue(res, f.edit.selectorSet[0], f.edit.selectorSet[1])
            : null;
        if (e) edits.push(e);
        else if (e === undefined) fixable = false;
      }
      if (Object.keys(add).length > 0) {
        const e = addToMap(res, w.podLabelsPath, add);
        if (e) edits.push(e);
        else fixable = false;
      }
      const list = failed.map((f) => `${f.requires} (the template has ${f.has})`).join('; ');
      ctx.report({
        resource: res,
        range: failed[0].range,
        message: `The selector of ${res.kind} ${res.name} does not select its own pod template: it requires ${list}. The API server rejects this ("selector does not match template labels").`,
        related: [templateRelated],
        fix: fixable && edits.length > 0 ? { title: 'Align the pod template with the selector', edits, preferred: true } : undefined,
      });
    }
  },
});
