import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE, type CompanionBridge } from '../../shared/api/wire';
import { PRELOAD_BUNDLE, runPreload } from '../support/electron-double/load';
import { DELIVER, INVOKE_BINDING, electronForPreload } from '../support/electron-double/renderer';

/**
 * The bundled preload (dist/electron/preload.cjs) with the renderer side of the
 * Electron double, in Node. test/e2e/electron-double.test.ts runs the same file
 * in Chromium before the app's page.
 */
function loaded() {
  const invoked: unknown[][] = [];
  const page = { [INVOKE_BINDING]: async (channel: string, args: unknown[]) => (invoked.push([channel, ...args]), { ok: true, value: 'pong' }) } as unknown as Window & { companion: CompanionBridge };
  runPreload(electronForPreload(page));
  const deliver = (page as unknown as Record<symbol, (channel: string, args: unknown[]) => void>)[Symbol.for(DELIVER)];
  return { page, invoked, deliver: (...args: unknown[]) => deliver?.(IPC_EVENT, args) };
}

describe('the preload', () => {
  it('is one CommonJS file whose only require is electron, as a sandboxed preload must be', () => {
    const source = fs.readFileSync(PRELOAD_BUNDLE, 'utf8');
    expect([...source.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1])).toEqual(['electron']);
  });

  it('exposes exactly window.companion: the shell name, invoke and on, frozen', async () => {
    const { page, invoked } = loaded();
    expect(Object.keys(page.companion).sort()).toEqual(['invoke', 'on', 'shell']);
    expect(page.companion.shell).toBe('electron');
    expect(Object.isFrozen(page.companion)).toBe(true);
    expect(await page.companion.invoke('app.info', {})).toEqual({ ok: true, value: 'pong' });
    expect(invoked).toEqual([[IPC_INVOKE, 'app.info', {}]]);
  });

  it('hands listeners the payload of their own event only, never the IPC event, and stops on unsubscribe', () => {
    const { page, deliver } = loaded();
    const got: unknown[][] = [];
    const stop = page.companion.on('navigate', (...args: unknown[]) => got.push(args));
    deliver('navigate', { section: 'audit' });
    deliver('status.changed', { connection: 'online' });
    stop();
    deliver('navigate', { section: 'outbox' });
    expect(got).toEqual([[{ section: 'audit' }]]);
  });
});
