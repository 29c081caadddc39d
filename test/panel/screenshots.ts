/**
 * Screenshots of the side panel for the docs: the fixture run (every status; SC-001's pods and SC-008's timeline
 * open) in the light, dark and high-contrast themes, at a sidebar's width, through the real page script and CSP.
 *
 *   npm run build && node --import tsx test/panel/screenshots.ts [--out docs/images]
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PanelState } from '../../client/panel/messages';
import type { ThemeKind } from './themes';
import { browserUnavailable, fixtureState, ROOT, withBrowser, writePreview } from './preview';

async function main(): Promise<void> {
  const why = browserUnavailable();
  if (why) throw new Error(`cannot take screenshots: ${why}`);
  const i = process.argv.indexOf('--out');
  const out = path.resolve(i > 0 ? process.argv[i + 1] : path.join(ROOT, 'docs', 'images'));
  mkdirSync(out, { recursive: true });
  const done = fixtureState();
  // A run in progress: three results in, SC-004 running, the rest pending.
  const running: PanelState = {
    ...done,
    busy: true,
    summary: null,
    canExport: false,
    progress: { done: 3, total: 10, message: 'SC-004 Velero schedule… 4/10: listing Backups of task-api-production-daily' },
    rows: done.rows.map((r, i) =>
      i < 3 ? r : i === 3 ? { ...r, status: 'RUNNING', actual: '', durationMs: null, reason: '', details: [], step: 'listing Backups of task-api-production-daily' } : { ...r, status: 'PENDING', actual: '', durationMs: null, reason: '', details: [], timeline: [], slowest: null, query: null, pods: [] },
    ),
  };
  const shots: Array<{ name: string; theme: ThemeKind; state: PanelState; open: string[] }> = [
    { name: 'panel-light', theme: 'light', state: done, open: ['SC-001', 'SC-008'] },
    { name: 'panel-dark', theme: 'dark', state: done, open: ['SC-001', 'SC-008'] },
    { name: 'panel-high-contrast', theme: 'high-contrast', state: done, open: ['SC-001', 'SC-008'] },
    { name: 'panel-running-dark', theme: 'dark', state: running, open: ['SC-004'] },
  ];
  await withBrowser(async (browser) => {
    for (const { name, theme, state, open } of shots) {
      const file = writePreview({ theme, state, open });
      const page = await browser.newPage({ viewport: { width: 380, height: 900 }, deviceScaleFactor: 2 });
      const problems: string[] = [];
      page.on('console', (m: any) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e: Error) => problems.push(e.message));
      await page.goto(pathToFileURL(file).href);
      for (let i = 0; !(await page.evaluate("window.__posted?.some((m) => m.type === 'ready')")); i++) {
        if (i > 250) throw new Error('the page never said ready');
        await page.waitForTimeout(20);
      }
      await page.waitForSelector('details.row[data-id="SC-010"]');
      await page.evaluate('document.fonts.ready');
      await page.waitForTimeout(300);
      const violations: string[] = await page.evaluate('window.__violations');
      if (violations.length || problems.length) throw new Error(`${theme}: ${[...violations, ...problems].join('\n')}`);
      const target = path.join(out, `${name}.png`);
      await page.screenshot({ path: target, fullPage: true });
      await page.close();
      process.stdout.write(`${path.relative(process.cwd(), target)}\n`);
    }
  });
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
