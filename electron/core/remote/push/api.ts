import { z } from 'zod';
import { parseUrl } from '../../../../shared/url';
import { File360Error } from '../../kernel/http/errors';
import type { Http, HttpRequest, StreamResponse } from '../../kernel/http/http';
import { DeviceCreated, PublishAccepted, SeqBounds, type PublishBody } from './wire';
import { Collection } from '../../kernel/http/wire';

/** What Push needs of the signed-in session (File 360's, whose tokens Push accepts): its server, and its tokens. */
export interface PushSession {
  readonly server: string;
  /** Runs a call with the current access token, refreshing it once when the call is refused for it. */
  authorized<T>(call: (token: string) => Promise<T>): Promise<T>;
  /** A new access token in place of one the server refused outside `authorized` (the stream's own 401). */
  refreshAccessToken(stale: string): Promise<string>;
}

export interface DeviceRegistration {
  installation_id: string;
  runtime: 'desktop-linux' | 'desktop-mac' | 'desktop-win';
  app_version: string;
}

export interface NotificationsPage {
  items: unknown[];
  /** Absolute, on this server; null on the last page. */
  next: string | null;
}

const Page = Collection(z.unknown());

/**
 * CONTRACTS §B over the File 360 session's tokens. Calls other than the stream
 * go through `authorized` (one refresh on a 401). A publish is sent once per
 * call: the outbox it comes from decides when to try again.
 */
export function createPushApi(session: PushSession, http: Http) {
  const base = `${session.server}/push/v1`;
  const origin = new URL(session.server).origin;
  const call = <T extends z.ZodType>(req: HttpRequest, schema: T) =>
    session.authorized((token) => http.json({ ...req, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...req.headers } }, schema));
  const topicUrl = (deviceId: string, topic: string) => `${base}/devices/${encodeURIComponent(deviceId)}/topics/${encodeURIComponent(topic)}`;
  const post = (url: string, key: string, body: unknown, retry: HttpRequest['retry'], signal?: AbortSignal): HttpRequest => ({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    retry,
    signal,
  });

  return {
    registerDevice: async (key: string, device: DeviceRegistration, signal?: AbortSignal) =>
      (await call(post(`${base}/devices`, key, device, 'idempotent', signal), DeviceCreated)).id,

    putTopic: async (deviceId: string, topic: string): Promise<void> => {
      await call({ method: 'PUT', url: topicUrl(deviceId, topic), retry: 'idempotent' }, z.unknown());
    },

    /** Already gone counts as done. */
    deleteTopic: async (deviceId: string, topic: string): Promise<void> => {
      try {
        await call({ method: 'DELETE', url: topicUrl(deviceId, topic), retry: 'idempotent' }, z.unknown());
      } catch (error) {
        if (!(error instanceof File360Error && error.status === 404)) throw error;
      }
    },

    seqBounds: (signal?: AbortSignal) => call({ method: 'GET', url: `${base}/notifications/seq-bounds`, retry: 'idempotent', signal }, SeqBounds),

    notificationsUrl: (afterSeq: number, limit: number) => `${base}/notifications?after_seq=${afterSeq}&limit=${limit}`,

    /** One page of the catch-up collection; its `next` is followed on this server only, so the token never goes elsewhere. */
    async notifications(url: string, signal?: AbortSignal): Promise<NotificationsPage> {
      const page = await call({ method: 'GET', url, retry: 'idempotent', signal }, Page);
      const href = page._links.next?.href;
      const next = href ? parseUrl(href, `${base}/`) : null;
      if (href && !next) throw new File360Error('invalid-response', 'Push sent a link to the next page that is not an address.');
      if (next && next.origin !== origin) throw new File360Error('invalid-response', 'Push pointed the next page at another server; the app did not follow it.');
      return { items: page._embedded.collection, next: next?.href ?? null };
    },

    publish: (key: string, body: PublishBody) => call(post(`${base}/notifications`, key, body, 'never'), PublishAccepted),

    /** The stream takes a token as it is: the caller decides what a 401 or `auth_expired` means for it. */
    async openStream(token: string, lastEventId: number, signal: AbortSignal): Promise<StreamResponse> {
      const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'cache-control': 'no-cache', 'last-event-id': String(lastEventId) };
      const response = await http.stream({ method: 'GET', url: `${base}/stream`, headers, signal });
      const type = String(response.headers['content-type'] ?? '');
      if (!type.startsWith('text/event-stream')) {
        response.body.destroy();
        throw new File360Error('invalid-response', `Push answered the stream with ${type || 'no content type'}, not an event stream.`, response.status);
      }
      return response;
    },
  };
}

export type PushApi = ReturnType<typeof createPushApi>;
