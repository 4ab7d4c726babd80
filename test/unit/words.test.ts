import { describe, expect, it } from 'vitest';
import { trayStatusLine } from '../../shared/words';

describe('the tray line', () => {
  it('says the connection and what waits to upload', () => {
    expect(trayStatusLine({ connection: 'online', queued: 1, failed: 0, unread: 0 })).toBe('Online · 1 item waiting to upload');
  });

  it('adds failed uploads and unread notifications only when there are some', () => {
    expect(trayStatusLine({ connection: 'offline', queued: 1200, failed: 2, unread: 1 })).toBe('Offline · 1,200 items waiting to upload · 2 failed · 1 unread notification');
    expect(trayStatusLine({ connection: 'signed-out', queued: 0, failed: 0, unread: 5 })).toBe('Not signed in · 0 items waiting to upload · 5 unread notifications');
  });
});
