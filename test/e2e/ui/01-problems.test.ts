/**
 * What a user sees on opening the broken task-api workspace: squiggles with the rule's message and quick fixes on
 * hover, the Problems panel listing each problem with its rule id, and the status bar's counts.
 */
import * as assert from 'node:assert/strict';
import { BREAKAGES } from '../lib/workspace';
import { openWorkbench, screenshot, statusItem, type Workbench } from '../lib/ui';

describe('the broken workspace in the workbench', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({ theme: 'light' });
  });
  after(() => wb?.close());

  it('the status bar counts the errors and warnings', async () => {
    const errors = BREAKAGES.filter((b) => b.severity === 'error').length;
    const warnings = BREAKAGES.length - errors;
    await statusItem(wb.page).filter({ hasText: `${errors}` }).filter({ hasText: 'opex: task-api' }).first().waitFor();
    const text = (await statusItem(wb.page).first().innerText()).replace(/\s+/g, ' ').trim();
    assert.match(text, new RegExp(`${errors} .*${warnings} opex: task-api`));
  });

  it('a squiggle on the unquoted Off explains the problem and offers the fix', async () => {
    const { page } = wb;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('task-api-vpa.yaml');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'task-api-vpa.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    const off = page.locator('.monaco-editor .view-lines .view-line span span').filter({ hasText: /^Off$/ }).first();
    await off.waitFor();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await off.hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'yaml-boolean-trap' }).first();
    await hover.waitFor({ timeout: 15_000 });
    assert.match(await hover.innerText(), /Unquoted `?Off`? is the boolean false/);
    await page.waitForTimeout(300);
    await screenshot(page, 'editor-diagnostic-hover');
  });

  it('the Problems panel lists every problem with its rule id', async () => {
    const { page } = wb;
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor();
    for (const b of BREAKAGES) await panel.locator('.monaco-list-row').filter({ hasText: b.ruleId }).first().waitFor({ timeout: 15_000 });
    const rows = await panel.locator('.monaco-list-row').allInnerTexts();
    const problems = rows.filter((r) => BREAKAGES.some((b) => r.includes(b.ruleId)));
    assert.equal(problems.length, BREAKAGES.length, rows.join('\n'));
    await page.waitForTimeout(300);
    await screenshot(page, 'problems-panel');
  });
});
