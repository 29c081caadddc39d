import { changeKeys, recordDependencies } from './deps';
import type { ParsedFile } from './parse';
import { RULES, RULES_BY_ID } from './rules/index';
import type { Finding, Rule, RuleContext } from './rules/rule';
import type { Resource } from './resource';
import { SpecSet } from './spec/specs';
import type { LoadedSpec } from './spec/types';
import { isSuppressed, suppressionSpans } from './suppress';
import { compareRange } from './text';
import type { Diagnostic, SeverityOverride } from './types';
import type { WorkspaceIndex } from './workspace';

export interface LintOptions {
  /** Severity overrides that win over the spec's (editor settings). */
  rules?: Record<string, SeverityOverride>;
  /** Only these rules run (tests, `--rule`). */
  only?: readonly string[];
}

interface FileCacheEntry {
  parsed: ParsedFile;
  specGeneration: number;
  namespaceGeneration: number;
  findings: Diagnostic[];
}

/**
 * One run of a workspace rule: over one file's resources (meta.runsPer 'file'), one spec ('spec'), or the whole
 * workspace. Its findings are kept until something it read changes.
 */
interface Unit {
  rule: Rule;
  /** Position of the rule in the catalog: findings are assembled in catalog order, then by unit key. */
  order: number;
  /** The file, the spec file, or '' for a run over the whole workspace. */
  key: string;
  deps: Set<string>;
  /** Findings by the file they are reported in. */
  byFile: Map<string, Diagnostic[]>;
}

/** What the incremental state was computed against: when one of these changes, everything runs again. */
interface Basis {
  specGeneration: number;
  namespaceGeneration: number;
  optionsVersion: number;
}

export const INTERNAL_ERROR = 'internal-error';

const NO_DIAGNOSTICS: Diagnostic[] = [];

/**
 * Runs the rule catalog over a workspace, incrementally. File-scoped rules are cached per parsed file and re-run
 * only when that file or the specs change. Workspace rules run in units (per file or per spec when the rule says so
 * with meta.runsPer, else over the whole workspace); each unit records what it read (deps.ts), and after an edit
 * only the units of the edited files and those that read something the edit changed run again. A change of the
 * specs, of namespaces resolved through kustomizations, or of the options runs everything again.
 *
 * The result of `lintAll()` equals that of a fresh Linter over the same index; the lists of files whose
 * diagnostics did not change are the same array objects as in the previous result.
 */
export class Linter {
  private readonly fileCache = new Map<string, FileCacheEntry>();
  private optionsVersion = 0;
  private basis: Basis | undefined;
  /** Workspace-rule units by rule, then by unit key. */
  private units = new Map<Rule, Map<string, Unit>>();
  /** Units by the dependency keys they recorded. */
  private dependents = new Map<string, Set<Unit>>();
  /** Units that reported something in a file, by file. */
  private reporters = new Map<string, Set<Unit>>();
  /** The parsed files the units were computed against, and the index generation they are from. */
  private seen = new Map<string, ParsedFile>();
  private seenGeneration: number | undefined;
  /** The finished list of each file, as last returned. */
  private results = new Map<string, Diagnostic[]>();
  /** specs.all() during a lintAll (it copies the list on every call). */
  private specList: readonly LoadedSpec[] = [];
  /** Statistics of the last lintAll (for benchmarks and logs). */
  lastRun = { full: false, changedFiles: 0, unitsRun: 0, filesAssembled: 0 };

  constructor(
    readonly index: WorkspaceIndex,
    readonly specs: SpecSet,
    private options: LintOptions = {},
  ) {}

  setOptions(options: LintOptions): void {
    this.options = options;
    this.optionsVersion++;
    this.fileCache.clear();
  }

  private activeRules(): readonly Rule[] {
    return this.options.only ? RULES.filter((r) => this.options.only!.includes(r.meta.id)) : RULES;
  }

