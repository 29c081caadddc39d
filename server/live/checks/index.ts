/** The live checks, one per success criterion, in the chapter's order. */
import type { CriterionId } from '../../engine/types';
import type { Check } from './common';
import sc001 from './SC-001';
import sc002 from './SC-002';
import sc003 from './SC-003';
import sc004 from './SC-004';
import sc005 from './SC-005';
import sc006 from './SC-006';
import sc007 from './SC-007';
import sc008 from './SC-008';
import sc009 from './SC-009';
import sc010 from './SC-010';

export const CHECKS: Record<CriterionId, Check> = {
  'SC-001': sc001,
  'SC-002': sc002,
  'SC-003': sc003,
  'SC-004': sc004,
  'SC-005': sc005,
  'SC-006': sc006,
  'SC-007': sc007,
  'SC-008': sc008,
  'SC-009': sc009,
  'SC-010': sc010,
};
