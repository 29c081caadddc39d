import * as vscode from 'vscode';
import { sleep } from './helpers';

/**
 * Runs a command that shows quick picks (or the simple file dialog) and accepts what each one preselects, as a user
 * pressing Enter would, until the command settles.
 */
export async function runAccepting<T>(command: string, timeoutMs = 30_000): Promise<T> {
  let settled = false;
  const result = vscode.commands.executeCommand<T>(command).then(
    (v) => ((settled = true), v),
    (e: unknown) => {
      settled = true;
      throw e;
    },
  );
  const deadline = Date.now() + timeoutMs;
  while (!settled && Date.now() < deadline) {
    await sleep(300);
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}
