/** The server speaks LSP over node IPC as well as stdio (VS Code's client uses either). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import {
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ROOT, copyFixture, serverCommand, uriOf } from './harness';

test('--node-ipc: initialize, answer a request, shut down and exit cleanly', async () => {
  const proc = spawn(process.execPath, [...serverCommand(), '--node-ipc'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  const conn = createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
  conn.onRequest('workspace/configuration', () => [null]);
  conn.listen();
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const folder = copyFixture();
  const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: uriOf(folder), workspaceFolders: [{ uri: uriOf(folder), name: 'w' }], capabilities: {} });
  assert.equal(init.serverInfo?.name, 'opex');
  assert.equal(init.capabilities.hoverProvider, true);
  await conn.sendNotification(InitializedNotification.type, {});
  const symbols = await conn.sendRequest('workspace/symbol', { query: 'vpa' });
  assert.ok(Array.isArray(symbols));
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  conn.dispose();
});
