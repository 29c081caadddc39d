/**
 * The server's model of the workspace: which files exist (from disk or from the editor), the engine's index and
 * specs built from them, and the lint results. Edits are recorded as pending and applied on the next `flush()`,
 * so a burst of keystrokes parses the file once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ignore, { type Ignore } from 'ignore';
import { ALWAYS_SKIPPED_DIRS, isYamlFile, specsAbove } from '../engine/discover';
import { Linter } from '../engine/lint';
import { setSyntaxTreeLimit } from '../engine/resource';
import { isSpecFile, SpecSet } from '../engine/spec/specs';
import type { LoadedSpec } from '../engine/spec/types';
import type { Diagnostic } from '../engine/types';
import { WorkspaceIndex } from '../engine/workspace';
import { DEFAULT_SETTINGS, type OpexSettings, type StatusSpec } from '../protocol';
import type { Log } from './log';
import { SYNTAX_TREES_KEPT } from './memory';

/** Files larger than this are not read (no manifest is this big; the editor must stay responsive). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** Is the file something opex reads: a YAML manifest or a spec (opex.yaml is both, as for the CLI)? */
export function isOpexFile(file: string): boolean {
  return isYamlFile(file) || isSpecFile(file);
}

export interface LintSnapshot {
  /** Diagnostics per absolute path, every indexed file and spec included (empty lists too). */
  byFile: Map<string, Diagnostic[]>;
  key: string;
}

/**
 * gitignore and `opex.exclude` for single paths (file events, opened documents), with the semantics of the
 * engine's discoverFiles: each folder's .gitignore applies below it; node_modules, .git… are always skipped.
 */
export class IgnoreRules {
  private readonly gitignores = new Map<string, Ignore | null>();
  private exclude: Ignore = ignore();

  setExclude(patterns: readonly string[]): void {
    this.exclude = ignore().add([...patterns]);
  }

  /** Forget cached .gitignore files (one changed). */
  reset(): void {
    this.gitignores.clear();
  }

  isIgnored(file: string, root: string): boolean {
    const rel = path.relative(root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const segments = rel.split(path.sep);
    for (const seg of segments.slice(0, -1)) if (ALWAYS_SKIPPED_DIRS.has(seg)) return true;
    const posix = segments.join('/');
    if (this.matches(this.exclude, segments, posix)) return true;
    let dir = root;
    for (let i = 0; i < segments.length; i++) {
      const ig = this.gitignoreOf(dir);
      if (ig) {
        const below = segments.slice(i);
        if (this.matches(ig, below, below.join('/'))) return true;
      }
      dir = path.join(dir, segments[i]);
    }
    return false;
  }

  /** A path is ignored when it or one of its parent folders is (folders are tested with a trailing slash). */
  private matches(ig: Ignore, segments: string[], posix: string): boolean {
    for (let i = 1; i < segments.length; i++) {
      if (ig.ignores(`${segments.slice(0, i).join('/')}/`)) return true;
    }
    return ig.ignores(posix);
  }

  private gitignoreOf(dir: string): Ignore | null {
    if (this.gitignores.has(dir)) return this.gitignores.get(dir)!;
    let ig: Ignore | null = null;
    try {
      ig = ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
    } catch {
      ig = null;
    }
    this.gitignores.set(dir, ig);
    return ig;
  }
}

export class Project {
  readonly index = new WorkspaceIndex();
  readonly specs = new SpecSet();
  readonly linter: Linter;
  readonly ignores = new IgnoreRules();
  settings: OpexSettings = { ...DEFAULT_SETTINGS };
  /** Workspace folders, absolute. */
  folders: string[] = [];
  /** The text of every spec file found (the forced spec included), so specs can be re-chosen when settings change. */
  private readonly specTexts = new Map<string, string>();
  /** Spec files that failed to load, with the reason. */
  readonly specErrors = new Map<string, string>();
  private forcedSpec: string | undefined;
  /** Texts not yet applied: path → text, or null for a removal. */
  private readonly pending = new Map<string, string | null>();
  /** URIs as the client spelled them, for documents it opened. */
  private readonly clientUris = new Map<string, string>();
  private snapshot: LintSnapshot | undefined;
  private optionsVersion = 0;

  constructor(private readonly log: Log) {
    this.linter = new Linter(this.index, this.specs, {});
    // A server keeps the syntax trees of the files used last, not those of the whole workspace (see memory.ts).
    setSyntaxTreeLimit(SYNTAX_TREES_KEPT);
  }

