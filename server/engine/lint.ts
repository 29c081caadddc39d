import { changeKeys, dependOn, recordDependencies } from './deps';
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

/** A finding with the catalog position of the rule that made it (findings are assembled in catalog order). */
interface Entry {
  order: number;
  d: Diagnostic;
}

/** What the file rules found in a file, and what that depends on besides the file itself. */
interface FileCacheEntry {
  parsed: ParsedFile;
  /** The spec that governed the file (rules that need one skip files without). */
  governing: LoadedSpec | undefined;
  /** The specs the rules asked for (by identity: a spec loaded again is another object). */
  specsRead: LoadedSpec[];
  /** specs.generation when a rule read the whole list of specs. */
  allSpecs: number | undefined;
  namespaceGeneration: number;
  optionsVersion: number;
  findings: Diagnostic[];
}

/**
 * A run of workspace rules whose findings are kept until something it read changes: every rule with runsPer 'file'
 * over one file's resources, every rule with runsPer 'spec' for one spec, or one other rule over the whole workspace.
 */
interface Unit {
  id: string;
  kind: 'file' | 'spec' | 'whole';
  /** The file, the spec file, or the rule id of a run over the whole workspace. */
  key: string;
  rules: readonly Rule[];
  deps: readonly string[];
  /** Findings by the file they are reported in; undefined when there are none. */
  byFile: Map<string, Entry[]> | undefined;
}

export const INTERNAL_ERROR = 'internal-error';

/** Statistics of a lintAll, for benchmarks and logs. */
export interface LintRunStats {
  /** Everything ran (first run, or the options, the set of specs or the namespaces changed). */
  full: boolean;
  changedFiles: number;
  changedSpecs: number;
  /** Units of workspace rules run (a unit: one file, one spec, or one rule over the workspace). */
  unitsRun: number;
  /** Files whose file rules ran. */
  fileRuns: number;
  /** Files whose diagnostics were assembled again (the others keep their list). */
  filesAssembled: number;
}

/**
 * Runs the rule catalog over a workspace, incrementally.
 *
 * File rules are cached per parsed file. Workspace rules run in units (see Unit, and meta.runsPer); each unit records
 * what it read (deps.ts): index lookups, views, and the specs it asked for. After an edit only what the edit can change
 * runs again: the units and file rules of the edited files, the units that read something an edited resource is (or
 * was) part of, and, when a spec's content changed, what read that spec. When the set of specs, the namespaces
 * resolved through kustomizations or the options change, everything runs again.
 *
 * The result of `lintAll()` equals that of a fresh Linter over the same index and specs (a property test checks it);
 * the lists of files whose diagnostics did not change are the same array objects as in the previous result.
 */