  /**
   * Diagnostics for every file of the index and every spec, keyed by absolute path (files without any included).
   * The map is the caller's; the lists in it are shared with later results and must not be changed.
   */
  lintAll(): Map<string, Diagnostic[]> {
    const rules = this.activeRules();
    const fileRules = rules.filter((r) => r.meta.scope === 'file');
    const workspaceRules = rules.filter((r) => r.meta.scope === 'workspace' && r.check);
    this.index.resolve(); // namespaces resolved before any rule reads them
    const basis: Basis = { specGeneration: this.specs.generation, namespaceGeneration: this.index.namespaceGeneration, optionsVersion: this.optionsVersion };
    const full = !this.basis
      || this.basis.specGeneration !== basis.specGeneration
      || this.basis.namespaceGeneration !== basis.namespaceGeneration
      || this.basis.optionsVersion !== basis.optionsVersion;
    this.basis = basis;
    this.lastRun = { full, changedFiles: 0, unitsRun: 0, filesAssembled: 0 };
    const specs = this.specs.all();
    this.specList = specs;

    // Which files changed since the last run (the index's journal says, else every file is compared), and the
    // dependency keys their resources, before and after, invalidate.
    const changed = new Set<string>();
    const invalid = new Set<string>(['*']);
    const noteChange = (file: string, before: ParsedFile | undefined, after: ParsedFile | undefined) => {
      changed.add(file);
      if (after) this.seen.set(file, after);
      else {
        this.seen.delete(file);
        this.fileCache.delete(file);
      }
      if (full) return;
      invalid.add(`file:${file}`);
      if (after) for (const r of after.resources) for (const k of changeKeys(r)) invalid.add(k);
      if (before) for (const r of before.resources) for (const k of changeKeys(r)) invalid.add(k);
    };
    const journal = this.seenGeneration === undefined ? undefined : this.index.changesSince(this.seenGeneration);
    if (journal) {
      for (const file of journal) {
        const before = this.seen.get(file);
        const after = this.index.file(file);
        if (before !== after) noteChange(file, before, after);
      }
    } else {
      const present = new Set<string>();
      for (const parsed of this.index.files()) {
        present.add(parsed.file);
        const before = this.seen.get(parsed.file);
        if (before !== parsed) noteChange(parsed.file, before, parsed);
      }
      for (const [file, before] of [...this.seen]) if (!present.has(file)) noteChange(file, before, undefined);
    }
    this.seenGeneration = this.index.generation;
    this.lastRun.changedFiles = changed.size;

    // Files whose finished list must be assembled again.
    const dirty = new Set<string>(changed);
    const scopedAll = new Map<Rule, Resource[]>();
    const resourcesFor = (rule: Rule): Resource[] => {
      let list = scopedAll.get(rule);
      if (!list) {
        const all = this.index.resources();
        scopedAll.set(rule, (list = rule.meta.needsSpec ? all.filter((r) => this.specs.specFor(r.file)) : all));
      }
      return list;
    };

    if (full) {
      this.units = new Map();
      this.dependents = new Map();
      this.reporters = new Map();
      workspaceRules.forEach((rule, order) => {
        const runsPer = rule.meta.runsPer;
        if (runsPer === 'file') {
          for (const parsed of this.seen.values()) this.runUnit(rule, order, parsed.file, parsed.resources, resourcesFor, dirty);
        } else if (runsPer === 'spec') {
          for (const spec of specs) this.runUnit(rule, order, spec.file, undefined, resourcesFor, dirty);
        } else {
          this.runUnit(rule, order, '', undefined, resourcesFor, dirty);
        }
      });
    } else if (changed.size > 0) {
      const rerun = new Set<Unit>();
      for (const key of invalid) for (const u of this.dependents.get(key) ?? []) rerun.add(u);
      for (const u of rerun) this.forget(u, dirty);
      workspaceRules.forEach((rule, order) => {
        const byKey = this.units.get(rule);
        if (rule.meta.runsPer === 'file') {
          // The edited files' own units, and the units of other files that read what changed.
          const keys = new Set<string>();
          for (const file of changed) {
            const u = byKey?.get(file);
            if (u && !rerun.has(u)) this.forget(u, dirty);
            keys.add(file);
          }
          for (const u of rerun) if (u.rule === rule) keys.add(u.key);
          for (const key of keys) {
            const parsed = this.seen.get(key);
            if (parsed) this.runUnit(rule, order, key, parsed.resources, resourcesFor, dirty);
          }
        } else {
          for (const u of rerun) {
            if (u.rule === rule) this.runUnit(rule, order, u.key, undefined, resourcesFor, dirty);
          }
        }
      });
    }

    // Assemble the lists of the files something happened to; the others keep theirs.
    const specFiles = new Map<string, LoadedSpec>();
    for (const spec of specs) specFiles.set(spec.file, spec);
    const place = (file: string) => {
      const parsed = this.seen.get(file);
      const spec = specFiles.get(file);
      if (parsed || spec || (this.reporters.get(file)?.size ?? 0) > 0) this.results.set(file, this.assemble(file, parsed, spec, fileRules));
      else this.results.delete(file);
    };
    if (full) {
      this.results = new Map();
      for (const file of this.seen.keys()) place(file);
      for (const spec of specs) if (!this.results.has(spec.file)) place(spec.file);
      // Findings reported in files that are neither indexed nor specs (a rule pointing elsewhere).
      for (const file of this.reporters.keys()) if (!this.results.has(file)) place(file);
    } else {
      for (const file of dirty) place(file);
    }
    return new Map(this.results);
  }

