/**
 * The side panel's live checks against the project's loopback Kubernetes API server (test/e2e/lib/cluster.ts),
 * started inside this extension host with the chapter's task-api cluster and SC-005 broken on the cluster (the
 * Schedule keeps backups 240h, the spec asks for 720h). The language server reads the kubeconfig from
 * KUBECONFIG, so it is restarted once the variable points at the loopback server.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VerifyReport } from '../../../server/protocol';
import type { FakeCluster } from '../../live/kube-server';
import { BROKEN_CRITERION, startBrokenCluster } from '../lib/cluster';
import { cleanWorkspace, closeAll, readText, sleep, waitFor } from './helpers';
import { runAccepting } from './quickInput';

const statuses = (r: VerifyReport | undefined) => Object.fromEntries((r?.results ?? []).map((x) => [x.id, x.status]));

suite('live checks in the side panel', () => {
  let cluster: FakeCluster;
  const previous = process.env.KUBECONFIG;

  suiteSetup(async () => {
    await cleanWorkspace();
    cluster = await startBrokenCluster();
    process.env.KUBECONFIG = cluster.kubeconfigPath;
    await vscode.commands.executeCommand('opex.restartServer');
    // The panel may have listed the contexts before KUBECONFIG pointed here: reload them, as its refresh button does.
    await vscode.commands.executeCommand('opex.verifyRefresh');
  });
  suiteTeardown(async () => {
    await closeAll();
    if (previous === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = previous;
    await cluster?.stop();
  });

  test('the panel opens in its activity-bar container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.opex');
    await vscode.commands.executeCommand('opex.verify.focus');
  });

  test('"Run checks" (opex: Verify against cluster): PASS for SC-001, FAIL for the broken retention, read-only', async () => {
    const report = await vscode.commands.executeCommand<VerifyReport>('opex.verify');
    assert.ok(report, 'resolves with the report');
    const s = statuses(report);
    assert.equal(s['SC-001'], 'PASS', JSON.stringify(s));
    assert.equal(s[BROKEN_CRITERION], 'FAIL', JSON.stringify(s));
    const sc5 = report.results.find((r) => r.id === BROKEN_CRITERION)!;
    assert.match(`${sc5.actual} ${sc5.reason ?? ''}`, /240h/);
    assert.deepEqual(s['SC-007'], 'SKIP', 'disruptive checks do not run without the confirmation');
    assert.equal(report.cluster.context, 'opex-loopback');
    assert.deepEqual(cluster.mutatingRequests().map((r) => `${r.method} ${r.path}`), [], 'read-only checks send no mutating request');
  });

  test('"Verify one criterion…" runs the picked criterion only', async () => {
    const report = await runAccepting<VerifyReport>('opex.verifyOne'); // the first item: SC-001
    assert.deepEqual(statuses(report), { 'SC-001': 'PASS' });
  });

  test('"Export verification report…" writes the Markdown table into the workspace', async () => {
    const uri = await runAccepting<vscode.Uri>('opex.exportReport'); // Markdown, then the proposed file name
    assert.ok(uri, 'resolves with the file it wrote');
    const text = await readText(path.basename(uri.fsPath));
    assert.match(text, /SC-001/);
    assert.match(text, /PASS/);
    await vscode.workspace.fs.delete(uri);
  });

  test('"Cancel verification" stops a run that hangs on the cluster', async () => {
    cluster.faults.push({ action: 'hang', resource: 'verticalpodautoscalers' });
    try {
      const run = vscode.commands.executeCommand<VerifyReport>('opex.verify');
      await sleep(1000);
      await vscode.commands.executeCommand('opex.verifyCancel');
      const report = await waitFor('the cancelled run to answer', () => Promise.race([run, sleep(200).then(() => undefined)]), { timeoutMs: 30_000 });
      assert.equal(report.cancelled, true);
    } finally {
      cluster.faults.length = 0;
    }
  });

  test('"Verify against cluster, including disruptive checks…" asks first, and nothing changes without a yes', async () => {
    // VS Code refuses modal dialogs in extension tests, as if the user said no; the UI tests click through it.
    await vscode.commands.executeCommand('opex.verifyDisruptive');
    assert.deepEqual(cluster.mutatingRequests().map((r) => `${r.method} ${r.path}`), []);
  });

  test('"Reload contexts and spec" reloads', async () => {
    await vscode.commands.executeCommand('opex.verifyRefresh');
  });
});
