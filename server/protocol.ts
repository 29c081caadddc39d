/**
 * What the opex client and the opex language server say to each other beyond standard LSP: settings, custom
 * requests and notifications, and the command ids the server puts into code lenses. Imported by both sides, so
 * it imports nothing but types (no vscode, no engine code at run time).
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location, Position } from 'vscode-languageserver-protocol';
import { ProgressType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ProgressToken, Range, WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { CriterionId } from './engine/types';
import type { CheckResult, VerifyReport } from './live/types';

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
  lintDelay: 15,
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
  /**
   * The user trusts the workspace (VS Code's Workspace Trust). Live cluster checks (`opex/verify`, `opex/contexts`,
   * `opex/verifyPlan`) run only when this is true; `opex/workspaceTrust` changes it later.
   */
  workspaceTrusted?: boolean;
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

// ---- Live checks: opex/verify and the side panel ----------------------------------------------------------------

export type { CheckResult, CheckStatus, ObjectRef, TimelineStep, VerifyReport, VerifySummary } from './live/types';

/** `opex/workspaceTrust`: the user granted (or the client revoked) trust in the workspace; live checks follow it. */
export interface WorkspaceTrustParams {
  trusted: boolean;
}
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>('opex/workspaceTrust');

/** Why a live-check request did nothing. */
export type VerifyRefusal =
  /** The workspace is not trusted: live checks use the user's kubeconfig and act on what the workspace's spec names. */
  | 'untrusted'
  /** No spec in the workspace (or the URI given is governed by none). */
  | 'no-spec'
  /** Several specs and none was chosen: `specs` lists them. */
  | 'several-specs'
  /** A run is in progress; one at a time. */
  | 'busy'
  /** No usable kubeconfig or context. */
  | 'config';

/** Which spec a live-check request is about. */
export interface VerifySpecParams {
  /**
   * URI of a spec file, or of a file or folder: the spec that governs it. Omitted: the workspace's only spec
   * (with several, the answer lists them in `specs` and does nothing).
   */
  spec?: string;
}

/** What every live-check answer says about the spec and a refusal. */
export interface VerifyAnswer {
  /** The spec used; null when none was chosen. */
  spec: StatusSpec | null;
  /** The workspace's specs, when `refused` is `several-specs`. */
  specs: StatusSpec[];
  refused?: VerifyRefusal;
  /** Why, as a sentence for the user. */
  problem?: string;
  /** What the user should know but did not stop the run: spec errors, `live:` settings that were not understood. */
  warnings: string[];
}

/** A place in the workspace a result points to: the criterion's line in the spec, or the manifest of an object the check looked at. */
export interface VerifyLink {
  kind: 'spec' | 'manifest';
  /** "opex.yaml:17", "Deployment production/task-api". */
  label: string;
  /** Where, relative to the workspace folder ("task-api/opex.yaml:17"). */
  description: string;
  uri: string;
  range: Range;
}

export interface VerifyParams extends VerifySpecParams, WorkDoneProgressParams {
  /** A kubeconfig context; default its current context. */
  context?: string;
  /** Only these criteria; default every criterion the spec states. */
  only?: CriterionId[];
  /** Also run SC-007 (restore into a scratch namespace) and SC-008 (pod kill), which change the cluster. */
  allowDisruptive?: boolean;
  /** Token for `VerifyEventProgress`: the server reports every check's start, steps and result as they happen. */
  eventToken?: ProgressToken;
}

/** The run as it happens, through `$/progress` with the request's `eventToken` (the side panel fills its rows from it). */
export type VerifyEvent =
  | { kind: 'begin'; total: number; ids: CriterionId[]; context: string; server: string }
  | { kind: 'check-start'; id: CriterionId; index: number; total: number; title: string }
  | { kind: 'check-step'; id: CriterionId; message: string }
  | { kind: 'check-end'; id: CriterionId; index: number; total: number; result: CheckResult; links: VerifyLink[] };

export const VerifyEventProgress = new ProgressType<VerifyEvent>();

export interface VerifyResult extends VerifyAnswer {
  /** The report; null when nothing ran (see `refused`). After a cancel, the partial report (`report.cancelled`), once cleanup is done. */
  report: VerifyReport | null;
  /** Links of each criterion's result (spec line first, then manifests). */
  links: Partial<Record<CriterionId, VerifyLink[]>>;
}

/**
 * `opex/verify`: run the live checks of a spec against a cluster (the side panel, "opex: Verify against cluster").
 * Work-done progress (`workDoneToken`, or one the server creates) says "SC-004 Velero schedule… 4/10"; cancelling the
 * request or the progress cancels the run, and the answer comes once what disruptive checks created is cleaned up.
 * Refused in untrusted workspaces.
 */
export const VerifyRequest = new RequestType<VerifyParams, VerifyResult, void>('opex/verify');

export type VerifyPlanParams = VerifySpecParams;

export interface VerifyPlanCriterion {
  id: CriterionId;
  title: string;
  /** The criterion as the spec words it. */
  criterion: string;
  /** What the spec asks ("< 30s"); empty when the check does not apply. */
  target: string;
  disruptive: boolean;
  /** Why this criterion will be skipped whatever the cluster says (the spec states no target for it). */
  skip?: string;
  /** A disruptive check: the namespaces it writes to and what it does there (for the confirmation). */
  touches?: { namespaces: string[]; action: string };
  links: VerifyLink[];
}

export interface VerifyPlanResult extends VerifyAnswer {
  criteria: VerifyPlanCriterion[];
  /** What the disruptive checks would change, for the confirmation: the namespaces and one line per action. */
  disruptive: { namespaces: string[]; actions: string[] };
}

/** `opex/verifyPlan`: the criteria a run covers, their targets and spec lines, and what the disruptive checks would touch. Nothing is contacted. */
export const VerifyPlanRequest = new RequestType<VerifyPlanParams, VerifyPlanResult, void>('opex/verifyPlan');

/** A context of the user's kubeconfig: names and the server address only, never credentials. */
export interface KubeContextInfo {
  name: string;
  cluster: string;
  server?: string;
  namespace?: string;
  current: boolean;
}

export interface ContextsResult {
  contexts: KubeContextInfo[];
  /** The kubeconfig's current context. */
  current: string | null;
  /** Where the contexts came from ("KUBECONFIG", "~/.kube/config"). */
  source: string;
  refused?: 'untrusted' | 'config';
  problem?: string;
}

/** `opex/contexts`: the kubeconfig's contexts, for the side panel's context picker. Refused in untrusted workspaces. */
export const ContextsRequest = new RequestType0<ContextsResult, void>('opex/contexts');

export type VerifyReportFormat = 'markdown' | 'json' | 'junit' | 'text';

export interface FormatReportParams {
  report: VerifyReport;
  format: VerifyReportFormat;
}

export interface FormatReportResult {
  text: string;
}

/** `opex/formatReport`: a verification report as `opex verify --format` writes it (the panel's "Export report"). */
export const FormatReportRequest = new RequestType<FormatReportParams, FormatReportResult, void>('opex/formatReport');
