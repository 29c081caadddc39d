import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'yaml-syntax',
    severity: 'error',
    description: 'The YAML does not parse.',
    why: 'kubectl and every controller reject a file they cannot parse, so nothing in it is applied. opex reports the parser\'s own message at the parser\'s position; tabs used for indentation, duplicate keys and unclosed flow collections are the usual causes. Anchors and aliases are expanded at most 1,000 times per document, so an alias bomb is reported here instead of exhausting memory.',
    fixable: false,
    criteria: [],
    scope: 'file',
    needsSpec: false,
    reportedBy: 'parser',
  },
});
