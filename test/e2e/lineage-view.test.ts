import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { TRIAGE, exportedAndReviewed } from '../support/lineage-flow';
import { recordingLogger } from '../support/ports';
import { provErrors, validateProvJson } from '../support/prov-json';
import { sandbox } from '../support/sandbox-file360';

const chromium = useChromium();
const TRIAGE_NAME = 'Support tickets: intent triage (batch 7)';

async function openLineage(page: Page, assignmentName: string): Promise<void> {
  await page.getByRole('link', { name: 'Assignments' }).first().click();
  await page.getByRole('link', { name: assignmentName }).click();
  await page.getByRole('heading', { name: assignmentName, level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Lineage', exact: true }).click();
  await page.getByRole('heading', { name: 'Lineage', level: 1 }).waitFor();
}

describe('the Lineage view, as an auditor would read it', () => {
  it('shows sources → session → package → escalations → decision → reviewed dataset, copies hashes whole, and exports valid PROV-JSON', { timeout: 90_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const { ana, decidedId } = await exportedAndReviewed(sb);
    const [upload] = sb.admin.uploads();
    const server = await startHostServer({ router: ana.companion.router, events: ana.companion.events, rendererDir: RENDERER_DIR, logger: recordingLogger() });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1480 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(server.url);
      await openLineage(page, TRIAGE_NAME);
      expect(page.url()).toContain(`#/assignments/${TRIAGE}/lineage`);

      const pkg = page.getByTestId('lineage-package');
      await expect.poll(() => pkg.count()).toBe(1);
      expect(await pkg.getByTestId('lineage-source').allTextContents()).toEqual([expect.stringMatching(/^tasks\/extra\.jsonl.*v1.*3$/)]);
      const session = await pkg.getByTestId('lineage-session').textContent();
      expect(session).toContain('Ana Ruiz (vendor.example)');
      expect(await pkg.getByTestId('lineage-session').locator('.lineage-person').getAttribute('title')).toBe('u-ana');
      expect(session).toContain('3 answers: 1 accepted · 1 rejected · 1 skipped · 1 flagged');
      expect(await pkg.getByTestId('lineage-upload').textContent()).toContain('Uploaded to File 360');
      await expect.poll(() => pkg.getByTestId('lineage-escalation').count()).toBe(2);
      const decided = pkg.getByTestId('lineage-escalation').filter({ hasText: decidedId.slice(0, 16) });
      expect(await decided.getByTestId('lineage-decision').textContent()).toMatch(/^Corrected by Sam Okafor, /);
      expect(await decided.getByTestId('lineage-decision').locator('.lineage-person').getAttribute('title')).toBe('u-sam');
      expect(await decided.getByTestId('lineage-reviewed').textContent()).toContain('support_intents_batch7_reviewed');
      // Each escalated item by its text, as File 360 received it; Prodigy's input hash only on hover.
      const sent = sb.admin.escalations().find((e) => e.id === decidedId);
      const itemText = await decided.getByTestId('lineage-item-text');
      const task = (sent?.item.task ?? {}) as { text?: string };
      expect(await itemText.textContent()).toBe((task.text ?? 'missing').replace(/\s+/g, ' ').trim());
      expect(await itemText.getAttribute('title')).toContain(`Prodigy input hash ${String(sent?.item.input_hash)}`);
      expect(await pkg.textContent()).not.toContain('input hash');

      // A shortened hash copies whole.
      await pkg.getByRole('button', { name: 'Copy the package sha256' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(upload?.sha256);

      await page.getByRole('status').getByRole('button', { name: 'Dismiss' }).click();
      await screenshot(page, 'lineage');

      // "Export lineage" downloads the PROV-JSON document under the name the app suggests.
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export lineage' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('lineage-asg-support-triage.prov.json');
      const document = JSON.parse(await fs.promises.readFile(await download.path(), 'utf8')) as unknown;
      expect(validateProvJson(document), provErrors().join('\n')).toBe(true);
      expect(Object.keys((document as { entity: object }).entity)).toContain(`file360:escalations/${decidedId}/decision`);

      // The Outbox's history names whom the upload was announced to: the manager who shared the assignment.
      await page.getByRole('link', { name: 'Outbox', exact: true }).click();
      await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
      await page.getByRole('checkbox', { name: 'Show sent' }).check();
      const announced = page.getByTestId('outbox-item').filter({ hasText: 'Annotations uploaded' });
      await expect.poll(() => announced.count()).toBe(1);
      expect(await announced.locator('.outbox-label').textContent()).toBe(`Notify Maria Chen: Annotations uploaded for “${TRIAGE_NAME}”`);
      expect(await page.locator('.outbox-list').textContent()).not.toContain('u-maria');
      await page.mouse.move(0, 0);
      await screenshot(page, 'outbox-names');

      // An assignment with nothing exported says so, and has nothing to export.
      await openLineage(page, 'Release notes: sentiment spot check');
      await page.getByRole('heading', { name: 'No packages yet' }).waitFor();
      expect(await page.getByRole('button', { name: 'Export lineage' }).isDisabled()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
