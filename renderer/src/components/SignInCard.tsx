import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../shared/api/schemas/settings';
import { ApiError, errorMessage } from '../client';
import { useApp, useClient } from '../store';

type FieldKey = 'server' | 'tenant';
const FIELD_NAMES: Record<FieldKey, string> = { server: 'server address', tenant: 'tenant' };

/**
 * Why fields cannot be edited, one sentence per reason (fields held the same
 * way share one): set for this run (by a flag, a variable, the sandbox
 * workspace), or held while the browser is out signing in.
 */
function whyFixed(lockedBy: Record<string, string>, waiting: boolean): Array<{ fields: FieldKey[]; text: string }> {
  const reasons = new Map<string | null, FieldKey[]>();
  for (const field of ['server', 'tenant'] as const) {
    const reason = lockedBy[field] ?? (waiting ? null : undefined);
    if (reason !== undefined) reasons.set(reason, [...(reasons.get(reason) ?? []), field]);
  }
  return [...reasons].map(([reason, fields]) => {
    const names = `The ${fields.map((field) => FIELD_NAMES[field]).join(' and ')}`;
    const many = fields.length > 1;
    if (reason === null) return { fields, text: `${names} cannot be changed while you sign in; Cancel first to change ${many ? 'them' : 'it'}.` };
    // "Set by --server for this run" reads on from the field's name.
    const set = reason.charAt(0).toLowerCase() + reason.slice(1);
    return { fields, text: `${names} ${many ? 'are' : 'is'} ${set}, so ${many ? 'they' : 'it'} cannot be changed here.` };
  });
}

/** Server, tenant and "Sign in with browser": everything a new user needs to get their assignments. */
export function SignInCard() {
  const client = useClient();
  const signIn = useApp((state) => state.signIn);
  const sandbox = useApp((state) => state.info?.sandboxWorkspace);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [server, setServer] = useState('');
  const [tenant, setTenant] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.call('settings.get').then(
      (view) => {
        setSettings(view);
        setServer(view.values.server ?? '');
        setTenant(view.values.tenant ?? '');
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [client]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const values: { server?: string | null; tenant?: string | null } = {};
      if (!settings?.lockedBy.server && server.trim() !== (settings?.values.server ?? '')) values.server = server.trim() || null;
      if (!settings?.lockedBy.tenant && tenant.trim() !== (settings?.values.tenant ?? '')) values.tenant = tenant.trim() || null;
      if (Object.keys(values).length > 0) setSettings(await client.call('settings.update', { values }));
      useApp.setState({ signIn: await client.call('auth.signIn') });
    } catch (e) {
      setError(e instanceof ApiError && e.issues.length > 0 ? e.issues.map((issue) => issue.message).join(' ') : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => useApp.setState({ signIn: await client.call('auth.cancelSignIn') });
  const waiting = signIn.state === 'waiting';
  // Nothing is editable until the settings say what is set for this run (what is typed before would be overwritten by them).
  const fixed = settings ? whyFixed(settings.lockedBy, waiting) : [];
  const whyId = useId();
  const describedBy: Partial<Record<FieldKey, string>> = Object.fromEntries(fixed.flatMap((why, index) => why.fields.map((field) => [field, `${whyId}-${index}`])));

  return (
    <section className="card sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in to File 360</h2>
      <p className="muted">Your assignments come from File 360. Signing in happens in your browser; the app never sees your password.</p>
      {sandbox && (
        <p className="banner banner-info">
          This is a sandbox workspace: File 360 here is a stand-in on this computer with sample assignments. Sign in as ana with the password
          ana-password (an annotator), or sam with sam-password (a reviewer).
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} className="sign-in-form" noValidate>
        <label>
          Server address
          <input
            type="url"
            value={server}
            placeholder="https://file360.example.com"
            disabled={!settings || Boolean(describedBy.server)}
            aria-describedby={describedBy.server}
            onChange={(event) => setServer(event.target.value)}
            spellCheck={false}
          />
        </label>
        <label>
          Tenant
          <input type="text" value={tenant} disabled={!settings || Boolean(describedBy.tenant)} aria-describedby={describedBy.tenant} onChange={(event) => setTenant(event.target.value)} spellCheck={false} />
        </label>
        {!waiting && (
          <button type="submit" className="button primary" disabled={busy || !server || !tenant}>
            {busy ? 'Opening your browser…' : 'Sign in with browser'}
          </button>
        )}
        {fixed.length > 0 && (
          <div className="sign-in-why">
            {fixed.map((why, index) => (
              <p key={why.text} className="help" id={`${whyId}-${index}`}>
                {why.text}
              </p>
            ))}
          </div>
        )}
      </form>
      {waiting && (
        <div className="banner banner-info" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          <div>
            <strong>Finish signing in in your browser.</strong> This page continues on its own once you are done.{' '}
            {signIn.authorizeUrl && (
              <a href={signIn.authorizeUrl} target="_blank" rel="noopener noreferrer">
                Open the sign-in page again
              </a>
            )}
            {signIn.message && (
              <p className="sign-in-hint" data-testid="sign-in-hint">
                {signIn.message}
              </p>
            )}
          </div>
          <button type="button" className="button ghost" onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      )}
      {signIn.endSessionUrl && (
        <div className="banner banner-info" data-testid="end-session">
          <span>
            You are signed out of this app. Your browser may still be signed in to File 360:{' '}
            <a href={signIn.endSessionUrl} target="_blank" rel="noopener noreferrer">
              sign out of File 360 in the browser too
            </a>
            .
          </span>
        </div>
      )}
      {signIn.state === 'failed' && signIn.message && (
        <div className="banner banner-error" role="alert">
          {signIn.message}
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}
