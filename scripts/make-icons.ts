/** Renders assets/icon.svg to the PNGs the tray and the packager need (`npx tsx scripts/make-icons.ts`). */
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const svg = fs.readFileSync('assets/icon.svg', 'utf8');
const sizes: Array<[string, number]> = [
  ['assets/icon.png', 512],
  ['assets/tray.png', 32],
  ['assets/tray@2x.png', 64],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage();
for (const [file, size] of sizes) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
  await page.screenshot({ path: file, omitBackground: true });
}
await browser.close();
