import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFiles, specsAbove } from '../engine/discover';
import { findDatabaseWorkload, scaffold, ScaffoldError, type ScaffoldFile } from '../engine/scaffold';
import { SpecSet } from '../engine/spec/specs';
import type { LoadedSpec } from '../engine/spec/types';
import type { Diagnostic } from '../engine/types';
import { relPath } from './formats';
import type { CliIO } from './io';
import { writeFileAtomic } from './io';
import { describeFsError, loadWorkspace, readTextFile, UsageError } from './workspace';

export const SCAFFOLD_USAGE = `Usage: opex scaffold [options]

Writes the manifests that carry out an opex spec: Deployment and Service with the
cost labels, PodDisruptionBudget, VerticalPodAutoscaler, Velero Schedule (cron from
the RPO, ttl from the retention, pg_dump hook), the database StatefulSet the hook
runs in (unless the folder has one), and a pod-kill PodChaos in the chaos namespace.
Existing files are kept unless --force is given.

Options:
  --spec FILE        the spec to scaffold from (default: the one in this folder or
                     above, or the only one below it)
  --out DIR          where to write (default: the spec's folder)
  --force            overwrite files that exist
  --dry-run          list what would be written, write nothing
  --stdout           print the manifests as one YAML stream instead of writing files
  -h, --help         show this help

Exit status: 0 written (or nothing to do), 1 the spec has errors or a written file
does not lint clean, 2 bad usage or unreadable input.`;

