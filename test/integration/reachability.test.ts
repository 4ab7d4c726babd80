import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../electron/core/kernel/ports';
import { startFile360Sandbox } from '../../sandbox/file360';
import { reachability } from '../../shared/words';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { tempDir } from '../support/tmp';

describe('one notion of "File 360 answers" (issue 16, item 2)', () => {
  it('goes offline when File 360 stops answering, with no Sync click, and online again when it answers; the sidebar and the notification center read the same words', async () => {
    const sbDir = tempDir();
    let sb = await startFile360Sandbox({ dataDir: sbDir });
    const port = Number(new URL(sb.url).port);
    onTestFinished(() => sb.close());
    const app = await signedInApp(sb, path.join(tempDir(), 'ana'), { ports: { clock: systemClock }, tuning: { ...FAST, push: { reconnect: { baseMs: 50, maxMs: 200 } } } });
    await idle(app);
    const live = await until(() => app.call('app.status'), (status) => status.push === 'live');
    expect(live.connection).toBe('online');
    expect(reachability(live.connection, live.push).text).toBe('Online');

    // File 360 goes away: only the Push stream notices, and that is enough for the whole app.
    await sb.close();
    const down = await until(() => app.call('app.status'), (status) => status.connection === 'offline', 10_000);
    expect(down.push).toBe('backoff');
    const words = reachability(down.connection, down.push);
    expect(words.text).toBe('Offline — reconnecting');
    expect(words.tone).toBe('warn');

    // Back on the same address: the stream reconnects by itself and says so for everyone.
    sb = await startFile360Sandbox({ dataDir: sbDir, port });
    const back = await until(() => app.call('app.status'), (status) => status.connection === 'online' && status.push === 'live', 15_000);
    expect(reachability(back.connection, back.push).text).toBe('Online');
  });

  it('words every combination the status can take, never "Online" while File 360 is offline', () => {
    const connections = ['not-configured', 'signed-out', 'offline', 'online'] as const;
    const pushes = ['off', 'stopped', 'connecting', 'live', 'backoff', 'catching-up'] as const;
    for (const connection of connections)
      for (const push of pushes) {
        const words = reachability(connection, push);
        if (connection === 'offline') expect(words.text).toBe('Offline — reconnecting');
        if (connection === 'online') expect(words.text.startsWith('Online')).toBe(true);
        if (connection !== 'online') expect(words.tone).not.toBe('ok');
      }
    expect(reachability('online', 'backoff')).toMatchObject({ text: 'Online · notifications reconnecting', tone: 'warn' });
  });
});
