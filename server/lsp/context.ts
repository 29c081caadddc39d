/** What every feature module of the server shares: the connection, the open documents, the project, the log. */
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Log } from './log';
import type { Project } from './project';

/** What the client said it can do, read once from `initialize`. */
export interface ClientFeatures {
  configuration: boolean;
  workspaceFolders: boolean;
  workDoneProgress: boolean;
  /** Pull diagnostics (`textDocument/diagnostic`). */
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  codeLensRefresh: boolean;
  watchedFilesDynamic: boolean;
  configurationDynamic: boolean;
  relatedInformation: boolean;
  documentChanges: boolean;
  hierarchicalSymbols: boolean;
  markdown: boolean;
}

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  const td = caps.textDocument;
  return {
    configuration: Boolean(caps.workspace?.configuration),
    workspaceFolders: Boolean(caps.workspace?.workspaceFolders),
    workDoneProgress: Boolean(caps.window?.workDoneProgress),
    pullDiagnostics: Boolean(td?.diagnostic),
    diagnosticRefresh: Boolean(caps.workspace?.diagnostics?.refreshSupport),
    codeLensRefresh: Boolean(caps.workspace?.codeLens?.refreshSupport),
    watchedFilesDynamic: Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration),
    configurationDynamic: Boolean(caps.workspace?.didChangeConfiguration?.dynamicRegistration),
    relatedInformation: td?.publishDiagnostics?.relatedInformation !== false,
    documentChanges: Boolean(caps.workspace?.workspaceEdit?.documentChanges),
    hierarchicalSymbols: Boolean(td?.documentSymbol?.hierarchicalDocumentSymbolSupport),
    markdown: Boolean(td?.hover?.contentFormat?.includes('markdown') ?? true),
  };
}

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly project: Project;
  readonly log: Log;
  features: ClientFeatures;
  /** `<base><rule-id>.md` is the documentation of a rule. */
  docsBaseUri: string;
  /** True while the initial scan (or a rescan) reads the workspace. */
  indexing: boolean;
  /** Resolves when the current scan has finished. */
  ready: Promise<void>;
}
