import { chaosAction, experimentName, isLastingAction, POD_SELECTOR_KINDS } from '../chaos';
import { chaosExperimentOf } from '../model';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'chaos-duration-missing',
    severity: 'warning',
    description: 'A lasting chaos action (pod-failure, network, stress, io, time…) has no duration.',
    why: 'Without `duration`, Chaos Mesh keeps a lasting fault in place until someone deletes the experiment: pods stay failed, the network stays degraded, the CPU stays burned, and a forgotten experiment becomes an incident. A duration also bounds the window in which recovery (SC-008) and error rates (SC-009, SC-010) are measured. Pod kill and container kill are instantaneous and need none. Chaos Mesh allows open-ended experiments, so the rule only runs where an opex spec governs the file.',
    fixable: false,
    criteria: ['SC-008', 'SC-009', 'SC-010'],
    scope: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const exp = chaosExperimentOf(res);
      if (!exp || !POD_SELECTOR_KINDS.has(exp.kind) || !isLastingAction(exp)) continue;
      const duration = exp.spec.duration;
      if (duration !== undefined && duration !== null && duration !== '') continue;
      const action = chaosAction(exp);
      const fault = exp.kind === 'PodChaos' ? 'the pods stay failed' : exp.kind === 'NetworkChaos' ? 'the network fault stays' : exp.kind === 'StressChaos' ? 'the stress keeps running' : 'the fault stays';
      const path = [...exp.specPath, 'duration'];
      const schedule = !exp.viaSchedule
        ? ''
        : res.get(['spec', 'concurrencyPolicy']) === 'Allow'
          ? ' (and each run of the Schedule adds another fault on top)'
          : ' (and with concurrencyPolicy Forbid, the default, the Schedule never starts its next run)';
      ctx.report({
        resource: res,
        range: res.keyRange(path),
        message: `${experimentName(exp)} has no duration${action ? ` for action ${action}` : ''}, so ${fault} until someone deletes the experiment${schedule}. Set a duration such as "60s".`,
      });
    }
  },
});
