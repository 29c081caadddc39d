/**
 * What the client shows, as plain functions of what the server says: the status bar, the lint summary, the
 * scaffold's list of files and its questions. No run-time import of `vscode`, so it is testable without an editor.
 */
import type { LintWorkspaceResult, ScaffoldFileResult, ScaffoldResult, StatusParams, StatusSpec } from '../server/protocol';

/** Turns an absolute path into what the user reads (relative to the workspace). */
export type Relative = (file: string) => string;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The spec to name in the status bar: the active editor's, else the only one of the workspace. */
export function specShown(status: StatusParams | undefined, active: StatusSpec | null | undefined): StatusSpec | undefined {
  if (active !== undefined) return active ?? undefined; // null: the server said no spec governs the active file
  return status && status.specs.length === 1 ? status.specs[0] : undefined;
}

/** Status bar text with codicons: `$(sync~spin) opex`, `$(check) task-api`, `$(error) 2 $(warning) 1 task-api`. */
export function statusText(status: StatusParams | undefined, active: StatusSpec | null | undefined): string {
  if (!status) return '$(sync~spin) opex';
  if (status.state === 'indexing') return '$(sync~spin) opex: indexing';
  const spec = specShown(status, active);
  const name = spec ? spec.service || fileName(spec.file) : active === undefined && status.specs.length > 1 ? plural(status.specs.length, 'spec') : 'no spec';
  const counts: string[] = [];
  if (status.errors > 0) counts.push(`$(error) ${status.errors}`);
  if (status.warnings > 0) counts.push(`$(warning) ${status.warnings}`);
  if (counts.length === 0) counts.push('$(check)');
  return `${counts.join(' ')} opex: ${name}`;
}

/** The status bar's tooltip, in markdown. */
export function statusTooltip(status: StatusParams | undefined, active: StatusSpec | null | undefined, rel: Relative): string {
  if (!status) return 'opex: starting the language server…';
  const lines: string[] = [];
  if (status.state === 'indexing') lines.push(`opex is reading the workspace (${plural(status.files, 'file')} so far).`);
  else lines.push(`opex: ${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')} in ${plural(status.files, 'file')}.`);
  const spec = specShown(status, active);
  if (spec) {
    lines.push(`Spec for ${active ? 'this file' : 'the workspace'}: \`${rel(spec.file)}\` (${spec.service || 'no service name'}).`);
  } else if (status.specs.length === 0) {
    lines.push('No opex spec governs this workspace: the rules that need one are quiet. Run "opex: Create opex spec".');
  } else if (active === null) {
    lines.push('No opex spec governs this file: a spec governs its own folder and the folders below it.');
  } else {
    lines.push(`Specs: ${status.specs.map((s) => `\`${rel(s.file)}\``).join(', ')}. The nearest one governs each file.`);
  }
  lines.push('Click to show the opex output.');
  return lines.join('\n\n');
}

/** The message after "opex: Lint workspace". */
export function lintSummary(result: LintWorkspaceResult, rel: Relative): string {
  const problems =
    result.errors + result.warnings + result.infos === 0
      ? 'no problems'
      : [
          result.errors ? plural(result.errors, 'error') : '',
          result.warnings ? plural(result.warnings, 'warning') : '',
          result.infos ? `${result.infos} info` : '',
        ]
          .filter(Boolean)
          .join(', ') + ` in ${plural(result.filesWithProblems, 'file')}`;
  const specs = result.specs.length === 0 ? 'no spec' : result.specs.length === 1 ? `spec ${rel(result.specs[0])}` : plural(result.specs.length, 'spec');
  return `opex: ${problems} (${plural(result.files, 'file')} checked, ${specs}).`;
}

export interface FileItem {
  label: string;
  description: string;
  detail: string;
  /** Selected when the list opens: new files are; existing ones the user must tick to overwrite. */
  picked: boolean;
  file: ScaffoldFileResult;
}

/** The scaffold's files as a multi-select list. Unchanged files are left out: there is nothing to write. */
export function scaffoldItems(result: ScaffoldResult, rel: Relative, pathOf: (uri: string) => string): FileItem[] {
  return result.files
    .filter((f) => !f.unchanged)
    .map((f) => ({
      label: `${f.exists ? '$(warning)' : '$(new-file)'} ${rel(pathOf(f.uri))}`,
      description: f.kinds.join(', '),
      detail: f.exists ? `Exists: tick to overwrite it. ${f.description}` : f.description,
      picked: !f.exists,
      file: f,
    }));
}

/** The files the scaffold leaves alone because they already hold exactly this text. */
export function unchangedFiles(result: ScaffoldResult): ScaffoldFileResult[] {
  return result.files.filter((f) => f.unchanged);
}

/** The modal question before existing files are replaced; undefined when nothing would be overwritten. */
export function overwriteQuestion(files: readonly ScaffoldFileResult[], rel: Relative, pathOf: (uri: string) => string): string | undefined {
  const existing = files.filter((f) => f.exists && !f.unchanged);
  if (existing.length === 0) return undefined;
  const names = existing.map((f) => rel(pathOf(f.uri)));
  return existing.length === 1
    ? `Overwrite ${names[0]}? Its current content is replaced by the scaffolded manifests.`
    : `Overwrite ${existing.length} existing files (${names.join(', ')})? Their current content is replaced by the scaffolded manifests.`;
}

/** The message once the files are written. */
export function scaffoldDone(service: string, written: number, unchanged: number): string {
  const parts = [`opex: wrote ${plural(written, 'file')} for ${service || 'the service'}`];
  if (unchanged > 0) parts.push(`${unchanged} already up to date`);
  return `${parts.join('; ')}.`;
}

function fileName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
