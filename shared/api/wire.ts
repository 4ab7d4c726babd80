import type { ApiErrorShape } from './errors';

/** What every transport returns for a call: never a thrown error across the boundary. */
export type CallResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** Browser-shell WebSocket frames (Electron uses ipcRenderer.invoke for the same calls). */
export interface CallFrame {
  type: 'call';
  id: number;
  method: string;
  input: unknown;
}
export type ServerFrame =
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'event'; event: string; payload: unknown };

/** Electron IPC channel names; the only two the preload exposes. */
export const IPC_INVOKE = 'companion:invoke';
export const IPC_EVENT = 'companion:event';

/** WebSocket sub-protocols: the API version, and the per-run token (kept out of URLs and logs). */
export const WS_PROTOCOL = 'companion.v1';
export const WS_TOKEN_PREFIX = 'companion.token.';
export const WS_PATH = '/api';

/** What the preload puts on `window.companion`, and what the browser transport imitates. */
export interface CompanionBridge {
  readonly shell: 'electron' | 'browser';
  invoke(method: string, input: unknown): Promise<CallResult>;
  /** Returns a function that stops listening. The listener never sees transport objects. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}
