import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles, isYamlFile, specsAbove } from '../engine/discover';
import { Linter, type LintOptions } from '../engine/lint';
import { SpecSet, isSpecFile } from '../engine/spec/specs';
import { WorkspaceIndex } from '../engine/workspace';

/** A user mistake the CLI reports in one line (exit 2), never as a stack trace. */
export class UsageError extends Error {}

export interface LoadedWorkspace {
  index: WorkspaceIndex;
  specs: SpecSet;
  linter: Linter;
  /** Every YAML file read, absolute. */
  files: string[];
}

/** Files larger than this are reported, not parsed: no manifest is this big, and the editor must stay responsive. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export function readTextFile(file: string): string {
  // Non-blocking open: a FIFO (or a device) named *.yaml must not hang the CLI waiting for a writer. The size is
  // checked before anything is read, so a huge file costs no memory.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${file}: not a regular file`);
    if (st.size > MAX_FILE_BYTES) throw new UsageError(`${file}: ${(st.size / 1048576).toFixed(1)} MB is larger than opex reads (${MAX_FILE_BYTES / 1048576} MB)`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the given paths (files or folders) and the specs that govern them into a lint-ready workspace. */
export function loadWorkspace(paths: readonly string[], opts: { spec?: string; lint?: LintOptions; cwd?: string } = {}): LoadedWorkspace {
  const cwd = opts.cwd ?? process.cwd();
  const index = new WorkspaceIndex();
  const specs = new SpecSet();
  const manifests = new Set<string>();
  const specFiles = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      throw new UsageError(`cannot read ${p}: ${describeFsError(err)}`);
    }
    if (st.isDirectory()) {
      const found = discoverFiles(abs);
      found.manifests.forEach((f) => manifests.add(f));
      found.specs.forEach((f) => specFiles.add(f));
    } else if (st.isFile()) {
      if (isSpecFile(abs)) specFiles.add(abs);
      if (isYamlFile(abs) || !isSpecFile(abs)) manifests.add(abs);
    } else {
      throw new UsageError(`cannot read ${p}: not a file or folder`);
    }
    if (!opts.spec) specsAbove(abs).forEach((f) => specFiles.add(f));
  }
  if (opts.spec) {
    const specPath = path.resolve(cwd, opts.spec);
    let text: string;
    try {
      if (fs.statSync(specPath).isDirectory()) throw new UsageError(`--spec ${opts.spec} is a folder; give the spec file (opex.yaml or *-opex-spec.md)`);
      text = readTextFile(specPath);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read spec ${opts.spec}: ${describeFsError(err)}`);
    }
    specs.force(specPath, text);
    manifests.delete(specPath);
  } else {
    for (const f of [...specFiles].sort()) {
      try {
        specs.setFile(f, readTextFile(f));
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`cannot read spec ${path.relative(cwd, f) || f}: ${describeFsError(err)}`);
      }
    }
  }
  const files = [...manifests].sort();
  for (const f of files) {
    let text: string;
    try {
      text = readTextFile(f);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      // A file that vanished or cannot be read between the walk and now.
      throw new UsageError(`cannot read ${path.relative(cwd, f) || f}: ${describeFsError(err)}`);
    }
    index.setFile(f, text);
  }
  const linter = new Linter(index, specs, opts.lint);
  return { index, specs, linter, files };
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return e?.message ?? String(err);
  }
}
