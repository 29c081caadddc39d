/** The rule catalog: every rule opex has, in the order the documentation lists them. */
import type { Rule } from './rule';
import yamlSyntax from './yaml-syntax';
import schema from './schema';
import yamlBooleanTrap from './yaml-boolean-trap';
import duplicateResource from './duplicate-resource';
import costLabelsMissing from './cost-labels-missing';
import labelSyntax from './label-syntax';
import costLabelValueMismatch from './cost-label-value-mismatch';
import costLabelsInconsistent from './cost-labels-inconsistent';
import selectorUsesCostLabel from './selector-uses-cost-label';
import selectorTemplateMismatch from './selector-template-mismatch';
import selectorOverlap from './selector-overlap';
import serviceSelectorUnmatched from './service-selector-unmatched';
import serviceTargetPortUnknown from './service-target-port-unknown';
import probePortUnknown from './probe-port-unknown';
import probeMissing from './probe-missing';
import replicasTooLow from './replicas-too-low';
import resourcesRequestsMissing from './resources-requests-missing';
import specInvalid from './spec-invalid';
import vpaUpdateMode from './vpa-update-mode';
import vpaTargetNotFound from './vpa-target-not-found';
import vpaContainerUnknown from './vpa-container-unknown';
import vpaBoundsInvalid from './vpa-bounds-invalid';
import vpaHpaConflict from './vpa-hpa-conflict';
import backupMissing from './backup-missing';
import backupCronInvalid from './backup-cron-invalid';
import backupScheduleMismatch from './backup-schedule-mismatch';
import backupIntervalExceedsRpo from './backup-interval-exceeds-rpo';
import backupTtlMismatch from './backup-ttl-mismatch';
import backupTtlTooShort from './backup-ttl-too-short';
import backupNamespaceNotCovered from './backup-namespace-not-covered';
import backupHookMissing from './backup-hook-missing';
import backupHookOnError from './backup-hook-on-error';
import backupHookTimeout from './backup-hook-timeout';
import backupHookPodsExcluded from './backup-hook-pods-excluded';
import backupHookSelectorUnmatched from './backup-hook-selector-unmatched';
import backupHookContainerUnknown from './backup-hook-container-unknown';
import chaosNamespaceForbidden from './chaos-namespace-forbidden';
import chaosModeTooBroad from './chaos-mode-too-broad';
import chaosDurationMissing from './chaos-duration-missing';
import chaosSelectorUnmatched from './chaos-selector-unmatched';
import specCriterionUncovered from './spec-criterion-uncovered';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  yamlBooleanTrap,
  duplicateResource,
  labelSyntax,
  costLabelsMissing,
  costLabelValueMismatch,
  costLabelsInconsistent,
  selectorUsesCostLabel,
  selectorTemplateMismatch,
  selectorOverlap,
  serviceSelectorUnmatched,
  serviceTargetPortUnknown,
  probePortUnknown,
  probeMissing,
  replicasTooLow,
  resourcesRequestsMissing,
  vpaUpdateMode,
  vpaTargetNotFound,
  vpaContainerUnknown,
  vpaBoundsInvalid,
  vpaHpaConflict,
  backupMissing,
  backupCronInvalid,
  backupScheduleMismatch,
  backupIntervalExceedsRpo,
  backupTtlMismatch,
  backupTtlTooShort,
  backupNamespaceNotCovered,
  backupHookMissing,
  backupHookOnError,
  backupHookTimeout,
  backupHookPodsExcluded,
  backupHookSelectorUnmatched,
  backupHookContainerUnknown,
  chaosNamespaceForbidden,
  chaosModeTooBroad,
  chaosDurationMissing,
  chaosSelectorUnmatched,
  specInvalid,
  specCriterionUncovered,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