  /** Drops a unit and its findings; the files it reported in are assembled again. */
  private forget(unit: Unit, dirty: Set<string>): void {
    const byKey = this.units.get(unit.rule);
    if (byKey?.get(unit.key) === unit) byKey.delete(unit.key);
    for (const key of unit.deps) {
      const set = this.dependents.get(key);
      if (!set) continue;
      set.delete(unit);
      if (set.size === 0) this.dependents.delete(key);
    }
    for (const file of unit.byFile.keys()) {
      dirty.add(file);
      const set = this.reporters.get(file);
      if (!set) continue;
      set.delete(unit);
      if (set.size === 0) this.reporters.delete(file);
    }
  }

  /**
   * Runs one unit of a workspace rule. `own`: the resources of the unit's file (runsPer 'file'); for other units
   * ctx.resources is every resource the rule checks. `specFile`: the spec of a runsPer 'spec' unit.
   */
  private runUnit(
    rule: Rule,
    order: number,
    key: string,
    own: readonly Resource[] | undefined,
    resourcesFor: (rule: Rule) => Resource[],
    dirty: Set<string>,
    specFile: string | undefined = rule.meta.runsPer === 'spec' ? key : undefined,
  ): void {
    const runsPer = rule.meta.runsPer;
    let resources: readonly Resource[] | undefined;
    let specs: readonly LoadedSpec[] | undefined;
    if (runsPer === 'file') {
      if (!own || own.length === 0) return;
      const scoped = rule.meta.needsSpec ? own.filter((r) => this.specs.specFor(r.file)) : own;
      if (scoped.length === 0) return;
      resources = scoped;
    } else if (runsPer === 'spec') {
      const spec = specFile ? this.specs.get(specFile) : undefined;
      if (!spec) return;
      specs = [spec];
    }
    const recorded = recordDependencies(() => this.run(rule, resources ?? (() => resourcesFor(rule)), specs, key));
    const unit: Unit = { rule, order, key, deps: recorded.keys, byFile: new Map() };
    this.lastRun.unitsRun++;
    for (const d of recorded.value) {
      const list = unit.byFile.get(d.file);
      if (list) list.push(d);
      else unit.byFile.set(d.file, [d]);
    }
    let byKey = this.units.get(rule);
    if (!byKey) this.units.set(rule, (byKey = new Map()));
    byKey.set(key, unit);
    for (const k of unit.deps) {
      const set = this.dependents.get(k);
      if (set) set.add(unit);
      else this.dependents.set(k, new Set([unit]));
    }
    for (const file of unit.byFile.keys()) {
      dirty.add(file);
      const set = this.reporters.get(file);
      if (set) set.add(unit);
      else this.reporters.set(file, new Set([unit]));
    }
  }

