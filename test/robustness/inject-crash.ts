/**
 * A test build of the language server: preloaded (NODE_OPTIONS=--require) into a server run from the sources, it makes
 * two rules throw on documents that carry the annotation `opex-test/crash` (a file rule and a workspace rule). No
 * such hook exists in the product: this module is only ever loaded by test/robustness/lsp.test.ts.
 */
import { RULES_BY_ID } from '../../server/engine/rules/index';
import type { RuleContext } from '../../server/engine/rules/rule';

for (const id of ['label-syntax', 'selector-overlap']) {
  const rule = RULES_BY_ID.get(id);
  if (!rule?.check) throw new Error(`inject-crash: no rule ${id}`);
  const original = rule.check.bind(rule);
  rule.check = (ctx: RuleContext) => {
    if (ctx.resources.some((r) => r.value?.metadata?.annotations?.['opex-test/crash'] !== undefined)) throw new Error(`injected crash in ${id}`);
    original(ctx);
  };
}
