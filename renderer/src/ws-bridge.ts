import {
  WS_PATH,
  WS_PROTOCOL,
  WS_TOKEN_PREFIX,
  type CallFrame,
  type CallResult,
  type CompanionBridge,
  type ServerFrame,
} from '../../shared/api/wire';
import { ERROR_TEXT } from '../../shared/api/errors';

/** `refused`: never got through, so the link is stale (the app restarted) or the app is not running. */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

const TOKEN_KEY = 'companion.token';

/**
 * The browser shell's link carries a one-run token in its #fragment. Take it,
 * keep it for this tab only, and clear it from the address bar.
 */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', `${window.location.pathname}#/assignments`);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const closedResult: CallResult = {
  ok: false,
  error: { code: 'TRANSPORT_CLOSED', message: ERROR_TEXT.TRANSPORT_CLOSED },
};

/** The same bridge the Electron preload provides, over the browser shell's WebSocket. */
export function createWebSocketBridge(token: string, onState: (state: ConnectionState) => void): CompanionBridge {
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${WS_PATH}`;
  const pending = new Map<number, (result: CallResult) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queue: CallFrame[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 500;
  let everOpened = false;

  const connect = () => {
    onState('connecting');
    socket = new WebSocket(url, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
    socket.addEventListener('open', () => {
      everOpened = true;
      retryMs = 500;
      onState('open');
      for (const frame of queue.splice(0)) socket.send(JSON.stringify(frame));
    });
    socket.addEventListener('message', (message) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as ServerFrame;
      } catch {
        // The app only sends JSON; anything else is dropped rather than breaking every later frame.
        console.warn('ignored a frame from the app that is not JSON');
        return;
      }
      if (frame.type === 'result') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else {
        listeners.get(frame.event)?.forEach((listener) => listener(frame.payload));
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of pending.values()) resolve(closedResult);
      pending.clear();
      queue.length = 0;
      if (!everOpened) {
        // A browser cannot see why an upgrade was refused; a token from an earlier run is the usual cause.
        sessionStorage.removeItem(TOKEN_KEY);
        onState('refused');
        return;
      }
      onState('closed');
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    });
  };
  connect();

  return {
    shell: 'browser',
    invoke(method, input) {
      const frame: CallFrame = { type: 'call', id: nextId++, method, input };
      return new Promise((resolve) => {
        pending.set(frame.id, resolve);
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
        else queue.push(frame);
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
