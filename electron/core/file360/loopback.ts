import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseUrl } from '../../../shared/url';
import { AppError } from '../errors';

export interface LoopbackResult {
  code: string;
}

export interface LoopbackListener {
  redirectUri: string;
  /** Resolves with the authorization code, or rejects with words for the user. */
  result: Promise<LoopbackResult>;
  close(): void;
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1b1f24}h1{font-size:1.3rem}</style>
<h1>${title}</h1><p>${text}</p></html>`;
}

/**
 * A one-shot listener on an ephemeral 127.0.0.1 port for the OAuth redirect
 * (RFC 8252 §7.3). It answers the first request that carries our `state`,
 * then closes; anything else is refused and does not end the wait.
 */
export async function startLoopbackListener(expectedState: string, timeoutMs: number): Promise<LoopbackListener> {
  let settle!: { resolve: (r: LoopbackResult) => void; reject: (e: Error) => void };
  const result = new Promise<LoopbackResult>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be awaiting yet; a rejection is still delivered to whoever awaits later.
  result.catch(() => undefined);
  const timer = setTimeout(() => finish(new AppError('SIGN_IN_FAILED', 'Sign-in timed out. Start again when you are ready.')), timeoutMs);
  timer.unref();

  const server = http.createServer((req, res) => {
    const send = (status: number, title: string, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(page(title, text));
    };
    // Any local program can send this listener anything; a target that is not a URL (`http://[`) is refused, not thrown on.
    const url = parseUrl(req.url ?? '/', 'http://127.0.0.1');
    if (!url || url.pathname !== '/callback' || url.searchParams.get('state') !== expectedState) {
      send(400, 'This link is not for this sign-in', 'Start signing in again from Annotator Companion.');
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error) {
      send(200, 'Sign-in cancelled', 'You can close this tab and return to Annotator Companion.');
      finish(new AppError('SIGN_IN_FAILED', error === 'access_denied' ? 'Sign-in was cancelled in the browser.' : `File 360 did not sign you in (${error}).`));
    } else if (code) {
      send(200, 'You are signed in', 'You can close this tab and return to Annotator Companion.');
      finish(null, code);
    } else {
      send(400, 'Sign-in did not finish', 'File 360 sent no code. Start signing in again from Annotator Companion.');
    }
  });

  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  function finish(error: Error | null, code?: string) {
    close();
    if (error) settle.reject(error);
    else settle.resolve({ code: code as string });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    result,
    close: () => finish(new AppError('SIGN_IN_FAILED', 'Sign-in was cancelled.')),
  };
}
