import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';
import { describe, expect, it } from 'vitest';
import { startHostServer } from '../../electron/host/server';
import { sampleFixture } from '../../sandbox/file360';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { until } from '../support/file360-app';
import { annotatedAndExported } from '../support/lineage-flow';
import { recordingLogger } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';

const chromium = useChromium();
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const TRIAGE_NAME = 'Support tickets: intent triage (batch 7)';
const NOTES = 'asg-release-notes';
const THEMES = ['light', 'dark'] as const;

/** The sample workspace, with Ana also in the reviewer group: one signed-in app then has something in every view. */
function anaReviewsToo() {
  const fixture = sampleFixture();
  return {
    ...fixture,
    users: fixture.users.map((user) => (user.username === 'ana' ? { ...user, roles: [...user.roles, 'reviewer' as const], groups: [...user.groups, 'support-sme'] } : user)),
  };
}

/** Ana's app with an upload, two escalations, a running session and notifications. */
async function appWithData() {
  const sb = await sandbox({ fixture: anaReviewsToo() });
  const ana = await annotatedAndExported(sb);
  sb.push.publish({ users: ['ana'], type: 'deadline.approaching', title: 'Release notes are due tomorrow', summary: '3 files are not annotated yet.', data: { assignment_id: NOTES } });
  await until(() => ana.call('notifications.list', {}), (list) => list.items.length >= 2, 15_000);
  // A live session, so Sessions shows its controls and not only history.
  await ana.call('sessions.start', { assignmentId: NOTES });
  return ana;
}

interface View {
  name: string;
  open(page: Page): Promise<void>;
}

const section = (name: string, heading: string): View => ({
  name,
  open: async (page) => {
    await page.locator(`nav a[data-section="${name}"]`).click();
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  },
});

const SIGNED_IN_VIEWS: View[] = [
  {
    name: 'assignments',
    open: async (page) => {
      await section('assignments', 'Assignments').open(page);
      await page.getByRole('link', { name: TRIAGE_NAME }).waitFor();
    },
  },
  {
    name: 'assignment',
    open: async (page) => {
      await section('assignments', 'Assignments').open(page);
      await page.getByRole('link', { name: TRIAGE_NAME }).click();
      await page.getByRole('heading', { level: 1, name: TRIAGE_NAME }).waitFor();
      await page.getByText('guidelines.md').first().waitFor();
    },
  },
  {
    name: 'lineage',
    open: async (page) => {
      await page.getByRole('link', { name: 'Lineage', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Lineage' }).waitFor();
      await page.getByTestId('lineage-package').first().waitFor();
    },
  },
  {
    name: 'my-answers',
    open: async (page) => {
      await section('assignments', 'Assignments').open(page);
      await page.getByTestId('assignment-row').filter({ hasText: TRIAGE_NAME }).getByRole('link', { name: /^You: / }).click();
      await page.getByRole('heading', { level: 1, name: 'My answers' }).waitFor();
      await page.getByTestId('answer-row').first().waitFor();
    },
  },
  section('sessions', 'Sessions'),
  {
    name: 'reviews',
    open: async (page) => {
      await section('reviews', 'Reviews').open(page);
      await page.getByTestId('review-row').first().waitFor();
    },
  },
  {
    name: 'review-item',
    open: async (page) => {
      await page.getByTestId('review-row').filter({ hasText: 'Flagged' }).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Flagged item' }).waitFor();
      await page.getByTestId('version').first().waitFor();
    },
  },
  {
    name: 'notifications',
    open: async (page) => {
      await section('notifications', 'Notifications').open(page);
      await page.getByText('Release notes are due tomorrow').first().waitFor();
    },
  },
  {
    name: 'outbox',
    open: async (page) => {
      await section('outbox', 'Outbox').open(page);
      // Everything has gone out by now; the sent items are the data this view has.
      await page.getByLabel('Show sent').check();
      await page.getByTestId('outbox-item').first().waitFor();
    },
  },
  {
    name: 'audit',
    open: async (page) => {
      await section('audit', 'Audit log').open(page);
      await page.getByTestId('audit-row').first().waitFor();
    },
  },
  {
    name: 'settings',
    open: async (page) => {
      await section('settings', 'Settings').open(page);
      await page.getByLabel('Server address').waitFor();
    },
  },
];

/** Asked before signing out, over the page it was asked from. */
const SIGN_OUT_DIALOG: View = {
  name: 'sign-out',
  open: async (page) => {
    await page.getByRole('button', { name: 'Sign out…' }).click();
    await page.getByRole('alertdialog', { name: 'Sign out of File 360?' }).waitFor();
  },
};

const SIGNED_OUT_VIEWS: View[] = [
  {
    name: 'sign-in',
    open: async (page) => {
      await section('assignments', 'Assignments').open(page);
      await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();
    },
  },
  {
    name: 'notifications-signed-out',
    open: async (page) => {
      await section('notifications', 'Notifications').open(page);
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    },
  },
];

/** axe's serious and critical findings on the page as it stands, one line each, with where to look. */
async function seriousViolations(page: Page, where: string): Promise<string[]> {
  // Evaluated, not added as a <script>: the renderer's CSP refuses inline scripts, and bypassing it would hide CSP errors this test also watches for.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.impact}) ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function check(page: Page, view: View, found: string[]): Promise<void> {
  await view.open(page);
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    // Colour transitions (the sidebar's) would otherwise be measured half-way.
    await page.waitForTimeout(250);
    await screenshot(page, `a11y-${view.name}-${theme}`);
    found.push(...(await seriousViolations(page, `${view.name} (${theme})`)));
  }
}

describe('accessibility, checked by axe in Chromium', () => {
  it('finds no serious or critical problem on any view, signed in with data and signed out, in light and dark', { timeout: 120_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const ana = await appWithData();
    const server = await startHostServer({ router: ana.companion.router, events: ana.companion.events, rendererDir: RENDERER_DIR, logger: recordingLogger() });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(server.url);
      await page.getByRole('heading', { level: 1, name: 'Assignments' }).waitFor();
      const found: string[] = [];
      for (const view of SIGNED_IN_VIEWS) await check(page, view, found);
      await check(page, SIGN_OUT_DIALOG, found);
      await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect.poll(() => page.getByTestId('status-connection').textContent()).toBe('Not signed in');
      for (const view of SIGNED_OUT_VIEWS) await check(page, view, found);
      expect(found, `axe found serious or critical problems:\n${found.join('\n')}`).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
