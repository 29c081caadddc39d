import * as YAML from 'yaml';
import { chaosPodSelectors, experimentName, namespacesNode, type ChaosPodSelector } from '../chaos';
import { addToMap, appendToSeq, removeSeqItem, scalarText } from '../edit';
import type { Resource } from '../resource';
import type { TextEdit } from '../types';
import { defineRule, specRelated } from './rule';

export default defineRule({
  meta: {
    id: 'chaos-namespace-forbidden',
    severity: 'error',
    description: "A Chaos Mesh experiment can reach a namespace outside the spec's chaos namespaces (no `namespaces` means the experiment's own).",
    why: 'The spec confines chaos experiments to a few namespaces (staging, by default) so that resilience is proven where a failure hurts nobody. Chaos Mesh injects faults into every pod its selector reaches: the namespaces listed in `selector.namespaces`, the namespaces of `selector.pods`, and, when neither is given, the namespace the experiment itself is created in. An experiment that reaches production kills or degrades the real service. The rule checks experiments, the experiments Chaos Mesh Schedules create, and the `target` side of NetworkChaos.',
    fixable: true,
    criteria: ['SC-008', 'SC-009', 'SC-010'],
    scope: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const selectors = chaosPodSelectors(res);
      if (selectors.length === 0) continue;
      const loaded = ctx.specFor(res.file);
      if (!loaded) continue;
      const allowed = loaded.spec.constraints.chaosNamespaces;
      const inList = allowed.length > 0 ? allowed.join(', ') : 'no namespace at all';
      const related = specRelated(loaded, 'constraints.chaosNamespaces', `The spec allows chaos experiments only in ${inList}`);
      const allowedText = allowed.length === 1 ? allowed[0] : `[${allowed.join(', ')}]`;
      for (const sel of selectors) {
        const forbidden = sel.namespaces.filter((ns) => !allowed.includes(ns));
        if (forbidden.length === 0) continue;
        const who = experimentName(sel.experiment);
        const field = sel.role === 'target' ? 'target.selector' : 'selector';
        const harm = sel.role === 'target' ? 'its network fault then also reaches the pods there, which the spec keeps out of chaos' : 'the spec keeps every other namespace out of chaos so that no real traffic is disturbed';
        if (sel.pods) {
          for (const ns of forbidden) {
            ctx.report({
              resource: res,
              range: res.keyRange([...sel.path, 'pods', ns]),
              message: `${who} lists pods of namespace ${ns} in ${field}.pods, outside the namespaces the spec allows chaos in (${inList}): ${harm}.`,
              related,
            });
          }
          continue;
        }
        if (sel.namespacesWritten) {
          const fix = namespacesFix(res, sel, allowed);
          const seq = namespacesNode(res, sel);
          sel.namespacesWritten.forEach((ns) => {
            if (allowed.includes(ns)) return;
            const index = seq ? seq.items.findIndex((item) => YAML.isScalar(item) && item.value === ns) : -1;
            ctx.report({
              resource: res,
              range: index >= 0 ? res.rangeOf([...sel.path, 'namespaces', index]) : res.keyRange([...sel.path, 'namespaces']),
              message: `${who} reaches namespace ${ns} through ${field}.namespaces, outside the namespaces the spec allows chaos in (${inList}): ${harm}. Set ${field}.namespaces to ${allowedText}.`,
              related,
              fix: fix && { title: `Set ${field}.namespaces to ${allowedText}`, edits: fix, preferred: true },
            });
          });
          continue;
        }
        const ns = sel.namespaces[0];
        const edit = namespacesAbsentFix(res, sel, allowed);
        const declared = res.declaredNamespace ? '' : ' (it sets no metadata.namespace either)';
        ctx.report({
          resource: res,
          range: res.keyRange([...sel.path, 'namespaces']),
          message: `${who} has no ${field}.namespaces, so Chaos Mesh targets the experiment's own namespace, ${ns}${declared}, which is outside the namespaces the spec allows chaos in (${inList}): ${harm}. Set ${field}.namespaces to ${allowedText}.`,
          related,
          fix: edit && { title: `Set ${field}.namespaces to ${allowedText}`, edits: [edit], preferred: true },
        });
      }
    }
  },
});

/** Edits that leave only allowed namespaces in a written list: forbidden ones are dropped, or replaced by the spec's when none is left. */
function namespacesFix(res: Resource, sel: ChaosPodSelector, allowed: readonly string[]): TextEdit[] | undefined {
  const seq = namespacesNode(res, sel);
  if (!seq || allowed.length === 0 || !seq.items.every((i) => YAML.isScalar(i) && typeof i.value === 'string')) return undefined;
  const path = [...sel.path, 'namespaces'];
  const items = seq.items.map((i) => String((i as YAML.Scalar).value));
  const keep = items.filter((ns) => allowed.includes(ns));
  const wanted = keep.length > 0 ? keep : [...allowed];
  if (seq.flow) {
    const edit = replaceValueNode(res, seq, `[${wanted.map((ns) => scalarText(ns)).join(', ')}]`);
    return edit && [edit];
  }
  const edits: TextEdit[] = [];
  const bad = items.map((ns, i) => (allowed.includes(ns) ? -1 : i)).filter((i) => i >= 0);
  if (keep.length > 0) {
    for (const i of bad) {
      const e = removeSeqItem(res, path, i);
      if (!e) return undefined;
      edits.push(e);
    }
    return edits;
  }
  const [first, ...rest] = bad;
  const item = seq.items[first] as YAML.Node;
  if (!item.range) return undefined;
  // Replace the first forbidden name up to the end of its line, so that the namespaces added after it form one edit
  // (identical in every diagnostic of the list, so that "fix all" applies it once) and a trailing comment stays put.
  const line = res.lines.position(item.range[0]).line;
  const lineEnd = res.lines.lineEnd(line);
  const tail = res.lines.text.slice(item.range[1], lineEnd);
  const indent = res.lines.position(seq.range![0]).character;
  const added = wanted.slice(1).map((ns) => `${res.lines.eol}${' '.repeat(indent)}- ${scalarText(ns)}`).join('');
  edits.push({ file: res.file, range: res.lines.range(item.range[0], lineEnd), newText: scalarText(wanted[0]) + tail + added });
  for (const i of rest) {
    const e = removeSeqItem(res, path, i);
    if (!e) return undefined;
    edits.push(e);
  }
  return edits;
}

/** Adds `namespaces: [allowed…]` to a selector that has none (or an empty one). */
function namespacesAbsentFix(res: Resource, sel: ChaosPodSelector, allowed: readonly string[]): TextEdit | undefined {
  if (allowed.length === 0) return undefined;
  const l = res.lookup([...sel.path, 'namespaces']);
  if (!l.found) return addToMap(res, sel.path, { namespaces: [...allowed] });
  if (YAML.isSeq(l.node) && l.node.items.length === 0) return replaceValueNode(res, l.node, `[${allowed.map((ns) => scalarText(ns)).join(', ')}]`);
  if (allowed.length === 1) return appendToSeq(res, [...sel.path, 'namespaces'], allowed[0]);
  return undefined;
}

function replaceValueNode(res: Resource, node: YAML.Node, text: string): TextEdit | undefined {
  if (!node.range) return undefined;
  return { file: res.file, range: res.nodeRange(node), newText: text };
}
