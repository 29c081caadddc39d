/**
 * The side panel as a user meets it, against the loopback API server the runner started (KUBECONFIG points at it;
 * SC-005 is broken on the cluster): opened from its activity-bar icon, "Run checks" fills the rows, PASS for
 * SC-001 and FAIL for SC-005 with the measured value; in the light and the dark theme. The disruptive checks ask
 * in a modal dialog naming what they touch, and run once confirmed.
 */
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { BROKEN_CRITERION } from '../lib/cluster';
import { openWorkbench, screenshot, webviewFrame, type Theme, type Workbench } from '../lib/ui';

/** Makes the side bar wider by dragging its edge, as a user would to read the rows. */
async function widenSideBar(page: Page, by: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(x + by, y, { steps: 8 });
  await page.mouse.up();
}

async function openPanel(page: Page): Promise<Frame> {
  await page.locator('.activitybar .action-item a[aria-label^="opex"]').first().click();
  await page.locator('.part.sidebar').waitFor();
  await widenSideBar(page, 180);
  const frame = await webviewFrame(page, 'vscode-button[data-action="run"]');
  await frame.locator('#rows details.row[data-id="SC-001"]').waitFor({ timeout: 30_000 });
  return frame;
}

const row = (frame: Frame, id: string) => frame.locator(`#rows details.row[data-id="${id}"]`);

async function runChecks(frame: Frame): Promise<void> {
  await frame.locator('vscode-button[data-action="run"]').click();
  await row(frame, 'SC-001').and(frame.locator('.status-pass')).waitFor({ timeout: 60_000 });
  await row(frame, BROKEN_CRITERION).and(frame.locator('.status-fail')).waitFor({ timeout: 60_000 });
  await frame.locator('.summary').waitFor();
}

for (const theme of ['light', 'dark'] as Theme[]) {
  describe(`the side panel (${theme} theme)`, () => {
    let wb: Workbench;
    before(async () => {
      wb = await openWorkbench({ theme, clean: true });
    });
    after(() => wb?.close());

    it('"Run checks" shows PASS for SC-001 and FAIL for the broken criterion, with the measured value', async () => {
      const frame = await openPanel(wb.page);
      await runChecks(frame);
      const failing = row(frame, BROKEN_CRITERION);
      assert.match(await failing.locator('summary').innerText(), /240h/);
      await failing.locator('summary').click(); // expand: the reason and the links to the spec and the manifest
      await failing.locator('.body .reason').waitFor();
      assert.match(await failing.locator('.body').innerText(), /retention/);
      // The row's link to the manifest opens it in the editor, at the Schedule.
      await failing.locator('a.link', { hasText: 'Schedule velero/task-api-production-daily' }).click();
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'task-api-velero-schedule.yaml' }).waitFor();
      await wb.page.waitForTimeout(700);
      await screenshot(wb.page, `panel-${theme}`);
    });
  });
}

describe('the disruptive checks', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({ theme: 'light', clean: true });
  });
  after(() => wb?.close());

  it('ask in a modal naming what they change, and run once confirmed', async () => {
    const { page } = wb;
    const frame = await openPanel(page);
    await frame.locator('vscode-button[data-action="run-disruptive"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /staging/, text);
    await page.waitForTimeout(300);
    await screenshot(page, 'panel-disruptive-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Run disruptive checks' }).click();
    for (const id of ['SC-007', 'SC-008']) await row(frame, id).and(frame.locator('.status-pass')).waitFor({ timeout: 90_000 });
  });
});
