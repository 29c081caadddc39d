/** Who opex is, in one place: the CLI, SARIF and the language server all name it this way. */
export const OPEX_VERSION = '0.1.0';
export const OPEX_HOMEPAGE = 'https://github.com/opex-dev/opex';
/** Rule documentation: `docs/rules/<id>.md` in the repository. */
export const RULE_DOCS_BASE = `${OPEX_HOMEPAGE}/blob/main/docs/rules/`;

export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE}${ruleId}.md`;
}
