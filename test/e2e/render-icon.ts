/**
 * Renders images/icon.svg to images/icon.png (256×256, transparent corners) with the system's Chromium:
 * `node --import tsx test/e2e/render-icon.ts` after editing the SVG. The .vsix ships the PNG only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from './lib/browser';
import { ROOT } from './lib/codeServer';

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath() });
  try {
    const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
    const svg = fs.readFileSync(path.join(ROOT, 'images', 'icon.svg'), 'utf8');
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(ROOT, 'images', 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

void main();
