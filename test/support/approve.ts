/**
 * Signing in on the sandbox's approve page as a person would, over plain HTTP.
 * Free of Vitest, so child processes the tests start can use it too.
 */
import type { Opener } from '../../electron/core/ports';

/** The hidden fields of the approve page's form, as a browser would submit them. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[name ?? ''] = (value ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  }
  return fields;
}

/** Submits the approve page as a person would; returns the sandbox's answer without following it. */
export async function submitApprovePage(pageUrl: string, fields: Record<string, string>): Promise<Response> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  return fetch(pageUrl, { method: 'POST', body: new URLSearchParams({ ...hiddenFields(html), ...fields }), redirect: 'manual' });
}

/**
 * The system browser, as a person would use it: open the sign-in page, type the
 * user name and password, press Allow (or Deny), and follow the redirect back to the app.
 */
export function approvingOpener(credentials: { username: string; password: string }, action: 'allow' | 'deny' = 'allow'): Opener & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async openExternal(url) {
      opened.push(url);
      void (async () => {
        const answer = await submitApprovePage(url, { ...credentials, action });
        const location = answer.headers.get('location');
        if (location) await fetch(location);
      })();
    },
  };
}
