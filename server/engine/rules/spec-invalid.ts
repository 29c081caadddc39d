import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'spec-invalid',
    severity: 'error',
    description: 'The spec itself is malformed or contradicts itself (retention < RPO, RTO < pod recovery).',
    why: 'Every other rule reads its targets from the spec. A value opex cannot understand is never replaced by a silent default: it is reported on the line that holds it, and the rules that need it stay quiet until it is fixed. Contradictions (a retention shorter than the RPO, an RTO shorter than the pod-kill recovery target) are reported on the field that breaks the other.',
    fixable: false,
    criteria: [],
    scope: 'file',
    needsSpec: true,
    reportedBy: 'spec-loader',
  },
});
