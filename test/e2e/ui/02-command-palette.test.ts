/** "opex: Lint workspace" from the command palette: the command is found by its title and reports the totals. */
import * as assert from 'node:assert/strict';
import { openWorkbench, runCommand, screenshot, type Workbench } from '../lib/ui';

describe('the command palette', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({ theme: 'light' });
  });
  after(() => wb?.close());

  it('lists the opex commands', async () => {
    const { page } = wb;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>opex: ');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'opex: Lint workspace' }).first().waitFor();
    const titles = await rows.allInnerTexts();
    for (const t of ['opex: Lint workspace', 'opex: Create opex spec', 'opex: Scaffold service from spec']) {
      assert.ok(titles.some((x) => x.includes(t)), `${t} in ${titles.join(' | ')}`);
    }
    // Move the selection onto the command, as a user would before pressing Enter.
    for (let i = 0; i < 10; i++) {
      const focused = await page.locator('.quick-input-list .monaco-list-row.focused').innerText().catch(() => '');
      if (focused.includes('opex: Lint workspace')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.waitForTimeout(300);
    await screenshot(page, 'command-palette');
    await page.keyboard.press('Escape');
  });

  it('"opex: Lint workspace" reports the totals in a notification', async () => {
    const { page } = wb;
    await runCommand(page, 'opex: Lint workspace');
    const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'opex:' }).filter({ hasText: 'checked' }).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /opex: 4 errors, 1 warning in 4 files \(6 files checked, spec task-api-opex-spec\.md\)/);
    // Let the progress notification go and the toast finish fading in.
    await page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'linting the workspace' }).waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForTimeout(1000);
    await screenshot(page, 'lint-workspace-notification');
  });
});