export async function scaffoldCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      spec: { type: 'string' },
      out: { type: 'string', short: 'o' },
      force: { type: 'boolean', short: 'f', default: false },
      'dry-run': { type: 'boolean', short: 'n', default: false },
      stdout: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(SCAFFOLD_USAGE + '\n');
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}: give the spec with --spec and the folder with --out`);

  const specFile = values.spec ? path.resolve(io.cwd, values.spec) : findSpec(io.cwd);
  const loaded = readSpec(specFile, values.spec ?? relPath(io.cwd, specFile));
  const specErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (specErrors.length > 0) {
    io.stderr(`opex scaffold: ${relPath(io.cwd, specFile)} has ${specErrors.length} error${specErrors.length === 1 ? '' : 's'}; fix the spec first (opex lint shows them):\n`);
    for (const d of specErrors) io.stderr(`  ${relPath(io.cwd, d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}\n`);
    return 1;
  }
  const spec = loaded.spec;
  const outDir = path.resolve(io.cwd, values.out ?? path.dirname(specFile));
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) throw new UsageError(`--out ${values.out} is not a folder`);

  // The database the hook runs in may exist already, in the folder the spec governs or where we write.
  // A database file this command wrote before (same path, same text) does not count: it is found unchanged.
  const existing = existingWorkloads([path.dirname(specFile), outDir]);
  let files: ScaffoldFile[];
  let dbWorkload: ReturnType<typeof findDatabaseWorkload>;
  try {
    files = scaffold(spec, { specName: path.basename(specFile) });
    const ownDatabase = files.find((f) => f.kinds.includes('StatefulSet'));
    const ownPath = ownDatabase && path.join(outDir, ...ownDatabase.path.split('/'));
    const ours = ownPath !== undefined && readIfExists(ownPath) === ownDatabase?.text;
    dbWorkload = findDatabaseWorkload(spec, existing.filter((w) => !(ours && w.resource.file === ownPath)));
    if (dbWorkload) files = files.filter((f) => f !== ownDatabase);
  } catch (err) {
    if (err instanceof ScaffoldError) {
      io.stderr(`opex scaffold: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  if (values.stdout) {
    io.stdout(files.map((f) => f.text).join('---\n'));
    return 0;
  }

  const spoken = (file: string) => (file === io.cwd ? '.' : relPath(io.cwd, file));
  io.stderr(`opex scaffold: ${spec.service} from ${spoken(specFile)} into ${spoken(outDir)}\n`);
  if (dbWorkload) {
    const res = dbWorkload.resource;
    io.stderr(`  database: ${res.kind} ${res.name} in ${spoken(res.file)} already runs the hook's pods; not writing one\n`);
  }
  const written: string[] = [];
  let kept = 0;
  for (const f of files) {
    const target = path.join(outDir, ...f.path.split('/'));
    const label = `${spoken(target).padEnd(34)} ${f.kinds.join(', ')}`;
    let current: string | undefined;
    try {
      current = fs.readFileSync(target, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot read ${spoken(target)}: ${describeFsError(err)}`);
    }
    if (current === f.text) {
      io.stdout(`  ${'unchanged'.padEnd(11)} ${label}\n`);
      continue;
    }
    if (current !== undefined && !values.force) {
      io.stdout(`  ${'kept'.padEnd(11)} ${label} (exists; --force overwrites it)\n`);
      kept++;
      continue;
    }
    const verb = current !== undefined ? 'overwrote' : 'wrote';
    if (values['dry-run']) {
      io.stdout(`  ${'would write'.padEnd(11)} ${label}${current !== undefined ? ' (overwriting)' : ''}\n`);
      continue;
    }
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      writeFileAtomic(target, f.text);
    } catch (err) {
      throw new UsageError(`cannot write ${spoken(target)}: ${describeFsError(err)}`);
    }
    written.push(target);
    io.stdout(`  ${verb.padEnd(11)} ${label}\n`);
  }
  if (kept > 0) io.stderr(`opex scaffold: kept ${kept} existing file${kept === 1 ? '' : 's'}; run with --force to replace ${kept === 1 ? 'it' : 'them'}.\n`);
  if (written.length === 0) return 0;

  // Check what was written, in its place, as `opex lint` would (the spec given, or the nearest one).
  const ws = loadWorkspace([outDir], { spec: values.spec ? specFile : undefined, cwd: io.cwd });
  const results = ws.linter.lintAll();
  const problems: Diagnostic[] = written.flatMap((f) => results.get(f) ?? []);
  const nearest = specsAbove(written[0]);
  if (nearest.length === 0 || path.dirname(nearest[0]) !== path.dirname(specFile)) {
    io.stderr(`opex scaffold: note: ${spoken(outDir)} is not governed by ${spoken(specFile)}; lint it with --spec ${spoken(specFile)}.\n`);
  }
  if (problems.length === 0) {
    io.stderr(`opex scaffold: ${written.length} file${written.length === 1 ? '' : 's'} written; they lint clean.\n`);
    return 0;
  }
  io.stderr(`opex scaffold: the written files have ${problems.length} problem${problems.length === 1 ? '' : 's'} with the rest of the folder:\n`);
  for (const d of problems) io.stderr(`  ${spoken(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.ruleId}: ${d.message}\n`);
  return problems.some((d) => d.severity === 'error') ? 1 : 0;
}

/** The spec for the current folder: the nearest one in it or above, else the only one below it. */
function findSpec(cwd: string): string {
  const above = specsAbove(path.join(cwd, '.opex-probe'));
  if (above.length > 0) {
    const nearestDir = path.dirname(above[0]);
    const nearest = above.filter((f) => path.dirname(f) === nearestDir);
    if (nearest.length > 1) {
      throw new UsageError(`${nearest.length} specs in ${relPath(cwd, nearestDir) || '.'} (${nearest.map((f) => path.basename(f)).join(', ')}); choose one with --spec`);
    }
    return above[0];
  }
  const below = discoverFiles(cwd, { maxFiles: 50_000 }).specs;
  if (below.length === 1) return below[0];
  if (below.length === 0) {
    throw new UsageError('no opex spec (opex.yaml or *-opex-spec.md) in this folder, above it or below it; give one with --spec');
  }
  throw new UsageError(`several specs below this folder; choose one with --spec:\n${below.map((f) => `  ${relPath(cwd, f)}`).join('\n')}`);
}

function readSpec(file: string, spoken: string): LoadedSpec {
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`--spec ${spoken} is a folder; give the spec file (opex.yaml or *-opex-spec.md)`);
    text = readTextFile(file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read spec ${spoken}: ${describeFsError(err)}`);
  }
  return new SpecSet().force(file, text);
}

/** Workloads defined in these folders (those that exist), for finding the database. */
function existingWorkloads(dirs: string[]) {
  const unique = [...new Set(dirs)].filter((d) => {
    try {
      return fs.statSync(d).isDirectory();
    } catch {
      return false;
    }
  });
  if (unique.length === 0) return [];
  return loadWorkspace(unique).index.workloads();
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
