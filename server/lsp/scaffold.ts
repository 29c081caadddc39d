/**
 * `opex/scaffold` and `opex/specTemplate`: the manifests a spec asks for, and a spec to start from, computed for the
 * client's commands. The server only reads: the client shows the files, asks before overwriting anything, and
 * writes them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findDatabaseWorkload, scaffold, ScaffoldError, SPEC_TEMPLATE } from '../engine/scaffold';
import { isSpecFile } from '../engine/spec/specs';
import type { LoadedSpec } from '../engine/spec/types';
import {
  ScaffoldRequest,
  SpecTemplateRequest,
  type ScaffoldFileResult,
  type ScaffoldParams,
  type ScaffoldResult,
  type SpecTemplateParams,
  type SpecTemplateResult,
  type StatusSpec,
} from '../protocol';
import type { ServerContext } from './context';
import { guard } from './log';
import { uriToPath } from './project';

export function registerScaffold(ctx: ServerContext): void {
  const none: ScaffoldResult = { spec: null, specs: [], folder: null, files: [], problem: 'opex could not compute the files; see the opex output.', notes: [] };
  ctx.connection.onRequest(ScaffoldRequest, guard(ctx.log, 'opex/scaffold', none, (params) => scaffoldFiles(ctx, params ?? {})));
  ctx.connection.onRequest(
    SpecTemplateRequest,
    guard(ctx.log, 'opex/specTemplate', null as unknown as SpecTemplateResult, (params) => specTemplate(params)),
  );
}

const statusOf = (s: LoadedSpec): StatusSpec => ({ file: s.file, service: s.spec.service, format: s.format });

export async function scaffoldFiles(ctx: ServerContext, params: ScaffoldParams): Promise<ScaffoldResult> {
  await ctx.ready;
  const { project } = ctx;
  project.flush();
  const result: ScaffoldResult = { spec: null, specs: [], folder: null, files: [], notes: [] };

  let loaded: LoadedSpec | undefined;
  if (params.spec) {
    const file = uriToPath(params.spec);
    loaded = file ? project.specAt(file) : undefined;
    if (!loaded) {
      result.problem = `${file ?? params.spec} is not an opex spec of this workspace (opex.yaml or *-opex-spec.md).`;
      return result;
    }
  } else {
    const all = project.specs.all();
    if (all.length === 0) {
      result.problem = 'This workspace has no opex spec. Run "opex: Create opex spec" first, then scaffold from it.';
      return result;
    }
    if (all.length > 1) {
      result.specs = all.map(statusOf).sort((a, b) => a.file.localeCompare(b.file));
      return result;
    }
    loaded = all[0];
  }
  result.spec = statusOf(loaded);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    result.problem = `${path.basename(loaded.file)} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix the spec first (line ${first.range.start.line + 1}: ${first.message})`;
    return result;
  }

  const folder = (params.folder && uriToPath(params.folder)) || path.dirname(loaded.file);
  result.folder = pathToFileURL(folder).href;
  let files;
  try {
    files = scaffold(loaded.spec, { specName: path.basename(loaded.file) });
  } catch (err) {
    if (err instanceof ScaffoldError) {
      result.problem = err.message;
      return result;
    }
    throw err;
  }
  // The database the hook runs in may be in the workspace already (the very file this command would write, with
  // the same text, does not count: it is offered again, unchanged).
  const own = files.find((f) => f.kinds.includes('StatefulSet'));
  const ownPath = own && path.join(folder, ...own.path.split('/'));
  const ours = ownPath !== undefined && currentText(ctx, ownPath) === own?.text;
  const db = findDatabaseWorkload(loaded.spec, project.index.workloads().filter((w) => !(ours && w.resource.file === ownPath)));
  if (db && own) {
    files = files.filter((f) => f !== own);
    result.notes.push(`${db.resource.kind} ${db.resource.name} (${project.relative(db.resource.file)}) already runs the pods the backup hook needs, so no database is written.`);
  }
  result.files = files.map((f): ScaffoldFileResult => {
    const target = path.join(folder, ...f.path.split('/'));
    const current = currentText(ctx, target);
    return {
      uri: project.uriOf(target),
      text: f.text,
      kinds: f.kinds,
      description: f.description,
      exists: current !== undefined,
      unchanged: current === f.text,
    };
  });
  return result;
}

/** The text of a file as the user sees it: the editor's when it is open, else the disk's; undefined if neither. */
function currentText(ctx: ServerContext, file: string): string | undefined {
  const open = ctx.documents.get(ctx.project.uriOf(file));
  if (open) return open.getText();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function specTemplate(params: SpecTemplateParams): SpecTemplateResult {
  const folder = uriToPath(params.folder);
  if (!folder) throw new Error(`not a file folder: ${params.folder}`);
  let existing: string | null = null;
  try {
    const names = fs.readdirSync(folder).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const found = names.find((n) => isSpecFile(n));
    if (found) existing = pathToFileURL(path.join(folder, found)).href;
  } catch {
    // a folder that cannot be read has no spec
  }
  return { uri: pathToFileURL(path.join(folder, 'opex.yaml')).href, text: SPEC_TEMPLATE, existing };
}

/** opex.yaml first: it is the file "Create opex spec" would write. */
function rank(name: string): number {
  return name.toLowerCase() === 'opex.yaml' ? 0 : 1;
}
