/**
 * What the opex client and the opex language server say to each other beyond standard LSP: settings, custom
 * requests and notifications, and the command ids the server puts into code lenses. Imported by both sides, so
 * it imports nothing but types (no vscode, no engine code at run time).
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location, Position } from 'vscode-languageserver-protocol';

export type SeveritySetting = 'error' | 'warning' | 'info' | 'off';
export type TraceSetting = 'off' | 'messages' | 'verbose';

/** The `opex.*` settings, read by the server through `workspace/configuration` (section `opex`). */
export interface OpexSettings {
  /** A spec file (absolute, or relative to the first workspace folder) that governs every file; null: the nearest spec wins. */
  spec: string | null;
  /** Severity overrides by rule id; they win over the spec's `rules:`. */
  rules: Record<string, SeveritySetting>;
  /** gitignore-style patterns, relative to each workspace folder, of files opex never reads. */
  exclude: string[];
  /** `opex.trace.server`: the client traces the LSP messages; the server logs its own work at `verbose`. */
  trace: { server: TraceSetting };
  /** How long the server waits after the last keystroke before it lints again, in milliseconds. */
  lintDelay: number;
}

export const DEFAULT_SETTINGS: OpexSettings = {
  spec: null,
  rules: {},
  exclude: [],
  trace: { server: 'off' },
  lintDelay: 75,
};

/** `initializationOptions` the client may send. */
export interface OpexInitializationOptions {
  /**
   * Where rule documentation lives: diagnostics link to `<docsBaseUri><rule-id>.md`. The server defaults to the
   * `docs/rules/` folder of its own installation, as a file URI.
   */
  docsBaseUri?: string;
  /** Settings for clients that cannot answer `workspace/configuration`. */
  settings?: Partial<OpexSettings>;
}

export interface LintWorkspaceParams {
  /** Read every file from disk again first (default true): picks up changes the editor did not see. */
  rescan?: boolean;
}

export interface LintWorkspaceResult {
  /** Files checked (manifests and specs). */
  files: number;
  /** Files with at least one problem. */
  filesWithProblems: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Spec files in use (absolute paths). */
  specs: string[];
}

/**
 * `opex/lintWorkspace`: re-read the workspace, lint everything, publish the diagnostics and answer with the
 * totals (the client's "opex: Lint workspace" command).
 */
export const LintWorkspaceRequest = new RequestType<LintWorkspaceParams, LintWorkspaceResult, void>('opex/lintWorkspace');

export interface StatusSpec {
  /** Absolute path of the spec file. */
  file: string;
  service: string;
  format: 'yaml' | 'markdown';
}

export interface StatusParams {
  state: 'indexing' | 'ready';
  /** Files in the index (manifests and specs). */
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  specs: StatusSpec[];
  /** Increments with every completed lint pass. */
  lintPass: number;
}

/** `opex/status`: sent after indexing starts and after every lint pass (the client's status bar). */
export const StatusNotification = new NotificationType<StatusParams>('opex/status');

export interface SpecForParams {
  uri: string;
}

export interface SpecForResult {
  /** The spec file governing the document, if any. */
  spec: StatusSpec | null;
}

/** `opex/specFor`: which spec governs a document (the status bar shows it for the active editor). */
export const SpecForRequest = new RequestType<SpecForParams, SpecForResult, void>('opex/specFor');

/**
 * Command the server's code lenses carry. Arguments: `[uri: string, position: Position, locations: Location[]]`,
 * all in LSP (JSON) form; the client converts them and shows the locations (e.g. `editor.action.showReferences`).
 */
export const SHOW_LOCATIONS_COMMAND = 'opex.showLocations';
export type ShowLocationsArguments = [uri: string, position: Position, locations: Location[]];

/** The code action kind of "fix everything opex can fix in this file" (for `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.opex';

export interface ScaffoldParams {
  /** URI of the spec to scaffold from. Omitted: the workspace's only spec; with several, the answer lists them. */
  spec?: string;
  /** URI of the folder to write into. Default: the spec's folder (which the spec governs). */
  folder?: string;
}

export interface ScaffoldFileResult {
  uri: string;
  text: string;
  /** The kinds it defines ("Deployment", "Service"). */
  kinds: string[];
  /** One line on what it is for. */
  description: string;
  /** A file is at that path already (on disk or open in the editor). */
  exists: boolean;
  /** It exists with exactly this text: nothing to write. */
  unchanged: boolean;
}

export interface ScaffoldResult {
  /** The spec scaffolded from; null when none was chosen (several specs, see `specs`) or there is none. */
  spec: StatusSpec | null;
  /** The workspace's specs, when `spec` was not given and there are several (nothing was computed then). */
  specs: StatusSpec[];
  /** URI of the folder the files go into. */
  folder: string | null;
  /** The files to write, in the order they are applied; the client writes them (after asking about existing ones). */
  files: ScaffoldFileResult[];
  /** Why nothing can be scaffolded (no spec, the spec has errors), as a sentence for the user. */
  problem?: string;
  /** What the user should know (e.g. the database the hook runs in exists already, so none is written). */
  notes: string[];
}

/**
 * `opex/scaffold`: compute the manifests that carry out a spec (the client's "opex: Scaffold service from spec").
 * The server writes nothing.
 */
export const ScaffoldRequest = new RequestType<ScaffoldParams, ScaffoldResult, void>('opex/scaffold');

export interface SpecTemplateParams {
  /** URI of the folder the spec is for. */
  folder: string;
}

export interface SpecTemplateResult {
  /** Where the spec goes: `opex.yaml` in the folder. */
  uri: string;
  text: string;
  /** A spec (opex.yaml, opex.yml or *-opex-spec.md) is in that folder already: the client opens it instead. */
  existing: string | null;
}

/** `opex/specTemplate`: an opex.yaml with the chapter's targets (the client's "opex: Create opex spec"). */
export const SpecTemplateRequest = new RequestType<SpecTemplateParams, SpecTemplateResult, void>('opex/specTemplate');
