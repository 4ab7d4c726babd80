import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';
import { idle, signedInApp, until } from '../support/file360-app';
import { ManualClock } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';
/** File 360 calls that are not about the assignments: decisions and review items (escalations), the access history. */
const CATCH_UPS = ['GET /file360/v1/escalations', 'GET /file360/v1/audit'];

const asked = (sb: File360Sandbox): Record<string, number> => Object.fromEntries(CATCH_UPS.map((route) => [route, sb.stats().requests[route] ?? 0]));
const of = (counts: Record<string, number>, route: string) => counts[route] ?? 0;

describe('what a sync asks File 360 for', () => {
  it('a Sync click fetches the assignments only; decisions and review items come after sign-in, and with the access history on the schedule', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'ana');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ syncIntervalMinutes: 5 }));
    const clock = new ManualClock(new Date().toISOString());
    const ana = await signedInApp(sb, dataDir, { ports: { clock } });
    await idle(ana);
    // The sign-in's own sync was followed by the catch-ups; the access history, which on a new device may be all
    // File 360 keeps, waits for the Audit view or the schedule.
    await until(() => Promise.resolve(asked(sb)), (counts) => of(counts, 'GET /file360/v1/escalations') > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterSignIn = asked(sb);
    expect(of(afterSignIn, 'GET /file360/v1/audit')).toBe(0);

    sb.admin.addFile(TRIAGE, { id: 'fil-clicked', path: 'tickets/clicked.txt', text: 'fetched because of the click\n' });
    const listed = sb.stats().requests['GET /file360/v1/assignments'] ?? 0;
    await ana.call('sync.start', {});
    await until(() => Promise.resolve(sb.stats().contentRequests['fil-clicked']), (n) => n === 1);
    await idle(ana);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sb.stats().requests['GET /file360/v1/assignments']).toBeGreaterThan(listed);
    expect(asked(sb)).toEqual(afterSignIn);

    // The schedule's sync is the app's own check-in: the catch-ups run again with it.
    clock.advance(5 * 60_000);
    await until(() => Promise.resolve(asked(sb)), (counts) => CATCH_UPS.every((route) => of(counts, route) > of(afterSignIn, route)));
  });
});