  /** The finished list of a file: syntax, file rules, its spec's own diagnostics, workspace findings reported in it. */
  private assemble(file: string, parsed: ParsedFile | undefined, spec: LoadedSpec | undefined, fileRules: Rule[]): Diagnostic[] {
    this.lastRun.filesAssembled++;
    const list: Diagnostic[] = [];
    if (parsed) {
      for (const d of parsed.syntax) list.push(d);
      for (const d of this.fileFindings(parsed, fileRules)) list.push(d);
    }
    if (spec) for (const d of spec.diagnostics) list.push(d);
    const units = this.reporters.get(file);
    if (units && units.size > 0) {
      const ordered = [...units].sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const u of ordered) for (const d of u.byFile.get(file) ?? NO_DIAGNOSTICS) list.push(d);
    }
    return list.length === 0 ? [] : this.finish(file, list);
  }

  private fileFindings(parsed: ParsedFile, fileRules: Rule[]): Diagnostic[] {
    const cached = this.fileCache.get(parsed.file);
    if (
      cached &&
      cached.parsed === parsed &&
      cached.specGeneration === this.specs.generation &&
      cached.namespaceGeneration === this.index.namespaceGeneration
    ) {
      return cached.findings;
    }
    const findings: Diagnostic[] = [];
    if (parsed.resources.length > 0) {
      for (const rule of fileRules) findings.push(...this.run(rule, parsed.resources));
    }
    this.fileCache.set(parsed.file, { parsed, specGeneration: this.specs.generation, namespaceGeneration: this.index.namespaceGeneration, findings });
    return findings;
  }

  /**
   * Runs a rule. `resources`: what ctx.resources holds (a function: computed on first read, for units over the whole
   * workspace); `onlySpecs`: ctx.specs for a unit of one spec.
   */
  private run(rule: Rule, resources: readonly Resource[] | (() => readonly Resource[]), onlySpecs?: readonly LoadedSpec[], unitKey?: string): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (!rule.check) return out;
    const specs = this.specs;
    const needsSpec = rule.meta.needsSpec;
    const index = this.index;
    let scoped: readonly Resource[] | undefined;
    const scopedResources = (): readonly Resource[] => {
      if (!scoped) {
        if (typeof resources === 'function') {
          index.resources(); // records that the run read every resource
          scoped = resources();
        } else {
          scoped = needsSpec ? resources.filter((r) => specs.specFor(r.file)) : resources;
        }
      }
      return scoped;
    };
    const specList = this.specList;
    if (needsSpec && specList.length === 0 && (typeof resources === 'function' || scopedResources().length === 0)) return out;
    const allSpecs = onlySpecs ?? specList;
    const ctx: RuleContext = {
      index,
      get resources() {
        return scopedResources();
      },
      specs: allSpecs,
      specFor: (file) => specs.specFor(file),
      report: (f: Finding) => out.push(toDiagnostic(rule, f)),
    };
    try {
      rule.check(ctx);
    } catch (err) {
      const where = typeof resources === 'function' ? (onlySpecs ? undefined : index.resources()[0]) : resources[0];
      const file = where?.file ?? onlySpecs?.[0]?.file ?? (unitKey || undefined) ?? specList[0]?.file;
      if (file) {
        out.push({
          ruleId: INTERNAL_ERROR,
          severity: 'error',
          file,
          range: where ? where.anchorRange() : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `opex rule ${rule.meta.id} failed on this file and was skipped: ${(err as Error)?.message ?? String(err)}. Please report this with the file attached.`,
        });
      }
    }
    return out;
  }

  /** Severity overrides, suppressions, sorting and de-duplication for one file's diagnostics. */
  private finish(file: string, list: Diagnostic[]): Diagnostic[] {
    const spec = this.specs.specFor(file);
    const parsed = this.index.file(file);
    const spans = parsed ? suppressionSpans(parsed) : [];
    const seen = new Set<string>();
    const result: Diagnostic[] = [];
    for (const d of list) {
      const severity = this.severityOf(d, spec);
      if (severity === 'off') continue;
      if (spans.length > 0 && isSuppressed(d, spans)) continue;
      const key = `${d.ruleId}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(severity === d.severity ? d : { ...d, severity });
    }
    return result.sort((a, b) => compareRange(a.range, b.range) || a.ruleId.localeCompare(b.ruleId));
  }

  private severityOf(d: Diagnostic, spec: LoadedSpec | undefined): SeverityOverride {
    return this.options.rules?.[d.ruleId] ?? spec?.spec.rules[d.ruleId] ?? d.severity;
  }
}

function toDiagnostic(rule: Rule, f: Finding): Diagnostic {
  const file = f.file ?? f.resource?.file;
  if (!file) throw new Error(`rule ${rule.meta.id} reported a finding without a file`);
  const d: Diagnostic = { ruleId: rule.meta.id, severity: rule.meta.severity, file, range: f.range, message: f.message };
  if (f.related && f.related.length > 0) d.related = f.related;
  if (f.fix) d.fix = f.fix;
  return d;
}

export { RULES, RULES_BY_ID };
