import * as YAML from 'yaml';
import { hasPlaceholder, labelKeyProblem, labelValueProblem } from '../labels';
import { workloadOf } from '../model';
import type { NodePath, Resource } from '../resource';
import { defineRule, type RuleContext } from './rule';

/** A place where labels or a label selector are written. */
interface LabelPlace {
  path: NodePath;
  /** How the place is named in messages: "the pod-template labels". */
  what: string;
  /** 'labels': a label map; 'map': a selector written as a plain map (Service); 'selector': a LabelSelector. */
  form: 'labels' | 'map' | 'selector';
}

function placesOf(res: Resource): LabelPlace[] {
  const out: LabelPlace[] = [{ path: ['metadata', 'labels'], what: 'the labels', form: 'labels' }];
  const w = workloadOf(res);
  if (w) {
    if (res.kind !== 'Pod') out.push({ path: w.podLabelsPath, what: 'the pod-template labels', form: 'labels' });
    if (res.kind === 'CronJob') out.push({ path: ['spec', 'jobTemplate', 'metadata', 'labels'], what: 'the job-template labels', form: 'labels' });
    if (w.selectorPath) out.push({ path: w.selectorPath, what: 'the selector', form: res.kind === 'ReplicationController' ? 'map' : 'selector' });
  }
  if (res.group === '' && res.kind === 'Service') out.push({ path: ['spec', 'selector'], what: 'the selector', form: 'map' });
  if (res.group === 'policy' && res.kind === 'PodDisruptionBudget') out.push({ path: ['spec', 'selector'], what: 'the selector', form: 'selector' });
  if (res.group === 'networking.k8s.io' && res.kind === 'NetworkPolicy') out.push({ path: ['spec', 'podSelector'], what: 'the pod selector', form: 'selector' });
  if (res.group === 'velero.io' && (res.kind === 'Schedule' || res.kind === 'Backup')) {
    const base: NodePath = res.kind === 'Schedule' ? ['spec', 'template'] : ['spec'];
    out.push({ path: [...base, 'labelSelector'], what: 'the backup label selector', form: 'selector' });
    const or = res.get([...base, 'orLabelSelectors']);
    if (Array.isArray(or)) or.forEach((_, i) => out.push({ path: [...base, 'orLabelSelectors', i], what: 'an orLabelSelectors entry', form: 'selector' }));
    const hooks = res.get([...base, 'hooks', 'resources']);
    if (Array.isArray(hooks)) hooks.forEach((_, i) => out.push({ path: [...base, 'hooks', 'resources', i, 'labelSelector'], what: 'the hook label selector', form: 'selector' }));
  }
  return out;
}

function mapNode(res: Resource, path: NodePath): YAML.YAMLMap | undefined {
  const l = res.lookup(path);
  return l.found && YAML.isMap(l.node) ? l.node : undefined;
}

function isMergeKey(key: unknown): boolean {
  return YAML.isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol');
}

function checkPlace(ctx: RuleContext, res: Resource, place: LabelPlace, seen: Set<YAML.Node>): void {
  const builtin = res.group !== 'velero.io';
  const owner = `${res.kind} ${res.name}`;
  const consequence = builtin
    ? `The API server rejects the ${res.kind}.`
    : 'Velero cannot parse the selector, so the backup fails.';
  const checkKey = (node: YAML.Node, key: string, role: string) => {
    if (seen.has(node)) return; // one node reached twice through an alias
    seen.add(node);
    const problem = hasPlaceholder(key) ? undefined : labelKeyProblem(key);
    if (!problem) return;
    ctx.report({
      resource: res,
      range: res.nodeRange(node),
      message: `${role} \`${key}\` in ${place.what} of ${owner} is not a valid label key: ${problem}. ${consequence}`,
    });
  };
  const checkValue = (node: YAML.Node, key: string, value: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    const problem = hasPlaceholder(value) ? undefined : labelValueProblem(value);
    if (!problem) return;
    ctx.report({
      resource: res,
      range: res.nodeRange(node),
      message: `The value of \`${key}\` in ${place.what} of ${owner} is not a valid label value: ${problem} (an empty value is allowed). ${consequence}`,
    });
  };
  const checkMap = (map: YAML.YAMLMap, role: string) => {
    for (const pair of map.items) {
      if (isMergeKey(pair.key) || !YAML.isScalar(pair.key) || pair.key.value === null) continue;
      const key = String(pair.key.value);
      checkKey(pair.key, key, role);
      // Only strings: a number or boolean here is a type error, which the schema rule reports.
      if (YAML.isScalar(pair.value) && typeof pair.value.value === 'string') checkValue(pair.value, key, pair.value.value);
    }
  };

  if (place.form !== 'selector') {
    const map = mapNode(res, place.path);
    if (map) checkMap(map, place.form === 'labels' ? 'Label key' : 'Selector key');
    return;
  }
  const matchLabels = mapNode(res, [...place.path, 'matchLabels']);
  if (matchLabels) checkMap(matchLabels, 'Selector key');
  const exprs = res.lookup([...place.path, 'matchExpressions']);
  if (!exprs.found || !YAML.isSeq(exprs.node)) return;
  exprs.node.items.forEach((_, i) => {
    const keyNode = res.lookup([...place.path, 'matchExpressions', i, 'key']);
    const key = YAML.isScalar(keyNode.node) && typeof keyNode.node.value === 'string' ? keyNode.node.value : undefined;
    if (keyNode.found && keyNode.node && key !== undefined) checkKey(keyNode.node, key, 'Selector key');
    const op = res.get([...place.path, 'matchExpressions', i, 'operator']);
    if (op !== 'In' && op !== 'NotIn') return;
    const values = res.lookup([...place.path, 'matchExpressions', i, 'values']);
    if (!values.found || !YAML.isSeq(values.node)) return;
    for (const v of values.node.items) {
      if (YAML.isScalar(v) && typeof v.value === 'string') checkValue(v, key ?? '?', v.value);
    }
  });
}

export default defineRule({
  meta: {
    id: 'label-syntax',
    severity: 'error',
    description: 'A label key or value (in labels or a label selector) is not a valid Kubernetes label.',
    why: 'Kubernetes allows a label key of an optional DNS-subdomain prefix (at most 253 characters) and `/`, then a name of at most 63 characters, and a value of at most 63 characters (or empty); names and values start and end with a letter or digit and hold only letters, digits, `-`, `_` and `.`. The API server rejects an object whose labels or selector break this, so `kubectl apply` fails, often only in CI or at deploy time. opex checks object labels, pod-template labels, workload, Service, PodDisruptionBudget and NetworkPolicy selectors (matchLabels and matchExpressions) and Velero label selectors, and says which limit is broken. Text with a placeholder that a templating step replaces (`${VAR}`, `{{ x }}`) is left alone.',
    fixable: false,
    criteria: [],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const seen = new Set<YAML.Node>();
      for (const place of placesOf(res)) checkPlace(ctx, res, place, seen);
    }
  },
});