  /** Runs the file rules over files just read, while their syntax trees are at hand (see Linter.prepareFiles). */
  prepare(files: Iterable<string>): void {
    this.flush();
    this.linter.prepareFiles(files);
  }

  uriOf(file: string): string {
    return this.clientUris.get(file) ?? pathToFileURL(file).href;
  }

  rememberUri(file: string, uri: string): void {
    this.clientUris.set(file, uri);
  }

  forgetUri(file: string): void {
    this.clientUris.delete(file);
  }

  /** The spec file `opex.spec` names, when set and readable. */
  get forcedSpecFile(): string | undefined {
    return this.forcedSpec;
  }

  /** Is the file open in the editor (its text there wins over the disk's)? */
  isOpen(file: string): boolean {
    return this.clientUris.has(file);
  }

  /** The workspace folder a file is in (the deepest), if any. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      if ((file === f || file.startsWith(f + path.sep)) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  /** Is the file one opex checks: an opex file, not gitignored or excluded in its folder. */
  isIncluded(file: string): boolean {
    if (file === this.forcedSpec) return true;
    if (!isOpexFile(file)) return false;
    const folder = this.folderOf(file);
    return folder ? !this.ignores.isIgnored(file, folder) : true;
  }

  /** Records a new text for a file (an edit, a file read from disk); applied on the next flush. */
  setText(file: string, text: string): void {
    this.pending.set(file, text);
  }

  removeFile(file: string): void {
    this.pending.set(file, null);
  }

  /** Removes every known file at or below a path (a folder deleted outside the editor). */
  removeTree(target: string): void {
    const prefix = target + path.sep;
    const below = (file: string) => (file === target || file.startsWith(prefix)) && !this.isOpen(file);
    for (const parsed of this.index.files()) if (below(parsed.file)) this.pending.set(parsed.file, null);
    for (const file of this.specTexts.keys()) if (below(file)) this.pending.set(file, null);
    for (const [file, text] of this.pending) if (text !== null && below(file)) this.pending.set(file, null);
  }

  /** Files known to the project: manifests in the index and spec files. */
  knownFiles(): string[] {
    const out = new Set<string>();
    for (const p of this.index.files()) out.add(p.file);
    for (const f of this.specTexts.keys()) out.add(f);
    return [...out];
  }

  hasFile(file: string): boolean {
    return this.index.file(file) !== undefined || this.specTexts.has(file) || (this.pending.get(file) ?? null) !== null;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Applies pending texts to the index and the specs. Returns the files that changed. */
  flush(): string[] {
    if (this.pending.size === 0) return [];
    const changed = [...this.pending.keys()];
    const specsChanged = new Set<string>();
    for (const [file, text] of this.pending) {
      if (text === null) {
        this.index.removeFile(file);
        if (this.specTexts.delete(file)) specsChanged.add(file);
        continue;
      }
      if (isSpecFile(file) || file === this.forcedSpec) {
        this.specTexts.set(file, text);
        specsChanged.add(file);
      }
    }
    // Specs before manifests: opex.yaml is both, and the index takes the document the spec loader parsed.
    if (specsChanged.size > 0) this.reloadSpecs(specsChanged);
    for (const [file, text] of this.pending) {
      if (text !== null && isYamlFile(file) && file !== this.forcedSpec) this.index.setFile(file, text);
    }
    this.pending.clear();
    return changed;
  }

  /**
   * Applies `opex.spec`: a spec file (absolute or relative to the first folder) that governs every file, or null.
   * Returns a problem to show the user, if the file cannot be read.
   */
  setForcedSpec(setting: string | null): string | undefined {
    let problem: string | undefined;
    let file: string | undefined;
    if (setting) {
      file = path.resolve(this.folders[0] ?? process.cwd(), setting);
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
        if (st.size > MAX_FILE_BYTES) throw new Error('too large');
        this.specTexts.set(file, fs.readFileSync(file, 'utf8'));
      } catch (err) {
        problem = `opex.spec: cannot read ${setting} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the nearest spec governs each file instead.`;
        file = undefined;
      }
    }
    if (file !== this.forcedSpec) {
      const previous = this.forcedSpec;
      this.forcedSpec = file;
      if (file) this.index.removeFile(file);
      if (previous) {
        // The file that was forced is an ordinary file again: a spec if its name says so, a manifest if in a folder.
        const text = this.specTexts.get(previous);
        if (!isSpecFile(previous) || !this.folderOf(previous)) this.specTexts.delete(previous);
        if (text !== undefined && isYamlFile(previous) && this.folderOf(previous) && this.isIncluded(previous)) this.index.setFile(previous, text);
      }
      this.reloadSpecs();
    }
    return problem;
  }

