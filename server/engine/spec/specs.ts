import * as path from 'node:path';
import { loadSpec } from './load';
import { DEFAULT_CONSTRAINTS, type LoadedSpec } from './types';

/** A loader bug must not take the whole workspace down: the spec file gets one diagnostic and governs nothing useful. */
function loadSafely(file: string, text: string): LoadedSpec {
  try {
    return loadSpec(file, text);
  } catch (err) {
    return {
      file,
      format: /\.ya?ml$/i.test(file) ? 'yaml' : 'markdown',
      spec: { service: '', namespace: '', costLabels: {}, costLabelScope: 'service', cost: {}, constraints: { ...DEFAULT_CONSTRAINTS }, rules: {}, criteria: [] },
      locations: {},
      diagnostics: [
        {
          ruleId: 'internal-error',
          severity: 'error',
          file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `opex could not read this spec: ${(err as Error)?.message ?? String(err)}. Please report this with the file attached.`,
        },
      ],
    };
  }
}

/** Is this file an opex spec (opex.yaml, or the chapter's `*-opex-spec.md`)? */
export function isSpecFile(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  return base === 'opex.yaml' || base === 'opex.yml' || base.endsWith('-opex-spec.md') || base === 'opex-spec.md';
}

/**
 * The specs of a workspace. A spec governs its folder and everything below it; the nearest one wins.
 * A spec given explicitly (`--spec`, the `opex.spec` setting) governs every file.
 */
export class SpecSet {
  private readonly byFile = new Map<string, LoadedSpec>();
  private forced: LoadedSpec | undefined;
  private readonly folderCache = new Map<string, LoadedSpec | null>();
  /** The same answers by path as asked (rules ask per resource: no path arithmetic on a hit). */
  private readonly fileAnswers = new Map<string, LoadedSpec | null>();
  private readonly specsByFolder = new Map<string, LoadedSpec>();
  private folderCacheGeneration = -1;
  /** The spec file whose content changed at each recent generation (null: which spec governs which file may have changed). */
  private journal: Array<{ generation: number; file: string | null }> = [];
  private journalFloor = 0;
  generation = 0;

  /** Loads (or reloads) a spec file found in the workspace. */
  setFile(file: string, text: string): LoadedSpec {
    const abs = path.resolve(file);
    const existed = this.byFile.has(abs);
    const spec = loadSafely(abs, text);
    this.byFile.set(abs, spec);
    this.changed(existed ? abs : null);
    return spec;
  }

  /** Adds a spec loaded elsewhere (tests, the scaffolder). */
  add(spec: LoadedSpec): void {
    const existed = this.byFile.has(spec.file);
    this.byFile.set(spec.file, spec);
    this.changed(existed ? spec.file : null);
  }

  removeFile(file: string): boolean {
    const removed = this.byFile.delete(path.resolve(file));
    if (removed) this.changed(null);
    return removed;
  }

  /** Makes one spec govern every file, whatever folder it is in. */
  force(file: string, text: string): LoadedSpec {
    const abs = path.resolve(file);
    const same = this.forced?.file === abs;
    this.forced = loadSafely(abs, text);
    this.changed(same ? abs : null);
    return this.forced;
  }

  clearForced(): void {
    if (this.forced) this.changed(null);
    this.forced = undefined;
  }

  /**
   * The spec files whose content changed since a generation (each once), or undefined when that is not known any
   * more or a spec was added, removed or forced meanwhile (then which spec governs which file may differ).
   */
  changesSince(generation: number): string[] | undefined {
    if (generation === this.generation) return [];
    if (generation < this.journalFloor || generation > this.generation) return undefined;
    const files = new Set<string>();
    for (let i = this.journal.length - 1; i >= 0 && this.journal[i].generation > generation; i--) {
      const f = this.journal[i].file;
      if (f === null) return undefined;
      files.add(f);
    }
    return [...files];
  }

  private changed(file: string | null): void {
    this.generation++;
    this.journal.push({ generation: this.generation, file });
    if (this.journal.length > 1024) {
      const dropped = this.journal.splice(0, 512);
      this.journalFloor = dropped[dropped.length - 1].generation;
    }
  }

  get(file: string): LoadedSpec | undefined {
    const abs = path.resolve(file);
    return this.forced?.file === abs ? this.forced : this.byFile.get(abs);
  }

  all(): LoadedSpec[] {
    const list = [...this.byFile.values()];
    if (this.forced && !this.byFile.has(this.forced.file)) list.push(this.forced);
    return list;
  }

  specFor(file: string): LoadedSpec | undefined {
    if (this.forced) return this.forced;
    if (this.byFile.size === 0) return undefined;
    // Rules ask for every resource of every file: answers are kept per folder until the specs change.
    if (this.folderCacheGeneration !== this.generation) {
      this.folderCache.clear();
      this.fileAnswers.clear();
      this.specsByFolder.clear();
      for (const spec of this.byFile.values()) {
        const dir = path.dirname(spec.file);
        const best = this.specsByFolder.get(dir);
        if (!best || preferred(spec, best)) this.specsByFolder.set(dir, spec);
      }
      this.folderCacheGeneration = this.generation;
    }
    const answered = this.fileAnswers.get(file);
    if (answered !== undefined) return answered ?? undefined;
    const start = path.dirname(path.resolve(file));
    const cached = this.folderCache.get(start);
    if (cached !== undefined) {
      this.fileAnswers.set(file, cached);
      return cached ?? undefined;
    }
    let found: LoadedSpec | undefined;
    for (let dir = start; ; dir = path.dirname(dir)) {
      found = this.specsByFolder.get(dir);
      if (found || path.dirname(dir) === dir) break;
    }
    this.folderCache.set(start, found ?? null);
    this.fileAnswers.set(file, found ?? null);
    return found;
  }

  /** The folder a spec governs. */
  static scopeOf(spec: LoadedSpec): string {
    return path.dirname(spec.file);
  }
}

/** Two specs in one folder: opex.yaml wins over markdown (it is the machine-readable twin). */
function preferred(a: LoadedSpec, b: LoadedSpec): boolean {
  if (a.format !== b.format) return a.format === 'yaml';
  return a.file < b.file;
}
