/**
 * A File 360 client that uses one access token the caller already has, for an
 * outbox running in a child process or a benchmark. Signing in is not what
 * those measure; the token is what a signed-in session would hand the client.
 */
import { createFile360Client, type File360Client } from '../../electron/core/remote/file360/client';
import { createHttp, type Http, type HttpOptions } from '../../electron/core/kernel/http/http';
import type { File360Session } from '../../electron/core/remote/file360/session';

export function fixedTokenClient(server: string, token: string, options: Partial<HttpOptions> = {}): { client: File360Client; http: Http } {
  const http = createHttp({ userAgent: 'annotator-companion-test', ...options });
  const session = { server, authorized: <T>(call: (accessToken: string) => Promise<T>) => call(token) } as unknown as File360Session;
  return { client: createFile360Client(session, http), http };
}
