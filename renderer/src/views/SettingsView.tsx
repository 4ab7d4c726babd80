import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SettingKey, Settings, SettingsView as View, TopicChoice } from '../../../shared/api/schemas/settings';
import type { Route } from '../../../shared/routes';
import type { UpdateStatus } from '../../../shared/api/schemas/updates';
import { PUSH_EVENT_LABELS, PUSH_EVENT_TYPES } from '../../../shared/push-events';
import { ApiError, errorMessage } from '../client';
import { Page } from '../components/Page';
import { useApp, useClient } from '../store';
import { CheckList } from './settings/CheckList';
import { ProdigyCard } from './settings/ProdigyCard';

/** Where the sidebar's keychain warning leads: the Credentials card, scrolled to and focused. */
export const CREDENTIALS_ROUTE: Route = { section: 'settings', id: 'credentials' };

type Draft = Record<SettingKey, string>;

const SOURCE_WORDS = { flag: 'command-line flag', env: 'environment variable', file: 'saved', default: 'default' } as const;

function toDraft(values: Settings): Draft {
  return {
    server: values.server ?? '',
    tenant: values.tenant ?? '',
    syncConcurrency: String(values.syncConcurrency),
    syncIntervalMinutes: String(values.syncIntervalMinutes),
    prodigyCommand: values.prodigyCommand,
    autoExport: String(values.autoExport),
    sendBeforeExpiryMinutes: String(values.sendBeforeExpiryMinutes),
    reviewedDataset: values.reviewedDataset,
    mutedNotificationTypes: values.mutedNotificationTypes.join(','),
    mutedTopics: values.mutedTopics.join(', '),
    quietHours: values.quietHours ?? '',
    reminderHours: values.reminderHours.join(', '),
    auditRetentionDays: String(values.auditRetentionDays),
    keepInTray: String(values.keepInTray),
    openAtLogin: String(values.openAtLogin),
    updateChannel: values.updateChannel,
  };
}

/** A comma-separated list as typed; empty entries are dropped, everything else is left for the app to check. */
const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function fromDraft(key: SettingKey, text: string): unknown {
  if (key === 'server' || key === 'tenant') return text.trim() === '' ? null : text.trim();
  if (key === 'prodigyCommand' || key === 'reviewedDataset' || key === 'updateChannel') return text.trim();
  if (key === 'autoExport' || key === 'keepInTray' || key === 'openAtLogin') return text === 'true';
  if (key === 'mutedNotificationTypes' || key === 'mutedTopics') return list(text);
  if (key === 'reminderHours') return list(text).map(Number);
  if (key === 'quietHours') return text.replace(/\s+/g, '').replace(/[–—]/g, '-') || null;
  return text.trim() === '' ? Number.NaN : Number(text);
}

