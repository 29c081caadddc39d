/**
 * The opex language server: every capability registered on one screen, each served by its own module. Every
 * handler runs guarded (a failure is logged and answered with nothing), so bad input never ends the server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { OPEX_VERSION } from '../engine/about';
import { FIX_ALL_KIND, LintWorkspaceRequest, SpecForRequest, type LintWorkspaceResult, type OpexInitializationOptions } from '../protocol';
import { codeActions } from './codeActions';
import { codeLenses, lensRefresher } from './codeLens';
import { completion } from './completion';
import { clientFeatures, type ServerContext } from './context';
import { definition, references } from './definition';
import { DiagnosticsService, throwIfCancelled, yieldToLoop } from './diagnostics';
import { hover } from './hover';
import { guard, guardVoid, Log } from './log';
import { Project, uriToPath } from './project';
import { registerScaffold } from './scaffold';
import { registerVerify } from './verify';
import { documentSymbols, workspaceSymbols } from './symbols';
import { WorkspaceService } from './workspace';

export function startServer(connection: Connection): ServerContext {
  const log = new Log(connection);
  const ctx: ServerContext = {
    connection,
    documents: new TextDocuments(TextDocument),
    project: new Project(log),
    log,
    features: clientFeatures({}),
    docsBaseUri: defaultDocsBase(),
    indexing: false,
    ready: Promise.resolve(),
  };
  const diagnostics = new DiagnosticsService(ctx);
  diagnostics.onDidChange(lensRefresher(ctx));
  let workspace = new WorkspaceService(ctx, diagnostics, {});

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    ctx.features = clientFeatures(params.capabilities);
    const init = (params.initializationOptions ?? {}) as OpexInitializationOptions;
    if (typeof init.docsBaseUri === 'string' && init.docsBaseUri) ctx.docsBaseUri = init.docsBaseUri.endsWith('/') ? init.docsBaseUri : `${init.docsBaseUri}/`;
    ctx.project.folders = workspaceFolders(params);
    workspace = new WorkspaceService(ctx, diagnostics, init);
    verify.initialize(init);
    workspace.beginIndexing(); // requests that need the whole workspace wait for the first scan
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        diagnosticProvider: ctx.features.pullDiagnostics ? { identifier: 'opex', interFileDependencies: true, workspaceDiagnostics: true } : undefined,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' '] },
        definitionProvider: true,
        referencesProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'opex' },
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'opex', version: OPEX_VERSION },
    };
  });

  connection.onInitialized(
    guardVoid(log, 'initialized', async () => {
      try {
        workspace.applySettings(await workspace.fetchSettings());
      } catch (err) {
        log.error('opex: cannot read the settings; using the defaults', err);
      }
      try {
        await workspace.register();
      } catch (err) {
        log.error('opex: cannot register for file and settings changes', err);
      }
      if (ctx.features.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders(guardVoid(log, 'workspace folders', (e) => workspace.onDidChangeWorkspaceFolders(e)));
      await workspace.scan();
    }),
  );

  // Documents, files, settings
  ctx.documents.onDidOpen(guardVoid(log, 'didOpen', (e) => workspace.onDidOpen(e.document)));
  ctx.documents.onDidChangeContent(guardVoid(log, 'didChange', (e) => workspace.onDidChangeContent(e.document)));
  ctx.documents.onDidClose(guardVoid(log, 'didClose', (e) => workspace.onDidClose(e.document)));
  connection.onDidChangeWatchedFiles(guardVoid(log, 'didChangeWatchedFiles', (p) => workspace.onDidChangeWatchedFiles(p)));
  connection.onDidChangeConfiguration(guardVoid(log, 'didChangeConfiguration', (p) => workspace.onDidChangeConfiguration(p)));

  // Diagnostics by pull (push happens after every lint pass)
  connection.languages.diagnostics.on(guard(log, 'textDocument/diagnostic', { kind: 'full', items: [] }, (p, token) => diagnostics.pullDocument(p, token)));
  connection.languages.diagnostics.onWorkspace(guard(log, 'workspace/diagnostic', { items: [] }, (p, token) => diagnostics.pullWorkspace(p, token)));

  // Language features
  connection.onCodeAction(guard(log, 'codeAction', [], (p) => codeActions(ctx, p)));
  connection.onHover(guard(log, 'hover', null, (p) => hover(ctx, p)));
  connection.onCompletion(guard(log, 'completion', null, (p) => completion(ctx, p)));
  connection.onDefinition(guard(log, 'definition', [], (p) => definition(ctx, p)));
  connection.onReferences(guard(log, 'references', [], (p) => references(ctx, p)));
  connection.onCodeLens(guard(log, 'codeLens', [], (p) => codeLenses(ctx, p)));
  connection.onDocumentSymbol(guard(log, 'documentSymbol', [], (p) => documentSymbols(ctx, p)));
  connection.onWorkspaceSymbol(guard(log, 'workspaceSymbol', [], (p) => workspaceSymbols(ctx, p)));

  // opex's own requests
  connection.onRequest(
    LintWorkspaceRequest,
    guard(log, 'opex/lintWorkspace', emptyTotals(), async (params, token): Promise<LintWorkspaceResult> => {
      await ctx.ready;
      await yieldToLoop();
      throwIfCancelled(token);
      if (params?.rescan !== false) await workspace.scan();
      throwIfCancelled(token);
      return diagnostics.totals(diagnostics.lintNow());
    }),
  );
  connection.onRequest(
    SpecForRequest,
    guard(log, 'opex/specFor', { spec: null }, (params) => {
      const file = uriToPath(params.uri);
      ctx.project.flush();
      const spec = file ? ctx.project.specFor(file) : undefined;
      return { spec: spec ? { file: spec.file, service: spec.spec.service, format: spec.format } : null };
    }),
  );

  registerScaffold(ctx);
  const verify = registerVerify(ctx);

  connection.onShutdown(async () => {
    diagnostics.dispose();
    await verify.dispose(); // a live check in progress is cancelled and cleans up first
  });

  ctx.documents.listen(connection);
  return ctx;
}

function emptyTotals(): LintWorkspaceResult {
  return { files: 0, filesWithProblems: 0, errors: 0, warnings: 0, infos: 0, specs: [] };
}

function workspaceFolders(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const folders = uris.map(uriToPath).filter((f): f is string => Boolean(f));
  if (folders.length === 0 && params.rootPath) folders.push(path.resolve(params.rootPath));
  return [...new Set(folders)];
}

/** `docs/rules/` of the installation this server runs from (the extension folder, or the repository). */
export function defaultDocsBase(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'opex') return pathToFileURL(path.join(dir, 'docs', 'rules') + path.sep).href;
    } catch {
      // no package.json here: look further up
    }
    if (path.dirname(dir) === dir) return pathToFileURL(path.join(__dirname, 'docs', 'rules') + path.sep).href;
  }
}
