/**
 * What the client tells VS Code and the language server, as plain data: the documents opex serves, how the bundled
 * server is started (run and F5 debug), the command ids, and the setting names. No run-time import of `vscode`, so
 * it is testable without an editor.
 */
import type { DocumentSelector } from 'vscode-languageclient';
import type { ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { DEFAULT_SETTINGS, type OpexSettings } from '../server/protocol';

/** The client's id: VS Code reads `opex.trace.server` for it, and names the output channel after it. */
export const CLIENT_ID = 'opex';
export const CLIENT_NAME = 'opex';

/** Markdown specs as the chapter names them (`task-api-opex-spec.md`) and the plain `opex-spec.md`. */
export const MARKDOWN_SPEC_GLOB = '**/{*-opex-spec.md,opex-spec.md}';

/**
 * YAML files (manifests and opex.yaml) and markdown specs, on disk only: the server reads the workspace from the
 * file system, so untitled and virtual documents are left to other extensions.
 */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'markdown', pattern: MARKDOWN_SPEC_GLOB },
];

/** The bundled server, relative to the extension's folder. */
export const SERVER_MODULE = 'dist/server.js';

/** Port the server's inspector listens on when the extension runs under F5 (attach a Node debugger to it). */
export const DEBUG_PORT = 6009;

const IPC = 1 as TransportKind.ipc;

/**
 * The server as a Node module over IPC, forked with VS Code's own Node. Under the debugger (F5, "Run Extension")
 * the same module runs with an inspector on DEBUG_PORT.
 */
export function serverOptions(serverModule: string, debugPort = DEBUG_PORT): ServerOptions {
  return {
    run: { module: serverModule, transport: IPC },
    debug: { module: serverModule, transport: IPC, options: { execArgv: ['--nolazy', `--inspect=${debugPort}`] } },
  };
}

/** Commands the extension contributes (package.json `contributes.commands`) and registers. */
export const COMMANDS = {
  lintWorkspace: 'opex.lintWorkspace',
  createSpec: 'opex.createSpec',
  scaffold: 'opex.scaffold',
  showOutput: 'opex.showOutput',
  restartServer: 'opex.restartServer',
} as const;

/** The `opex.*` settings VS Code shows (package.json `contributes.configuration`), by their key under `opex.`. */
export const SETTING_KEYS = ['spec', 'rules', 'exclude', 'lintDelay', 'trace.server'] as const;

/** A setting's default, from the protocol's defaults (the server's when a client sends nothing). */
export function settingDefault(key: (typeof SETTING_KEYS)[number]): unknown {
  if (key === 'trace.server') return DEFAULT_SETTINGS.trace.server;
  return DEFAULT_SETTINGS[key as Exclude<keyof OpexSettings, 'trace'>];
}
