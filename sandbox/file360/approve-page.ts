import { randomBytes } from 'node:crypto';

/**
 * The sign-in and consent page a person sees in their browser. Plain HTML, no
 * script; the only style is inline, allowed by a per-response CSP nonce.
 */
export interface Page {
  html: string;
  csp: string;
}

const SCOPE_WORDS: Record<string, string> = {
  openid: 'Know who you are (your name and email)',
  file360: 'Read the assignments and files shared with you, and upload your work to them',
  push: 'Send you notifications about your assignments',
  offline_access: 'Stay signed in on this computer',
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; background: #f3f4f6; color: #111827; margin: 0; }
main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
h1 { font-size: 1.35rem; margin: 0 0 1rem; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; border: 1px solid #9ca3af; border-radius: 4px; font: inherit; }
ul { padding-left: 1.25rem; }
.error { background: #fee2e2; color: #991b1b; padding: .5rem .75rem; border-radius: 4px; }
.note { color: #4b5563; font-size: .875rem; }
.buttons { display: flex; gap: .75rem; margin-top: 1.5rem; }
button { flex: 1; padding: .6rem; font: inherit; border-radius: 4px; border: 1px solid #1d4ed8; cursor: pointer; }
button[value=allow] { background: #1d4ed8; color: #fff; }
button[value=deny] { background: #fff; color: #1d4ed8; }
`;

function page(title: string, body: string, formTargets: string[] = []): Page {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    // Chromium applies form-action to the redirect after a submit, so the app's loopback callback must be listed.
    `form-action 'self' ${formTargets.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
  return { html, csp };
}

export interface ApprovePageInput {
  appName: string;
  tenant: string;
  scopes: string[];
  /** The authorization request, carried through the form unchanged. */
  request: Record<string, string>;
  redirectOrigin: string;
  username?: string;
  error?: string;
}

export function approvePage(input: ApprovePageInput): Page {
  const hidden = Object.entries(input.request)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  const scopes = input.scopes.map((scope) => `<li>${escape(SCOPE_WORDS[scope] ?? scope)}</li>`).join('');
  const body = `
<h1>Sign in to File 360 (sandbox)</h1>
${input.error ? `<p class="error" role="alert">${escape(input.error)}</p>` : ''}
<p><strong>${escape(input.appName)}</strong> wants to use your File 360 account on tenant <strong>${escape(input.tenant)}</strong> to:</p>
<ul>${scopes}</ul>
<form method="post">
${hidden}
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" value="${escape(input.username ?? '')}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<div class="buttons">
<button type="submit" name="action" value="allow">Allow</button>
<button type="submit" name="action" value="deny">Deny</button>
</div>
</form>
<p class="note">This is the local File 360 sandbox. After you choose, your browser returns to the app at ${escape(input.redirectOrigin)}.</p>`;
  return page('Sign in to File 360 (sandbox)', body, [input.redirectOrigin]);
}

export function errorPage(message: string): Page {
  const body = `<h1>This sign-in link cannot be used</h1><p class="error" role="alert">${escape(message)}</p><p>Start signing in again from the app.</p>`;
  return page('File 360 (sandbox): sign-in problem', body);
}
