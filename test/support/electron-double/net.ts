/// <reference types="electron" />
import http from 'node:http';
import https from 'node:https';
import { Emitter, type Checked } from './checked';

type ClientRequestEvents = Checked<
  Electron.ClientRequest['on'],
  {
    response: [response: Electron.IncomingMessage];
    redirect: [statusCode: number, method: string, redirectUrl: string, responseHeaders: Record<string, string[]>];
    error: [error: Error];
    abort: [];
    finish: [];
    close: [];
  }
>;

function urlOf(options: Electron.ClientRequestConstructorOptions | string): URL {
  if (typeof options === 'string') return new URL(options);
  if (options.url) return new URL(options.url);
  const port = options.port ? `:${options.port}` : '';
  return new URL(`${options.protocol ?? 'http:'}//${options.hostname ?? options.host ?? 'localhost'}${port}${options.path ?? '/'}`);
}

/**
 * `net.request` as https://www.electronjs.org/docs/latest/api/client-request
 * describes it, carried by Node's http client: `response` with a readable
 * IncomingMessage, `redirect` (answered by `followRedirect()` or `abort()` when
 * `redirect: 'manual'`, followed on its own otherwise), `error`, `abort`, `close`.
 */
export class ClientRequestDouble extends Emitter<ClientRequestEvents> implements Pick<Electron.ClientRequest, 'end' | 'abort' | 'followRedirect' | 'setHeader' | 'getHeader'> {
  chunkedEncoding = false;
  private url: URL;
  private readonly method: string;
  private readonly headers: Record<string, string>;
  private readonly manual: boolean;
  private current: http.ClientRequest | null = null;
  private pendingRedirect: string | null = null;
  private aborted = false;

  constructor(options: Electron.ClientRequestConstructorOptions | string) {
    super();
    this.url = urlOf(options);
    this.method = (typeof options === 'string' ? undefined : options.method)?.toUpperCase() ?? 'GET';
    this.headers = { ...((typeof options === 'string' ? undefined : (options as { headers?: Record<string, string> }).headers) ?? {}) };
    this.manual = typeof options !== 'string' && options.redirect === 'manual';
  }

  setHeader: Electron.ClientRequest['setHeader'] = (name, value) => {
    this.headers[name] = value;
  };

  getHeader: Electron.ClientRequest['getHeader'] = (name) => this.headers[name] ?? '';

  end: Electron.ClientRequest['end'] = () => {
    this.send();
    return this as unknown as Electron.ClientRequest;
  };

  abort: Electron.ClientRequest['abort'] = () => {
    if (this.aborted) return;
    this.aborted = true;
    this.current?.destroy();
    this.fire('abort');
    this.fire('close');
  };

  followRedirect: Electron.ClientRequest['followRedirect'] = () => {
    if (!this.pendingRedirect) throw new Error('followRedirect() called without a redirect');
    this.url = new URL(this.pendingRedirect, this.url);
    this.pendingRedirect = null;
    this.send();
  };

  private send(): void {
    const client = this.url.protocol === 'https:' ? https : http;
    const request = client.request(this.url, { method: this.method, headers: this.headers });
    this.current = request;
    request.on('response', (response) => {
      const location = response.headers.location;
      if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
        response.resume();
        this.pendingRedirect = new URL(location, this.url).href;
        const headers = Object.fromEntries(Object.entries(response.headers).map(([key, value]) => [key, ([] as string[]).concat(value ?? [])]));
        if (this.manual) this.fire('redirect', response.statusCode, this.method, this.pendingRedirect, headers);
        else this.followRedirect();
        return;
      }
      response.on('end', () => this.fire('close'));
      this.fire('response', response as unknown as Electron.IncomingMessage);
    });
    request.on('error', (error) => {
      if (!this.aborted) this.fire('error', error);
    });
    request.end(() => this.fire('finish'));
  }
}
