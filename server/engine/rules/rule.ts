import { safeFix } from '../anchors';
import type { Resource } from '../resource';
import type { LoadedSpec, OpexSpec } from '../spec/types';
import type { CriterionId, Fix, Range, RelatedInformation, Severity } from '../types';
import type { WorkspaceIndex } from '../workspace';

export interface RuleMeta {
  /** Public contract: never renamed. */
  id: string;
  severity: Severity;
  /** One line: when the rule fires. */
  description: string;
  /** Why it matters, in a few sentences, for the rule's documentation. */
  why: string;
  fixable: boolean;
  /** Success criteria of the spec this rule protects. */
  criteria: CriterionId[];
  /**
   * 'file': the rule reads only the file's own resources (and the spec), so its results are cached per file.
   * 'workspace': it relates resources across files and runs over the whole workspace.
   */
  scope: 'file' | 'workspace';
  /**
   * Workspace rules only: how the engine may split the rule's run, so that after an edit it repeats only what the
   * edit can change (absent: one run over the whole workspace, repeated on every change).
   * - 'file': the rule's findings are the union of its findings for each resource of `ctx.resources` taken on its
   *   own (it loops over ctx.resources and looks anything else up through ctx.index): the engine runs it once per
   *   file, with that file's resources in ctx.resources.
   * - 'spec': the findings are the union of its findings for each spec of `ctx.specs` taken on its own (it loops over
   *   ctx.specs): the engine runs it once per spec, with ctx.specs = [that spec].
   * Either way the engine records what each run reads through ctx.index and the views built on it (`deps.ts`:
   * prefer lookups such as `index.workloadsIn(ns)`, `index.find(...)` or a view to a scan of every resource, so that a
   * run depends on no more than it needs) and repeats a run when its file changed or something it read did. Read the
   * workspace only through ctx.index and views: data about other resources kept elsewhere (a module-level cache)
   * would not be seen to change. A test checks that incremental results equal a fresh lint.
   */
  runsPer?: 'file' | 'spec';
  /** Does the rule need a spec? Rules that do stay quiet where no spec governs the resource. */
  needsSpec: boolean;
  /** Set for the rules whose diagnostics come from reading files rather than from a check. */
  reportedBy?: 'parser' | 'spec-loader';
}

export interface Finding {
  /** The resource the finding is about; its file is where it is reported unless `file` says otherwise. */
  resource?: Resource;
  file?: string;
  range: Range;
  message: string;
  related?: RelatedInformation[];
  fix?: Fix;
}

export interface RuleContext {
  readonly index: WorkspaceIndex;
  /**
   * What this run checks: one file's resources (file rules, and workspace rules with runsPer 'file') or every
   * resource (other workspace rules). For rules that need a spec, only resources a spec governs.
   */
  readonly resources: readonly Resource[];
  /** Every spec in the workspace (only the run's spec for workspace rules with runsPer 'spec'). */
  readonly specs: readonly LoadedSpec[];
  /** The spec governing a file: the nearest one in its folder or above (or the one given with --spec). */
  specFor(file: string): LoadedSpec | undefined;
  report(finding: Finding): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Absent only for rules reported by the parser or the spec loader (meta.reportedBy). */
  check?(ctx: RuleContext): void;
}

/**
 * The context a rule's check gets: ctx, with every reported fix vetted. A class (getters on the prototype): an object
 * literal with getters or Object.create with a descriptor is a slow path, and a lint runs checks 100,000 times.
 */
class VettedContext implements RuleContext {
  constructor(private readonly ctx: RuleContext) {}

  get index(): WorkspaceIndex {
    return this.ctx.index;
  }

  get resources(): readonly Resource[] {
    return this.ctx.resources;
  }

  get specs(): readonly LoadedSpec[] {
    return this.ctx.specs;
  }

  readonly specFor = (file: string): LoadedSpec | undefined => this.ctx.specFor(file);

  readonly report = (f: Finding): void => {
    const ctx = this.ctx;
    ctx.report(f.fix && safeFix(ctx.index, f.fix) !== f.fix ? { ...f, fix: undefined } : f);
  };
}

export function defineRule(rule: Rule): Rule {
  const check = rule.check;
  if (!check) return rule;
  return {
    ...rule,
    // Every fix is vetted: one that edits text an alias shares with other places is withdrawn (see anchors.ts).
    check(ctx: RuleContext): void {
      check.call(rule, new VettedContext(ctx));
    },
  };
}

/** Related information pointing at a spec field, when the spec says where it was written. */
export function specRelated(spec: LoadedSpec | undefined, field: string, message: string): RelatedInformation[] {
  const range = spec?.locations[field];
  return spec && range ? [{ file: spec.file, range, message }] : [];
}

export function resourceRelated(res: Resource, message: string, range: Range = res.anchorRange()): RelatedInformation {
  return { file: res.file, range, message };
}

export type { OpexSpec, LoadedSpec };
