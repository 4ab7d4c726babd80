import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbIn } from '../../electron/core/services/prodigy/cli';
import { systemClock } from '../../electron/core/kernel/ports';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { recordingLogger } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { datasetExamples } from '../support/prodigy-standin';
import { tempDir } from '../support/tmp';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

const chromium = useChromium();
const TRIAGE = 'asg-support-triage';
const DATASET = 'support_intents_batch7';


describe('agreement between annotators and which Prodigy runs, as the user sees them', () => {
  it('shows agreement per label on the assignment page, the items that pull it down one click from their escalation, and Prodigy’s version in Settings', { timeout: 60_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const logger = recordingLogger();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning: FAST, ports: { clock: systemClock } });
    await idle(app);
    await app.call('sessions.start', { assignmentId: TRIAGE });
    const choices = ['billing', 'bug_report', 'feature_request', 'account_access', 'billing', 'other'];
    await annotate(await openSession(app, TRIAGE), choices.map((choice) => ({ answer: 'accept' as const, accept: [choice] })));
    await until(() => app.call('sessions.list'), (list) => list.find((s) => s.assignmentId === TRIAGE)?.progress?.answered === 6, 10_000);
    await app.call('sessions.stop', { assignmentId: TRIAGE });
    // Ben's answers to the same six tickets (from his laptop's export), two of them different.
    const home = prodigyHome(dataDir, TRIAGE);
    const ben = datasetExamples(home, `${DATASET}-u-ana`).map((example, i) => ({
      ...example,
      accept: i === 1 ? ['feature_request'] : i === 4 ? ['account_access'] : example.accept,
      _session_id: `${DATASET}-u-ben`,
      _annotator_id: `${DATASET}-u-ben`,
    }));
    const file = path.join(tempDir(), 'ben.jsonl');
    fs.writeFileSync(file, ben.map((example) => JSON.stringify(example)).join('\n'));
    await dbIn({ command: 'python3 -m prodigy', home, env: PRODIGY_ENV }, DATASET, file);
    await until(() => app.call('exports.list', { id: TRIAGE }), (list) => list.length > 0, 15_000);
    await app.call('exports.run', { id: TRIAGE });

    const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(server.url);
      await page.getByText('Support tickets: intent triage (batch 7)').click();
      const section = page.getByTestId('agreement');
      await section.waitFor();
      expect(await section.getByTestId('agreement-summary').textContent()).toMatch(/^6 items labelled by 2 annotators; they chose the same label 67% of the time\. Krippendorff’s alpha is 0\.\d\d/);
      const rows = await section.getByRole('table', { name: 'Agreement per label' }).getByRole('row').allTextContents();
      expect(rows[1]).toMatch(/^All labels6/);
      expect(await section.getByTestId('agreement-label').count()).toBe(5);
      const items = section.getByTestId('agreement-item');
      expect(await items.count()).toBe(2);
      expect(await items.first().textContent()).toContain('0% of annotator pairs agree · 2 annotators');
      await screenshot(page, 'assignment-agreement');

      // One click: the item's escalation comes into view, with the focus.
      await items.first().getByRole('button', { name: 'See its escalation' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('escalation');
      expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Annotators disagree');

      await page.getByRole('link', { name: 'Settings' }).click();
      const card = page.getByTestId('prodigy-card');
      await expect.poll(() => card.getByTestId('prodigy-version').textContent()).toBe('1.18.4-sandbox');
      expect(await card.getByTestId('prodigy-version-message').textContent()).toBe('Prodigy 1.18.4-sandbox: supported (1.12.0 or newer).');
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, 'settings-prodigy');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
