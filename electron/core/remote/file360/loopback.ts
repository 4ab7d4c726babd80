import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseUrl } from '../../../../shared/url';
import { AppError } from '../../kernel/errors';

/** What the browser tab shows once the app knows how the sign-in ended. */
export interface LoopbackPage {
  ok: boolean;
  title: string;
  text: string;
}

export interface LoopbackCallback {
  /** Every parameter of the redirect, for the caller to check (RFC 6749 §4.1.2, RFC 9207). */
  params: URLSearchParams;
  /** Answers the browser, then stops listening. */
  respond(page: LoopbackPage): void;
}

export interface LoopbackListener {
  redirectUri: string;
  /** Resolves with the redirect that carries our `state`, or rejects with words for the user. */
  result: Promise<LoopbackCallback>;
  /** Stops waiting; a browser still waiting for its page is told `reason`. */
  close(reason?: Error): void;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, text: string, ok: boolean): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1b1f24}h1{font-size:1.3rem;color:${ok ? '#1b1f24' : '#9b1c1c'}}</style>
<h1>${escape(title)}</h1><p>${escape(text)}</p></html>`;
}

/**
 * A one-shot listener on an ephemeral 127.0.0.1 port for the OAuth redirect
 * (RFC 8252 §7.3). The first request that carries our `state` is handed to the
 * caller and its browser tab waits for `respond`, so the page can say whether
 * signing in really worked; anything else is refused and does not end the wait.
 */
export async function startLoopbackListener(expectedState: string): Promise<LoopbackListener> {
  let settle!: { resolve: (r: LoopbackCallback) => void; reject: (e: Error) => void };
  const result = new Promise<LoopbackCallback>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be awaiting yet; a rejection is still delivered to whoever awaits later.
  result.catch(() => undefined);
  let received = false;
  let waitingTab: ((page: LoopbackPage) => void) | null = null;

  const server = http.createServer((req, res) => {
    const send = (status: number, title: string, text: string, ok = false) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(page(title, text, ok));
    };
    // Any local program can send this listener anything; a target that is not a URL (`http://[`) is refused, not thrown on.
    const url = parseUrl(req.url ?? '/', 'http://127.0.0.1');
    if (!url || url.pathname !== '/callback' || url.searchParams.get('state') !== expectedState) {
      send(400, 'This link is not for this sign-in', 'Start signing in again from Annotator Companion.');
      return;
    }
    if (received) {
      send(409, 'This sign-in is already being finished', 'Look at the first tab that came back from File 360, or at Annotator Companion.');
      return;
    }
    received = true;
    waitingTab = (answer) => {
      waitingTab = null;
      send(answer.ok ? 200 : 400, answer.title, answer.text, answer.ok);
      close();
    };
    settle.resolve({ params: url.searchParams, respond: (answer) => waitingTab?.(answer) });
  });

  const close = () => {
    server.closeAllConnections();
    server.close();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A socket error after the listen must not end the process; the wait ends with words instead.
  server.on('error', (error) => settle.reject(new AppError('SIGN_IN_FAILED', `The app stopped listening for your browser (${error.message}). Sign in again.`)));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    result,
    close: (reason = new AppError('SIGN_IN_FAILED', 'Sign-in was cancelled.')) => {
      if (waitingTab) waitingTab({ ok: false, title: 'Sign-in did not finish', text: reason.message });
      else close();
      settle.reject(reason);
    },
  };
}