function Field(props: {
  id: SettingKey;
  label: string;
  help: string;
  view: View;
  error?: string;
  children: (locked: boolean, describedBy: string) => ReactNode;
}) {
  const { id, label, help, view, error } = props;
  const locked = view.lockedBy[id];
  const describedBy = `${id}-help ${id}-source${error ? ` ${id}-error` : ''}`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      {/* The badge sits beside the label, not in it, so a control's name is its label alone; it is read as part of the description. */}
      <div className="field-head">
        <label htmlFor={id} id={`${id}-label`}>
          {label}
        </label>
        <span className="source-badge" id={`${id}-source`}>
          {locked ?? SOURCE_WORDS[view.sources[id]]}
        </span>
      </div>
      {props.children(Boolean(locked), describedBy)}
      <p className="help" id={`${id}-help`}>
        {help}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The user's assignments and review groups by name, then any topic muted
 * earlier that is neither now (an assignment no longer shared, a prefix such as
 * escalations.* set in the settings file), so it can still be unmuted.
 */
function topicCheckOptions(choices: readonly TopicChoice[], muted: readonly string[]) {
  const known = new Set(choices.map((choice) => choice.topic));
  return [
    ...choices.map((choice) => ({ value: choice.topic, label: choice.kind === 'assignment' ? choice.name : `Review requests for ${choice.name}`, title: choice.topic })),
    ...muted.filter((topic) => !known.has(topic)).map((topic) => ({ value: topic, label: topic, title: 'Muted earlier; not one of your assignments or review groups now.' })),
  ];
}

const UPDATE_WORDS: Record<UpdateStatus['state'], string> = {
  off: 'Off',
  idle: 'Up to date',
  checking: 'Checking…',
  downloading: 'Downloading',
  ready: 'Ready to install',
  failed: 'Not updated',
};

/** Where updates stand, and why they are off when they are. */
function UpdatesCard() {
  const client = useClient();
  const updates = useApp((state) => state.updates);
  const toast = useApp((state) => state.toast);
  if (!updates) return null;
  const check = () => client.call('updates.check').then((next) => useApp.setState({ updates: next }), (e: unknown) => toast('error', errorMessage(e)));
  return (
    <section className="card" aria-labelledby="updates-heading" data-testid="updates-card">
      <h2 id="updates-heading">Updates</h2>
      <dl className="facts">
        <dt>This version</dt>
        <dd>{updates.currentVersion}</dd>
        <dt>State</dt>
        <dd>
          {UPDATE_WORDS[updates.state]}
          {updates.version && updates.state !== 'idle' ? ` (version ${updates.version}${updates.progress ? `, ${updates.progress.percent} %` : ''})` : ''}
        </dd>
        {updates.offReason && (
          <>
            <dt>Why</dt>
            <dd>{updates.offReason}</dd>
          </>
        )}
        {updates.message && (
          <>
            <dt>Last attempt</dt>
            <dd className={updates.state === 'failed' ? 'warn-text' : undefined}>{updates.message}</dd>
          </>
        )}
        {updates.state === 'ready' && !updates.canRestart && (
          <>
            <dt>Waiting for</dt>
            <dd>{updates.waitingFor.join(', ')}: the restart is offered once they are done.</dd>
          </>
        )}
        {updates.lastCheckedAt && (
          <>
            <dt>Last checked</dt>
            <dd>{new Date(updates.lastCheckedAt).toLocaleString()}</dd>
          </>
        )}
      </dl>
      {updates.state !== 'off' && (
        <div className="form-actions">
          <button type="button" className="button" disabled={updates.state === 'checking' || updates.state === 'downloading'} onClick={() => void check()}>
            Check now
          </button>
        </div>
      )}
    </section>
  );
}

export function SettingsView() {
  const client = useClient();
  const info = useApp((state) => state.info);
  const status = useApp((state) => state.status);
  const toast = useApp((state) => state.toast);
  const [view, setView] = useState<View | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<SettingKey, string>>>({});
  const [saving, setSaving] = useState(false);
  // The command that starts Prodigy is a program the app runs: typed twice to change it, and never from a browser tab.
  const [confirmCommand, setConfirmCommand] = useState('');
  const commandFromBrowser = info?.shell === 'browser';
  const route = useApp((state) => state.route);
  const credentials = useRef<HTMLHeadingElement>(null);
  const loaded = view !== null;

  useEffect(() => {
    client.call('settings.get').then(
      (loaded) => {
        setView(loaded);
        setDraft(toDraft(loaded.values));
      },
      (error: unknown) => toast('error', errorMessage(error)),
    );
  }, [client, toast]);

  // After Page has focused its heading: a link to Credentials (the sidebar's keychain warning) lands there instead.
  useEffect(() => {
    if (!loaded || route.id !== CREDENTIALS_ROUTE.id) return;
    credentials.current?.scrollIntoView({ block: 'start' });
    credentials.current?.focus({ preventScroll: true });
  }, [loaded, route]);

  if (!view || !draft) return <Page title="Settings">{null}</Page>;

  const saved = toDraft(view.values);
  const changedKeys = (Object.keys(draft) as SettingKey[]).filter((key) => draft[key] !== saved[key]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    try {
      const values = Object.fromEntries(changedKeys.map((key) => [key, fromDraft(key, draft[key])]));
      const confirm = changedKeys.includes('prodigyCommand') ? { prodigyCommand: confirmCommand.trim() } : undefined;
      const next = await client.call('settings.update', { values: values as Partial<Settings>, ...(confirm ? { confirm } : {}) });
      setView(next);
      setDraft(toDraft(next.values));
      setConfirmCommand('');
      toast('success', 'Settings saved.');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_INPUT' && error.issues.length > 0) {
        const byField: Partial<Record<SettingKey, string>> = {};
        for (const issue of error.issues) {
          const key = issue.path.split('.')[1] as SettingKey | undefined;
          if (key) byField[key] = issue.message.replace(/^Invalid input: /, '');
        }
        setErrors(byField);
      } else if (error instanceof ApiError && error.code === 'CONFIRMATION_REQUIRED') {
        setErrors({ prodigyCommand: error.message });
      } else {
        toast('error', errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  const text = (key: SettingKey, type: 'url' | 'text' | 'number', extra: Record<string, string | number> = {}) =>
    (locked: boolean, describedBy: string) => (
      <input
        id={key}
        type={type}
        value={draft[key]}
        disabled={locked || saving}
        aria-describedby={describedBy}
        aria-invalid={Boolean(errors[key])}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
        {...extra}
      />
    );

  const desktopOnly = info?.shell !== 'electron';
  const topicOptions = topicCheckOptions(view.topicChoices, list(saved.mutedTopics));
  const checkbox = (key: SettingKey, unavailable = false) => (locked: boolean, describedBy: string) => (
    <input
      id={key}
      type="checkbox"
      checked={draft[key] === 'true'}
      disabled={locked || saving || unavailable}
      aria-describedby={describedBy}
      onChange={(event) => setDraft({ ...draft, [key]: String(event.target.checked) })}
    />
  );

  return (
    <Page title="Settings" subtitle="Where your work comes from, how it syncs, and how this computer keeps it.">
      {view.fileProblem && (
        <div className="banner banner-warn" role="alert">
          {view.fileProblem}
        </div>
      )}
      <form className="settings-form" onSubmit={(event) => void save(event)} noValidate>
        <fieldset>
          <legend>File 360</legend>
          <Field id="server" label="Server address" help="For example https://file360.example.com. Ask your File 360 administrator." view={view} error={errors.server}>
            {text('server', 'url', { placeholder: 'https://', autoComplete: 'url', spellCheck: 'false' })}
          </Field>
          <Field id="tenant" label="Tenant" help="Your organisation's tenant id in File 360." view={view} error={errors.tenant}>
            {text('tenant', 'text', { autoComplete: 'off', spellCheck: 'false' })}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Sync</legend>
          <Field id="syncConcurrency" label="Files downloaded at once" help="1 to 32. Lower it on a slow or shared connection." view={view} error={errors.syncConcurrency}>
            {text('syncConcurrency', 'number', { min: 1, max: 32, step: 1 })}
          </Field>
          <Field id="syncIntervalMinutes" label="Minutes between automatic syncs" help="0 syncs only when you ask." view={view} error={errors.syncIntervalMinutes}>
            {text('syncIntervalMinutes', 'number', { min: 0, max: 1440, step: 1 })}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Prodigy</legend>
          <Field
            id="prodigyCommand"
            label="Command that starts Prodigy"
            help={
              commandFromBrowser
                ? `It runs a program on this computer, so it is not changed from a browser tab: start the app with --prodigy-command "…", or set "prodigyCommand" in ${view.file} and restart.`
                : "As you would type it in a terminal, for example python3 -m prodigy, or the full path of a virtual environment's python."
            }
            view={view}
            error={errors.prodigyCommand}
          >
            {(locked, describedBy) => text('prodigyCommand', 'text', { autoComplete: 'off', spellCheck: 'false' })(locked || commandFromBrowser, describedBy)}
          </Field>
          {!commandFromBrowser && changedKeys.includes('prodigyCommand') && (
            <div className="field">
              <label htmlFor="prodigyCommandConfirm">Type the new command again</label>
              <input
                id="prodigyCommandConfirm"
                type="text"
                value={confirmCommand}
                disabled={saving}
                autoComplete="off"
                spellCheck={false}
                aria-describedby="prodigyCommandConfirm-help"
                onChange={(event) => setConfirmCommand(event.target.value)}
              />
              <p className="help" id="prodigyCommandConfirm-help">
                The app runs this program to start Prodigy, so a change is only saved when both are the same.
              </p>
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>Exports and reviews</legend>
          <Field
            id="autoExport"
            label="Export when a session stops"
            help="When a Prodigy session stops with new answers, package them for upload and send disputed items for review."
            view={view}
            error={errors.autoExport}
          >
            {checkbox('autoExport')}
          </Field>
          <Field
            id="sendBeforeExpiryMinutes"
            label="Send my work this many minutes before access ends"
            help="File 360 takes no work once an assignment expires, and its files are then deleted here. This long before, unsent answers are exported and sent; in the last day every session stop sends too."
            view={view}
            error={errors.sendBeforeExpiryMinutes}
          >
            {text('sendBeforeExpiryMinutes', 'number', { min: 1, max: 1440, step: 1 })}
          </Field>
          <Field
            id="reviewedDataset"
            label="Dataset for reviewers’ decisions"
            help="Decisions on your escalated items go into this Prodigy dataset. {dataset} stands for the assignment’s dataset."
            view={view}
            error={errors.reviewedDataset}
          >
            {text('reviewedDataset', 'text', { autoComplete: 'off', spellCheck: 'false' })}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Notifications and reminders</legend>
          <Field
            id="mutedNotificationTypes"
            label="Pop up for"
            help="Unticked kinds are still kept in Notifications; they just do not interrupt you."
            view={view}
            error={errors.mutedNotificationTypes}
          >
            {(locked, describedBy) => {
              const muted = new Set(list(draft.mutedNotificationTypes));
              return (
                <CheckList
                  id="mutedNotificationTypes"
                  describedBy={describedBy}
                  disabled={locked || saving}
                  options={PUSH_EVENT_TYPES.map((type) => ({ value: type, label: PUSH_EVENT_LABELS[type] }))}
                  checked={(type) => !muted.has(type)}
                  onChange={(type, popsUp) => {
                    const next = new Set(muted);
                    if (popsUp) next.delete(type);
                    else next.add(type);
                    setDraft({ ...draft, mutedNotificationTypes: PUSH_EVENT_TYPES.filter((t) => next.has(t)).join(',') });
                  }}
                />
              );
            }}
          </Field>
          <Field
            id="mutedTopics"
            label="Do not pop up for"
            help={
              topicOptions.length > 0
                ? 'Ticked assignments and review groups are still kept in Notifications; they just do not interrupt you.'
                : 'Once you are signed in, your assignments and review groups are listed here to mute.'
            }
            view={view}
            error={errors.mutedTopics}
          >
            {(locked, describedBy) => {
              const muted = list(draft.mutedTopics);
              return (
                <CheckList
                  id="mutedTopics"
                  describedBy={describedBy}
                  disabled={locked || saving}
                  options={topicOptions}
                  checked={(topic) => muted.includes(topic)}
                  onChange={(topic, mute) => setDraft({ ...draft, mutedTopics: (mute ? [...muted, topic] : muted.filter((t) => t !== topic)).join(', ') })}
                />
              );
            }}
          </Field>
          <Field
            id="quietHours"
            label="Quiet hours"
            help="HH:MM-HH:MM in your local time, for example 22:00-07:00. Notifications that arrive then pop up once when they end. Empty: off."
            view={view}
            error={errors.quietHours}
          >
            {text('quietHours', 'text', { autoComplete: 'off', spellCheck: 'false', placeholder: '22:00-07:00' })}
          </Field>
          <Field
            id="reminderHours"
            label="Remind me this many hours before a deadline"
            help="Due dates, expiry of your files and reviews waiting for you. Comma-separated, up to five, for example 24, 1. Reminders work offline too."
            view={view}
            error={errors.reminderHours}
          >
            {text('reminderHours', 'text', { autoComplete: 'off', spellCheck: 'false' })}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Desktop</legend>
          <Field
            id="keepInTray"
            label="Keep running in the tray when the window is closed"
            help={
              desktopOnly
                ? 'Only in the desktop app: the browser shell runs as long as its terminal does.'
                : 'Notifications, reminders, sync and uploads go on with the window closed. Quit from the tray menu or File → Quit.'
            }
            view={view}
            error={errors.keepInTray}
          >
            {checkbox('keepInTray', desktopOnly)}
          </Field>
          <Field
            id="openAtLogin"
            label="Open at login"
            help={desktopOnly ? 'Only in the desktop app.' : 'Starts in the tray when you log in to this computer, so reminders and notifications reach you.'}
            view={view}
            error={errors.openAtLogin}
          >
            {checkbox('openAtLogin', desktopOnly)}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Updates</legend>
          <Field
            id="updateChannel"
            label="Update channel"
            help="Stable gets tested releases. Beta also gets previews of the next release, a few weeks early."
            view={view}
            error={errors.updateChannel}
          >
            {(locked, describedBy) => (
              <select
                id="updateChannel"
                value={draft.updateChannel}
                disabled={locked || saving}
                aria-describedby={describedBy}
                onChange={(event) => setDraft({ ...draft, updateChannel: event.target.value })}
              >
                <option value="stable">Stable</option>
                <option value="beta">Beta</option>
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Records</legend>
          <Field
            id="auditRetentionDays"
            label="Keep audit entries and notifications for (days)"
            help="Older audit entries are removed only once File 360 has confirmed it holds them; the log stays verifiable. 0 keeps everything."
            view={view}
            error={errors.auditRetentionDays}
          >
            {text('auditRetentionDays', 'number', { min: 0, max: 3650, step: 1 })}
          </Field>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={changedKeys.length === 0 || saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          <button type="button" className="button ghost" disabled={changedKeys.length === 0 || saving} onClick={() => (setDraft(saved), setErrors({}))}>
            Undo changes
          </button>
        </div>
      </form>

      <ProdigyCard command={view.values.prodigyCommand} />
      <UpdatesCard />

      <section className="card" aria-labelledby="credentials-heading" data-testid="credentials-card">
        <h2 id="credentials-heading" tabIndex={-1} ref={credentials}>
          Credentials
        </h2>
        <p className={status?.keychain.kind === 'memory' ? 'warn-text' : undefined} data-testid="keychain-detail">
          {status?.keychain.detail}
        </p>
        {status?.keychain.reason && (
          <details className="raw-detail">
            <summary>Details</summary>
            <code>{status.keychain.reason}</code>
          </details>
        )}
      </section>

      <section className="card" aria-labelledby="storage-heading">
        <h2 id="storage-heading">Storage and security</h2>
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>
            <code>{info?.dataDir}</code>
          </dd>
          <dt>Database</dt>
          <dd>
            <code>{info?.databaseFile}</code>
          </dd>
          <dt>Settings file</dt>
          <dd>
            <code>{view.file}</code>
          </dd>
          <dt>Appearance</dt>
          <dd>Light or dark, following your system setting.</dd>
          <dt>Version</dt>
          <dd>
            {info?.version} ({info?.shell === 'electron' ? 'desktop app' : 'browser shell'})
          </dd>
        </dl>
      </section>
    </Page>
  );
}
