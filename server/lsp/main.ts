#!/usr/bin/env node
/**
 * Entry point of the opex language server (bundled as dist/server.js). Talks LSP over stdio by default;
 * `--node-ipc`, `--socket=<port>` and `--pipe=<name>` select another transport.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { describe } from './log';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
if (!process.argv.slice(2).some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`)))) process.argv.push('--stdio');

const connection = createConnection(ProposedFeatures.all);
// Whatever escapes a handler is logged, never fatal: an editor without its linter is worse than a logged bug.
process.on('uncaughtException', (err) => connection.console.error(`opex: unexpected error: ${describe(err)}`));
process.on('unhandledRejection', (err) => connection.console.error(`opex: unexpected error: ${describe(err)}`));
startServer(connection);
connection.listen();
