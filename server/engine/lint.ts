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

export const INTERNAL_ERROR = 'internal-error';

/**
 * Runs the rule catalog over a workspace. File-scoped rules are cached per parsed file and re-run only when
 * that file or the specs change; workspace rules run over everything on each call.
 */
export class Linter {
  private readonly fileCache = new Map<string, FileCacheEntry>();

  constructor(
    readonly index: WorkspaceIndex,
    readonly specs: SpecSet,
    private options: LintOptions = {},
  ) {}

  setOptions(options: LintOptions): void {
    this.options = options;
    this.fileCache.clear();
  }

  private activeRules(): readonly Rule[] {
    return this.options.only ? RULES.filter((r) => this.options.only!.includes(r.meta.id)) : RULES;
  }

  /** Diagnostics for every file of the index and every spec, keyed by absolute path (files without any included). */
  lintAll(): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    const rules = this.activeRules();
    const fileRules = rules.filter((r) => r.meta.scope === 'file');
    const workspaceRules = rules.filter((r) => r.meta.scope === 'workspace');
    const add = (d: Diagnostic) => {
      let list = out.get(d.file);
      if (!list) out.set(d.file, (list = []));
      list.push(d);
    };
    const all = this.index.resources(); // resolves namespaces before any rule reads them
    const liveFiles = new Set<string>();
    for (const parsed of this.index.files()) {
      liveFiles.add(parsed.file);
      out.set(parsed.file, []);
      for (const d of parsed.syntax) add(d);
      for (const d of this.fileFindings(parsed, fileRules)) add(d);
    }
    for (const key of this.fileCache.keys()) if (!liveFiles.has(key)) this.fileCache.delete(key);
    for (const spec of this.specs.all()) {
      if (!out.has(spec.file)) out.set(spec.file, []);
      for (const d of spec.diagnostics) add(d);
    }
    for (const rule of workspaceRules) {
      for (const d of this.run(rule, all)) add(d);
    }
    for (const [file, list] of out) out.set(file, this.finish(file, list));
    return out;
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

  private run(rule: Rule, resources: readonly Resource[]): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (!rule.check) return out;
    const specs = this.specs;
    const needsSpec = rule.meta.needsSpec;
    const scoped = needsSpec ? resources.filter((r) => specs.specFor(r.file)) : resources;
    if (needsSpec && scoped.length === 0 && specs.all().length === 0) return out;
    const ctx: RuleContext = {
      index: this.index,
      resources: scoped,
      specs: specs.all(),
      specFor: (file) => specs.specFor(file),
      report: (f: Finding) => out.push(toDiagnostic(rule, f)),
    };
    try {
      rule.check(ctx);
    } catch (err) {
      const where = resources[0];
      const file = where?.file ?? specs.all()[0]?.file;
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
