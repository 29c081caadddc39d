/** Finding the files to check on disk: YAML manifests and specs, honouring .gitignore. Used by the CLI and the server. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSpecFile } from './spec/specs';

export const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', '.opex-tmp']);

export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

export interface DiscoveredFiles {
  /** YAML files to index (specs in opex.yaml form included: they are skipped by the index as non-Kubernetes). */
  manifests: string[];
  specs: string[];
}

export interface DiscoverOptions {
  /** Extra gitignore-style patterns to skip (the `opex.exclude` setting). */
  exclude?: readonly string[];
  /** Stop after this many files (protects the editor from a home folder opened by mistake). */
  maxFiles?: number;
}

/**
 * Walks a directory tree. Symlinked folders are followed once (a loop is cut by real paths); each folder's
 * .gitignore applies below it, as git does. Unreadable folders are skipped.
 */
export function discoverFiles(root: string, options: DiscoverOptions = {}): DiscoveredFiles {
  const out: DiscoveredFiles = { manifests: [], specs: [] };
  const seen = new Set<string>();
  const rootAbs = path.resolve(root);
  const base = ignore().add(options.exclude ? [...options.exclude] : []);
  const max = options.maxFiles ?? Infinity;
  const walk = (dir: string, rules: Array<{ dir: string; ig: Ignore }>) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const gitignore = path.join(dir, '.gitignore');
    let scoped = rules;
    if (entries.some((e) => e.name === '.gitignore')) {
      try {
        scoped = [...rules, { dir, ig: ignore().add(fs.readFileSync(gitignore, 'utf8')) }];
      } catch {
        // unreadable .gitignore: keep the parent rules
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.manifests.length + out.specs.length >= max) return;
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir && ALWAYS_SKIPPED_DIRS.has(e.name)) continue;
      if (isIgnored(full, isDir, rootAbs, base, scoped)) continue;
      if (isDir) walk(full, scoped);
      else if (isFile) {
        if (isSpecFile(full)) out.specs.push(full);
        if (isYamlFile(full)) out.manifests.push(full);
      }
    }
  };
  walk(rootAbs, []);
  return out;
}

function isIgnored(full: string, isDir: boolean, root: string, base: Ignore, rules: Array<{ dir: string; ig: Ignore }>): boolean {
  const relRoot = path.relative(root, full).split(path.sep).join('/');
  if (relRoot && base.ignores(isDir ? `${relRoot}/` : relRoot)) return true;
  for (const { dir, ig } of rules) {
    const rel = path.relative(dir, full).split(path.sep).join('/');
    if (rel && !rel.startsWith('..') && ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** Spec files in the folders above a path (a spec governs everything below it), nearest first. */
export function specsAbove(start: string): string[] {
  const found: string[] = [];
  // For a folder, its parents (the folder itself is walked); for a file, its own folder and up.
  for (let dir = path.dirname(path.resolve(start)); ; dir = path.dirname(dir)) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // unreadable: look further up
    }
    for (const n of names) if (isSpecFile(n)) found.push(path.join(dir, n));
    if (names.includes('.git') || path.dirname(dir) === dir) return found;
  }
}
