/**
 * Hover and code lens as the user meets them: the Velero cron in English with its next runs and the longest gap
 * against the RPO, and a lens on each SC line of the markdown spec with its static status.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SCHEDULE, SPEC } from '../lib/workspace';
import { closeAll, fileUri, hoverText, open, positionOf, waitFor, cleanWorkspace } from './helpers';

suite('hover and code lens', () => {
  suiteSetup(cleanWorkspace);
  suiteTeardown(closeAll);

  test('hover on the Schedule\'s cron: English, the next runs, the longest gap against the RPO', async () => {
    const editor = await open(SCHEDULE);
    const at = positionOf(editor.document, '"0 2 * * *"', 3);
    const text = await waitFor('a hover on the cron', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
      const t = hoverText(hovers);
      return t.includes('At 02:00') ? t : undefined;
    });
    assert.match(text, /\*\*At 02:00 \(UTC\)\*\* — `0 2 \* \* \*`/);
    assert.match(text, /Next runs \(UTC\):\n- \w{3} \d{4}-\d{2}-\d{2} 02:00 UTC/);
    assert.match(text, /Longest gap between runs: 1 day — ✓ within the RPO of 1 day/);
  });

  test('hover on the ttl shows it in days against the retention', async () => {
    const editor = await open(SCHEDULE);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, positionOf(editor.document, '720h', 1));
    assert.match(hoverText(hovers), /720h = 30 days/);
  });

  test('a code lens on each SC line of the spec, with its status', async () => {
    const editor = await open(SPEC);
    const lenses = await waitFor('ten lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
      return l.length === 10 && l.every((x) => x.command) ? l : undefined;
    });
    const titles: string[] = [];
    for (const lens of lenses) {
      const title = lens.command!.title;
      const id = title.slice(0, 6);
      assert.match(editor.document.lineAt(lens.range.start.line).text, new RegExp(`^- ${id}:`), `${title} is on its criterion's line`);
      titles.push(title.replace(/ by .*/, ''));
    }
    assert.deepEqual(titles, [
      'SC-001 ✓ satisfied', 'SC-002 needs a live check', 'SC-003 ✓ satisfied', 'SC-004 ✓ satisfied', 'SC-005 ✓ satisfied',
      'SC-006 ✓ satisfied', 'SC-007 needs a live check', 'SC-008 ✓ satisfied', 'SC-009 ✓ satisfied', 'SC-010 needs a live check',
    ]);
    assert.match(lenses[0].command!.title, /SC-001 ✓ satisfied by .*task-api-deployment\.yaml/);
  });

  test('clicking a lens shows the manifests that carry the criterion out', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri(SPEC), 100);
    const sc4 = lenses.find((l) => l.command?.title.startsWith('SC-004'))!;
    assert.equal(sc4.command!.command, 'opex.showLocations');
    const locations = sc4.command!.arguments![2] as Array<{ uri: string }>;
    assert.ok(locations.some((l) => l.uri.endsWith('/task-api-velero-schedule.yaml')), JSON.stringify(locations));
    await vscode.commands.executeCommand(sc4.command!.command, ...sc4.command!.arguments!);
  });
});