export class Linter {
  private readonly fileCache = new Map<string, FileCacheEntry>();
  private optionsVersion = 0;
  private basis: { namespaceGeneration: number; optionsVersion: number } | undefined;
  private specGeneration: number | undefined;
  private units = new Map<string, Unit>();
  /** Units by the dependency keys they recorded. */
  private dependents = new Map<string, Set<Unit>>();
  /** Units that reported something in a file, by file. */
  private reporters = new Map<string, Set<Unit>>();
  /** The parsed files the units were computed against, and the index generation they are from. */
  private seen = new Map<string, ParsedFile>();
  private seenGeneration: number | undefined;
  /** The finished list of each file, as last returned. */
  private results = new Map<string, Diagnostic[]>();
  /** specs.all() as of the last change of the specs (it copies the list on every call), and by file. */
  private specList: readonly LoadedSpec[] = [];
  private specFiles = new Map<string, LoadedSpec>();
  private specListGeneration = -1;
  /** While file rules run: the specs they ask for (see FileCacheEntry). */
  private specsRead: { specs: Set<LoadedSpec>; all: boolean } | undefined;
  private ruleOrder = new Map<Rule, number>();
  private rulesFor: { version: number; fileRules: Rule[]; perFile: Rule[]; perSpec: Rule[]; whole: Rule[] } | undefined;
  /** Units to run (again), by unit id. */
  private pending = new Map<string, { kind: Unit['kind']; key: string; rules: readonly Rule[] }>();
  /** Files whose finished list must be assembled again. */
  private dirty = new Set<string>();
  private scopedAll = new Map<Rule, Resource[]>();
  /** Whether the last lintSlice finished its work (the next one starts a new pass). */
  private pass = { done: true };
  lastRun: LintRunStats = { full: false, changedFiles: 0, changedSpecs: 0, unitsRun: 0, fileRuns: 0, filesAssembled: 0 };

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
    return this.lintSlice(Infinity)!;
  }

  /**
   * Lints for at most about `budgetMs` milliseconds (one unit or one file may take longer): the result of lintAll()
   * when the work is done, else undefined, and the next call goes on where this one stopped. Edits made between two
   * calls are taken into account by the next one, so a caller can yield to other work between slices.
   */
  lintSlice(budgetMs: number): Map<string, Diagnostic[]> | undefined {
    const deadline = performance.now() + budgetMs;
    if (this.pass.done) {
      this.pass = { done: false };
      this.lastRun = { full: false, changedFiles: 0, changedSpecs: 0, unitsRun: 0, fileRuns: 0, filesAssembled: 0 };
    }
    this.takeChanges();
    // At least one job per slice, so that any budget makes progress.
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      this.runJob(job);
      if (performance.now() > deadline && (this.pending.size > 0 || this.dirty.size > 0)) return undefined;
    }
    for (const file of this.dirty) {
      this.dirty.delete(file);
      this.place(file);
      if (performance.now() > deadline && this.dirty.size > 0) return undefined;
    }
    this.pass.done = true;
    return new Map(this.results);
  }

  /** The rules of the catalog that run, by how they run (recomputed when the options change). */
  private catalog(): { fileRules: Rule[]; perFile: Rule[]; perSpec: Rule[]; whole: Rule[] } {
    if (this.rulesFor?.version !== this.optionsVersion) {
      const rules = this.activeRules();
      this.ruleOrder = new Map(rules.map((r, i) => [r, i]));
      const workspaceRules = rules.filter((r) => r.meta.scope === 'workspace' && r.check);
      this.rulesFor = {
        version: this.optionsVersion,
        fileRules: rules.filter((r) => r.meta.scope === 'file'),
        perFile: workspaceRules.filter((r) => r.meta.runsPer === 'file'),
        perSpec: workspaceRules.filter((r) => r.meta.runsPer === 'spec'),
        whole: workspaceRules.filter((r) => r.meta.runsPer !== 'file' && r.meta.runsPer !== 'spec'),
      };
    }
    return this.rulesFor;
  }

  /**
   * Notes what changed since the last call: the units to run again (pending) and the files to assemble again (dirty).
   * When the set of specs, the namespaces or the options changed, everything is to be done again.
   */
  private takeChanges(): void {
    const { perFile, perSpec, whole } = this.catalog();
    this.index.resolve(); // namespaces resolved before any rule reads them
    const changedSpecs = this.specGeneration === undefined ? undefined : this.specs.changesSince(this.specGeneration);
    const full = !this.basis
      || this.basis.namespaceGeneration !== this.index.namespaceGeneration
      || this.basis.optionsVersion !== this.optionsVersion
      || changedSpecs === undefined;
    this.basis = { namespaceGeneration: this.index.namespaceGeneration, optionsVersion: this.optionsVersion };
    this.specGeneration = this.specs.generation;
    this.refreshSpecs();
    this.scopedAll.clear();

    if (full) {
      this.lastRun.full = true;
      this.units = new Map();
      this.dependents = new Map();
      this.reporters = new Map();
      this.results = new Map();
      this.pending = new Map();
      this.dirty = new Set();
      this.seen = new Map();
      for (const parsed of this.index.files()) this.seen.set(parsed.file, parsed);
      // File rules' findings stay while still valid (see fileFindings): those computed while a workspace was read.
      for (const file of [...this.fileCache.keys()]) if (!this.seen.has(file)) this.fileCache.delete(file);
      this.seenGeneration = this.index.generation;
      this.lastRun.changedFiles = this.seen.size;
      for (const file of this.seen.keys()) {
        this.dirty.add(file);
        this.queue('file', file, perFile);
      }
      for (const spec of this.specList) {
        this.dirty.add(spec.file);
        this.queue('spec', spec.file, perSpec);
      }
      for (const rule of whole) this.queue('whole', rule.meta.id, [rule]);
      return;
    }

    // Which files changed (the index's journal says, else every file is compared), and the dependency keys their
    // resources, before and after, invalidate.
    const changed = new Set<string>();
    const invalid = new Set<string>();
    const noteChange = (file: string, before: ParsedFile | undefined, after: ParsedFile | undefined) => {
      changed.add(file);
      if (after) this.seen.set(file, after);
      else this.seen.delete(file);
      this.fileCache.delete(file);
      invalid.add('*').add(`file:${file}`);
      if (after) for (const r of after.resources) for (const k of changeKeys(r)) invalid.add(k);
      if (before) for (const r of before.resources) for (const k of changeKeys(r)) invalid.add(k);
    };
    const journal = this.index.changesSince(this.seenGeneration!);
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
    this.lastRun.changedFiles += changed.size;
    for (const file of changed) this.dirty.add(file);

    // A spec whose content changed: what read it, the files it governs (severity overrides) and its own file.
    if (changedSpecs && changedSpecs.length > 0) {
      this.lastRun.changedSpecs += changedSpecs.length;
      const specFiles = new Set(changedSpecs);
      invalid.add('specs');
      for (const f of specFiles) {
        invalid.add(`spec:${f}`);
        this.dirty.add(f);
      }
      for (const [file, entry] of this.fileCache) {
        if (entry.allSpecs !== undefined || entry.specsRead.some((spec) => specFiles.has(spec.file))) {
          this.fileCache.delete(file);
          this.dirty.add(file);
        }
      }
      for (const file of this.seen.keys()) {
        const governing = this.specs.specFor(file);
        if (governing && specFiles.has(governing.file)) this.dirty.add(file);
      }
    }
    if (invalid.size === 0) return;

    const rerun = new Set<Unit>();
    for (const key of invalid) for (const u of this.dependents.get(key) ?? []) rerun.add(u);
    for (const file of changed) {
      const u = this.units.get(`file\u0000${file}`);
      if (u) rerun.add(u);
      this.queue('file', file, perFile);
    }
    for (const file of changedSpecs ?? []) {
      const u = this.units.get(`spec\u0000${file}`);
      if (u) rerun.add(u);
      this.queue('spec', file, perSpec);
    }
    for (const u of rerun) {
      this.forget(u);
      this.queue(u.kind, u.key, u.kind === 'file' ? perFile : u.kind === 'spec' ? perSpec : u.rules);
    }
  }

  private queue(kind: Unit['kind'], key: string, rules: readonly Rule[]): void {
    if (rules.length > 0) this.pending.set(`${kind}\u0000${key}`, { kind, key, rules });
  }

  private runJob(job: { kind: Unit['kind']; key: string; rules: readonly Rule[] }): void {
    if (job.kind === 'file') {
      const parsed = this.seen.get(job.key);
      if (parsed && parsed.resources.length > 0) this.runUnit('file', job.key, job.rules);
      else this.dropUnit(`file\u0000${job.key}`);
    } else if (job.kind === 'spec') {
      if (this.specFiles.has(job.key)) this.runUnit('spec', job.key, job.rules);
      else this.dropUnit(`spec\u0000${job.key}`);
    } else {
      this.runUnit('whole', job.key, job.rules);
    }
  }

  private dropUnit(id: string): void {
    const u = this.units.get(id);
    if (u) this.forget(u);
  }

  /** Every resource a rule checks, for runs over the whole workspace or for one spec (once per slice). */
  private resourcesFor(rule: Rule): Resource[] {
    let list = this.scopedAll.get(rule);
    if (!list) {
      const all = this.index.resources();
      this.scopedAll.set(rule, (list = rule.meta.needsSpec ? all.filter((r) => this.specs.specFor(r.file)) : all));
    }
    return list;
  }

  /** Assembles a file's list again, or forgets the file when nothing is left of it. */
  private place(file: string): void {
    const parsed = this.seen.get(file);
    const spec = this.specFiles.get(file);
    if (parsed || spec || (this.reporters.get(file)?.size ?? 0) > 0) this.results.set(file, this.assemble(file, parsed, spec, this.catalog().fileRules));
    else this.results.delete(file);
  }

  /** Drops a unit and its findings; the files it reported in are assembled again. */
  private forget(unit: Unit): void {
    const dirty = this.dirty;
    if (this.units.get(unit.id) === unit) this.units.delete(unit.id);
    for (const key of unit.deps) {
      const set = this.dependents.get(key);
      if (!set) continue;
      set.delete(unit);
      if (set.size === 0) this.dependents.delete(key);
    }
    if (!unit.byFile) return;
    for (const file of unit.byFile.keys()) {
      dirty.add(file);
      const set = this.reporters.get(file);
      if (!set) continue;
      set.delete(unit);
      if (set.size === 0) this.reporters.delete(file);
    }
  }

  /** Runs a unit of workspace rules and records what it read and reported. */
  private runUnit(kind: Unit['kind'], key: string, rules: readonly Rule[]): void {
    const dirty = this.dirty;
    const resourcesFor = (rule: Rule) => this.resourcesFor(rule);
    const id = `${kind}\u0000${key}`;
    const previous = this.units.get(id);
    if (previous) this.forget(previous);
    const recorded = recordDependencies(() => {
      const entries: Entry[] = [];
      if (kind === 'file') {
        const own = this.seen.get(key)?.resources ?? [];
        for (const rule of rules) {
          const scoped = rule.meta.needsSpec ? own.filter((r) => this.specs.specFor(r.file)) : own;
          if (scoped.length > 0) this.runInto(entries, rule, scoped);
        }
      } else if (kind === 'spec') {
        const spec = this.specFiles.get(key)!;
        for (const rule of rules) this.runInto(entries, rule, () => resourcesFor(rule), spec);
      } else {
        for (const rule of rules) this.runInto(entries, rule, () => resourcesFor(rule));
      }
      return entries;
    });
    this.lastRun.unitsRun++;
    let byFile: Map<string, Entry[]> | undefined;
    for (const e of recorded.value) {
      byFile ??= new Map();
      const list = byFile.get(e.d.file);
      if (list) list.push(e);
      else byFile.set(e.d.file, [e]);
    }
    const unit: Unit = { id, kind, key, rules, deps: [...recorded.keys], byFile };
    this.units.set(id, unit);
    for (const k of unit.deps) {
      const set = this.dependents.get(k);
      if (set) set.add(unit);
      else this.dependents.set(k, new Set([unit]));
    }
    if (!byFile) return;
    for (const file of byFile.keys()) {
      dirty.add(file);
      const set = this.reporters.get(file);
      if (set) set.add(unit);
      else this.reporters.set(file, new Set([unit]));
    }
  }

  private runInto(entries: Entry[], rule: Rule, resources: readonly Resource[] | (() => readonly Resource[]), spec?: LoadedSpec): void {
    const order = this.ruleOrder.get(rule) ?? 0;
    for (const d of this.run(rule, resources, spec)) entries.push({ order, d });
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
      // Catalog order, then unit (file or spec path), then the order of the reports: the same for any run history.
      const found: Array<{ order: number; key: string; i: number; d: Diagnostic }> = [];
      for (const u of units) {
        const entries = u.byFile?.get(file) ?? [];
        for (let i = 0; i < entries.length; i++) found.push({ order: entries[i].order, key: u.key, i, d: entries[i].d });
      }
      found.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.i - b.i);
      for (const f of found) list.push(f.d);
    }
    return list.length === 0 ? [] : this.finish(file, list);
  }

  /**
   * Runs the file rules over files now (while their syntax trees are at hand, as a workspace is read): later passes
   * use these findings as long as the file, the specs the rules read and the namespaces are the same.
   */
  prepareFiles(files: Iterable<string>): void {
    this.refreshSpecs();
    const { fileRules } = this.catalog();
    this.index.resolve();
    for (const file of files) {
      const parsed = this.index.file(file);
      if (parsed) this.fileFindings(parsed, fileRules);
    }
  }

  private fileFindings(parsed: ParsedFile, fileRules: Rule[]): Diagnostic[] {
    const cached = this.fileCache.get(parsed.file);
    if (cached && this.stillValid(cached, parsed)) return cached.findings;
    this.lastRun.fileRuns++;
    const read = { specs: new Set<LoadedSpec>(), all: false };
    this.specsRead = read;
    const findings: Diagnostic[] = [];
    try {
      if (parsed.resources.length > 0) {
        for (const rule of fileRules) findings.push(...this.run(rule, parsed.resources));
      }
    } finally {
      this.specsRead = undefined;
    }
    this.fileCache.set(parsed.file, {
      parsed,
      governing: this.specs.specFor(parsed.file),
      specsRead: [...read.specs],
      allSpecs: read.all ? this.specs.generation : undefined,
      namespaceGeneration: this.index.namespaceGeneration,
      optionsVersion: this.optionsVersion,
      findings,
    });
    return findings;
  }

  private stillValid(entry: FileCacheEntry, parsed: ParsedFile): boolean {
    return entry.parsed === parsed
      && entry.namespaceGeneration === this.index.namespaceGeneration
      && entry.optionsVersion === this.optionsVersion
      && (entry.allSpecs === undefined || entry.allSpecs === this.specs.generation)
      && entry.governing === this.specs.specFor(parsed.file)
      && entry.specsRead.every((spec) => this.specFiles.get(spec.file) === spec);
  }

  /** specs.all() and the specs by file, as of the last change of the specs. */
  private refreshSpecs(): void {
    if (this.specListGeneration === this.specs.generation) return;
    this.specListGeneration = this.specs.generation;
    this.specList = this.specs.all();
    this.specFiles = new Map(this.specList.map((s) => [s.file, s]));
  }

  /**
   * Runs a rule. `resources`: what ctx.resources holds (a function for runs over the whole workspace: computed on
   * first read); `onlySpec`: the spec of a runsPer 'spec' run (ctx.specs is then that spec alone).
   */
  private run(rule: Rule, resources: readonly Resource[] | (() => readonly Resource[]), onlySpec?: LoadedSpec): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (!rule.check) return out;
    const specList = this.specList;
    const ctx = new RunContext(this.index, this.specs, rule, resources, specList, onlySpec, this.specsRead, out);
    if (rule.meta.needsSpec && specList.length === 0 && (typeof resources === 'function' || ctx.resources.length === 0)) return out;
    try {
      rule.check(ctx);
    } catch (err) {
      const where = typeof resources === 'function' ? (onlySpec ? undefined : this.index.resources()[0]) : resources[0];
      const file = where?.file ?? onlySpec?.file ?? specList[0]?.file;
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

/**
 * What a rule's check gets (a class, so that its getters live on the prototype: a lint creates 100,000 of these).
 * `resources`: ctx.resources (a function for runs over the whole workspace: computed on first read, recorded as a read
 * of everything); `onlySpec`: the spec of a runsPer 'spec' run (ctx.specs is then that spec alone); `read`: where the
 * specs asked for are noted while file rules run.
 */
class RunContext implements RuleContext {
  private scoped: readonly Resource[] | undefined;

  constructor(
    readonly index: WorkspaceIndex,
    private readonly specSet: SpecSet,
    private readonly rule: Rule,
    private readonly given: readonly Resource[] | (() => readonly Resource[]),
    private readonly specList: readonly LoadedSpec[],
    private readonly onlySpec: LoadedSpec | undefined,
    private readonly read: { specs: Set<LoadedSpec>; all: boolean } | undefined,
    private readonly out: Diagnostic[],
  ) {}

  get resources(): readonly Resource[] {
    if (!this.scoped) {
      const given = this.given;
      if (typeof given === 'function') {
        this.index.resources(); // records that the run read every resource
        this.scoped = given();
      } else {
        this.scoped = this.rule.meta.needsSpec ? given.filter((r) => this.specSet.specFor(r.file)) : given;
      }
    }
    return this.scoped;
  }

  get specs(): readonly LoadedSpec[] {
    if (this.onlySpec) {
      dependOn(specKey(this.onlySpec));
      return [this.onlySpec];
    }
    dependOn('specs');
    if (this.read) this.read.all = true;
    return this.specList;
  }

  readonly specFor = (file: string): LoadedSpec | undefined => {
    const s = this.specSet.specFor(file);
    if (s) {
      dependOn(specKey(s));
      this.read?.specs.add(s);
    }
    return s;
  };

  readonly report = (f: Finding): void => {
    this.out.push(toDiagnostic(this.rule, f));
  };
}

/** The dependency key of a spec (`spec:<file>`), made once per spec. */
const specKeys = new WeakMap<LoadedSpec, string>();
function specKey(spec: LoadedSpec): string {
  let key = specKeys.get(spec);
  if (!key) specKeys.set(spec, (key = `spec:${spec.file}`));
  return key;
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
