import { isVpa, modeText, sameUpdateMode, UPDATE_MODE_PATH, VPA_MODE_EFFECT, vpaUpdateModeOf } from '../autoscaling';
import { addToMap, replaceValue } from '../edit';
import type { TextEdit } from '../types';
import { defineRule, specRelated } from './rule';

export default defineRule({
  meta: {
    id: 'vpa-update-mode',
    severity: 'error',
    description: "A VerticalPodAutoscaler's updateMode is not the one the spec allows (a missing updatePolicy means Auto).",
    why: 'In any mode but Off the VPA changes running pods: it evicts them (Recreate, and Auto, the default when `updatePolicy` is left out) or resizes them, and a service that has not been observed yet can be restarted at the worst moment. The spec asks for recommendations only (SC-003: "VPA in Off mode only"), which the team applies by hand after reviewing them. The rule checks the VPAs in the spec\'s namespace; an unquoted `Off` is reported by yaml-boolean-trap instead, because kubectl reads it as a boolean.',
    fixable: true,
    criteria: ['SC-003'],
    scope: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      if (!isVpa(res)) continue;
      const loaded = ctx.specFor(res.file);
      if (!loaded || res.namespace !== loaded.spec.namespace) continue;
      const spec = res.get(['spec']);
      if (!spec || typeof spec !== 'object' || Array.isArray(spec)) continue;
      const um = vpaUpdateModeOf(res);
      // An unquoted Off is yaml-boolean-trap's; a value that is no mode at all is the schema's.
      if (um.booleanTrap || um.mode === undefined) continue;
      const required = loaded.spec.constraints.vpaUpdateMode;
      if (sameUpdateMode(um.mode, required)) continue;
      const wanted = `${required} (the VPA ${VPA_MODE_EFFECT[required] ?? 'runs in that mode'})`;
      let message: string;
      let edit: TextEdit | undefined;
      if (um.written) {
        message = `VerticalPodAutoscaler ${res.name} has updateMode ${um.mode}: the VPA ${VPA_MODE_EFFECT[um.mode]}. The spec allows only ${wanted}.`;
        edit = replaceValue(res, UPDATE_MODE_PATH, modeText(required, um.node));
      } else {
        const missing = res.get(['spec', 'updatePolicy']) === undefined ? 'has no updatePolicy' : 'sets no updatePolicy.updateMode';
        message = `VerticalPodAutoscaler ${res.name} ${missing}, so it runs in the default mode Auto: the VPA evicts running pods to apply new requests. The spec allows only ${wanted}.`;
        edit = addToMap(res, ['spec', 'updatePolicy'], { updateMode: required });
      }
      ctx.report({
        resource: res,
        range: um.written ? res.rangeOf(UPDATE_MODE_PATH) : res.keyRange(UPDATE_MODE_PATH),
        message,
        related: specRelated(loaded, 'constraints.vpaUpdateMode', `The spec allows only updateMode ${required}`),
        fix: edit && { title: `Set updateMode to "${required}"`, edits: [edit], preferred: true },
      });
    }
  },
});
