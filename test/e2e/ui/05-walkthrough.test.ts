/** The "Get started with opex" walkthrough: listed by VS Code, its three steps with their command links. */
import * as assert from 'node:assert/strict';
import { openWorkbench, runCommand, screenshot, type Workbench } from '../lib/ui';

describe('the walkthrough', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({ theme: 'light', clean: true });
  });
  after(() => wb?.close());

  it('"Get started with opex" opens with its three steps', async () => {
    const { page } = wb;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const pick = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Get started with opex' }).first();
    await pick.waitFor();
    await pick.click();
    const editor = page.locator('.gettingStartedContainer');
    await editor.waitFor();
    for (const step of ['Create a spec', 'Scaffold a service', 'Run the live checks']) {
      await editor.locator('.getting-started-step').filter({ hasText: step }).first().waitFor();
    }
    const first = editor.locator('.getting-started-step').filter({ hasText: 'Create a spec' }).first();
    assert.match(await first.innerText(), /Create opex spec/);
    await page.waitForTimeout(800);
    await screenshot(page, 'walkthrough');
  });
});
