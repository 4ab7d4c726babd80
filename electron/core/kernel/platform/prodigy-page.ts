/**
 * Headers added to every answer of a Prodigy page the app shows (the browser
 * shell's proxy, and the Electron window's session): Prodigy sets none of its
 * own. Its page needs inline and evaluated script (custom `javascript`,
 * `html` templates) and remote images (image tasks by URL), so those stay
 * open; what is closed is what would let another page frame it or let a
 * task's script carry answers to another server.
 */
export function prodigyPageCsp(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const PRODIGY_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': prodigyPageCsp(),
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Response headers (Electron's `onHeadersReceived` shape) with ours in force:
 * ours replace any of the same name, except a policy Prodigy sent itself,
 * which is kept beside ours (a browser enforces every CSP it is given).
 */
export function withProdigyPageHeaders(headers: Readonly<Record<string, string[]>>): Record<string, string[]> {
  const ours = new Map(Object.keys(PRODIGY_PAGE_HEADERS).map((name) => [name.toLowerCase(), name]));
  const out: Record<string, string[]> = {};
  const policies: string[] = [];
  for (const [name, values] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy') policies.push(...values);
    else if (!ours.has(lower)) out[name] = values;
  }
  for (const [name, value] of Object.entries(PRODIGY_PAGE_HEADERS)) out[name] = name === 'Content-Security-Policy' ? [...policies, value] : [value];
  return out;
}
