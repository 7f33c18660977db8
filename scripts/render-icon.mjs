#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (256×256, what the Marketplace and the Extensions view show) with
// the same headless Chromium the tests use. Run it after changing the SVG and commit both files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchChromium } from './vscode-host/host.mjs';

const svg = readFileSync(join(ROOT, 'media/icon.svg'), 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(ROOT, 'media/icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
