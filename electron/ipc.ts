import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type CallResult } from '../shared/api/wire';
import { ERROR_TEXT } from '../shared/api/errors';
import type { Router } from './core/kernel/api/router';
import type { Logger } from './core/kernel/ports';
import { isTrustedSender } from './policy';
import type { EventHub } from './core/kernel/ports';

function frameOf(frame: WebFrameMain | null): { url: string; isTopFrame: boolean } | null {
  return frame ? { url: frame.url, isTopFrame: frame.parent === null } : null;
}

/**
 * One invoke channel for every method and one channel for events; the router
 * validates names and arguments, so nothing here is per-method.
 */
export function bindIpc(router: Router, events: EventHub, target: () => WebContents | null, logger: Logger): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, input: unknown): Promise<CallResult> => {
    if (!isTrustedSender(frameOf(event.senderFrame))) {
      logger.warn('refused IPC from an untrusted frame', { url: event.senderFrame?.url });
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: ERROR_TEXT.FORBIDDEN_SENDER } };
    }
    return router.call(method, input);
  });
  const unsubscribe = events.subscribe((name, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE);
  };
}
