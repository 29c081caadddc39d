/** The rule catalog: every rule opex has, in the order the documentation lists them. */
import type { Rule } from './rule';
import yamlSyntax from './yaml-syntax';
import duplicateResource from './duplicate-resource';
import costLabelsMissing from './cost-labels-missing';
import specInvalid from './spec-invalid';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  duplicateResource,
  costLabelsMissing,
  specInvalid,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