  /** Loads the specs of files opened outside every workspace folder (those above them). */
  adoptSpecsAbove(file: string): void {
    if (this.folderOf(file)) return;
    for (const spec of specsAbove(file)) {
      if (this.specTexts.has(spec)) continue;
      try {
        this.specTexts.set(spec, fs.readFileSync(spec, 'utf8'));
        this.reloadSpecs(new Set([spec]));
      } catch {
        // unreadable: no spec from there
      }
    }
  }

  /** Loads the specs again: all of them (the forced spec changed), or only the files that changed. */
  private reloadSpecs(changed?: ReadonlySet<string>): void {
    const load = (file: string, text: string, forced: boolean) => {
      this.specErrors.delete(file);
      try {
        if (forced) this.specs.force(file, text);
        else this.specs.setFile(file, text);
      } catch (err) {
        this.specs.removeFile(file);
        this.specErrors.set(file, (err as Error).message);
        this.log.warn(`opex: cannot load the spec ${file}: ${(err as Error).message}`);
      }
    };
    if (this.forcedSpec) {
      if (changed && !changed.has(this.forcedSpec)) return; // other spec files do not count while one is forced
      for (const s of this.specs.all()) this.specs.removeFile(s.file);
      this.specErrors.clear();
      load(this.forcedSpec, this.specTexts.get(this.forcedSpec) ?? '', true);
      return;
    }
    if (!changed) {
      this.specs.clearForced();
      for (const s of this.specs.all()) this.specs.removeFile(s.file);
      this.specErrors.clear();
    }
    const files = changed ? [...changed] : [...this.specTexts.keys()];
    for (const file of files.sort()) {
      const text = this.specTexts.get(file);
      if (text === undefined) {
        this.specs.removeFile(file);
        this.specErrors.delete(file);
      } else {
        load(file, text, false);
      }
    }
  }

  setRuleOverrides(rules: OpexSettings['rules']): void {
    this.linter.setOptions({ rules: { ...rules } });
    this.optionsVersion++;
  }

  /** Lint results for the current texts; computed once per change of files, specs or options. */
  lint(): LintSnapshot {
    return this.lintSlice(Infinity)!;
  }

  /**
   * Lints for about `budgetMs` (see Linter.lintSlice): the snapshot when the work is done, else undefined (call again
   * after yielding; edits made meanwhile are included).
   */
  lintSlice(budgetMs: number): LintSnapshot | undefined {
    this.flush();
    const key = this.snapshotKey();
    if (this.snapshot?.key === key) return this.snapshot;
    const byFile = this.linter.lintSlice(budgetMs);
    if (!byFile) return undefined;
    for (const [file, reason] of this.specErrors) {
      // A new list: the engine's lists are shared with its later results.
      byFile.set(file, [
        ...(byFile.get(file) ?? []),
        {
          ruleId: 'spec-invalid',
          severity: 'error',
          file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `opex cannot read this spec: ${reason}.`,
        },
      ]);
    }
    this.snapshot = { byFile, key };
    return this.snapshot;
  }

  /** Whether lint results for the current texts are at hand (no lint work is pending). */
  get isLinted(): boolean {
    return !this.hasPending && this.snapshot?.key === this.snapshotKey();
  }

  private snapshotKey(): string {
    return `${this.index.generation}|${this.specs.generation}|${this.optionsVersion}`;
  }

  /** The lint results if they are current, without computing them. */
  get currentSnapshot(): LintSnapshot | undefined {
    return this.isLinted ? this.snapshot : undefined;
  }

  specFor(file: string): LoadedSpec | undefined {
    return this.specs.specFor(file);
  }

  /** The spec loaded from a spec file, if that file is one. */
  specAt(file: string): LoadedSpec | undefined {
    return this.specs.get(file);
  }

  /** The text of a known file (an indexed manifest or a spec). */
  textOf(file: string): string | undefined {
    const pending = this.pending.get(file);
    if (pending !== undefined) return pending ?? undefined;
    return this.index.file(file)?.text ?? this.specTexts.get(file);
  }

  statusSpecs(): StatusSpec[] {
    return this.specs.all().map((s) => ({ file: s.file, service: s.spec.service, format: s.format }));
  }

  /** Path relative to the file's workspace folder (or to a given folder), with forward slashes. */
  relative(file: string, from?: string): string {
    const base = from ?? this.folderOf(file);
    if (!base) return file;
    return path.relative(base, file).split(path.sep).join('/');
  }
}
