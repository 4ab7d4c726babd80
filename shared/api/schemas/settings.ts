import { z } from 'zod';
import { PUSH_EVENT_TYPES } from '../../push-events';
import { PushEventType } from './notifications';
import { UpdateChannel } from './updates';
import { SERVER_ADDRESS_HINT, parseUrl } from '../../url';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** File 360 must be reached over TLS; plain http is only accepted for a server on this machine (the sandbox). */
export const ServerUrl = z
  .url({ protocol: /^https?$/, error: SERVER_ADDRESS_HINT })
  .max(2048)
  .refine((value) => {
    // zod keeps checking after the URL format fails, so a refinement must cope with a non-URL.
    const url = parseUrl(value);
    // Another scheme is the format check's to refuse, in its own words.
    return !url || url.protocol !== 'http:' || LOOPBACK_HOSTS.has(url.hostname);
  }, 'Use an https:// address (plain http is only allowed for a server on this computer)')
  .refine((value) => {
    const url = parseUrl(value);
    return !url || (!url.username && !url.password && !url.search && !url.hash);
  }, 'Give only the server address, without a user name, password, query or #fragment');

export const Tenant = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dots, dashes and underscores only');

export const SettingsSchema = z.strictObject({
  server: ServerUrl.nullable(),
  tenant: Tenant.nullable(),
  /** How many files download at once. */
  syncConcurrency: z.int().min(1).max(32),
  /** Minutes between automatic syncs; 0 means only when asked. */
  syncIntervalMinutes: z.int().min(0).max(24 * 60),
  /** How Prodigy is started: a program and its arguments, as typed in a terminal. */
  prodigyCommand: z.string().trim().min(1).max(500),
  /** Export a session's answers when it stops with new ones. */
  autoExport: z.boolean(),
  /**
   * Minutes before an assignment's access ends at which its unsent answers are
   * exported and sent, while File 360 still takes them (an upload to an expired
   * assignment is refused, CONTRACTS §A.5). In its last day every session stop
   * exports too, whatever autoExport says.
   */
  sendBeforeExpiryMinutes: z.int().min(1).max(24 * 60),
  /** Where reviewers' decisions go in Prodigy; `{dataset}` is the assignment's dataset. */
  reviewedDataset: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .regex(/^[A-Za-z0-9_{}.-]+$/, 'Use letters, digits, dots, dashes, underscores and {dataset}')
    .refine((value) => !/[{}]/.test(value.replaceAll('{dataset}', '')), 'Only {dataset} may appear in braces'),
  /** Kinds of notification kept in the notification center but never popped up. */
  mutedNotificationTypes: z.array(PushEventType).max(PUSH_EVENT_TYPES.length),
  /** Push topics muted the same way: `assignment.asg-1`, or a prefix ending in `*` (`escalations.*`). */
  mutedTopics: z.array(z.string().trim().regex(/^[A-Za-z0-9_.:-]+\*?$/, 'A topic such as assignment.asg-1, or a prefix ending in *')).max(100),
  /** `HH:MM-HH:MM`, local time, may span midnight: notifications wait until it ends. Null: off. */
  quietHours: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM-HH:MM, for example 22:00-07:00')
    .refine((value) => value.slice(0, 5) !== value.slice(6), 'Quiet hours need a start and an end that differ')
    .nullable(),
  /** Hours before a due date, an expiry or a review's due time at which a reminder pops up. */
  reminderHours: z.array(z.int().min(1).max(720)).max(5),
  /** Days audit entries File 360 has acknowledged, and notifications, are kept on this computer; 0 keeps them for good. */
  auditRetentionDays: z.int().min(0).max(3650),
  /** Desktop app: closing the window leaves the app in the tray, so notifications, reminders, sync and uploads go on. */
  keepInTray: z.boolean(),
  /** Desktop app: start when the user logs in to the computer (in the tray, without a window). */
  openAtLogin: z.boolean(),
  /** Which releases the desktop app updates to. */
  updateChannel: UpdateChannel,
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

export const DEFAULT_SETTINGS: Settings = {
  server: null,
  tenant: null,
  syncConcurrency: 8,
  syncIntervalMinutes: 30,
  prodigyCommand: 'python3 -m prodigy',
  autoExport: true,
  sendBeforeExpiryMinutes: 15,
  reviewedDataset: '{dataset}_reviewed',
  // Uploads are progress ticks, not something to interrupt for; one tick box brings them back.
  mutedNotificationTypes: ['annotation.completed'],
  mutedTopics: [],
  quietHours: null,
  reminderHours: [24, 1],
  auditRetentionDays: 365,
  keepInTray: true,
  openAtLogin: false,
  updateChannel: 'stable',
};

/** Where the value in force came from, strongest first. */
export const SettingSource = z.enum(['flag', 'env', 'file', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

/** A Push topic the user can mute, by what it is about: one of their assignments, or the review requests of a group they review for. */
export const TopicChoice = z.strictObject({ topic: z.string(), kind: z.enum(['assignment', 'reviews']), name: z.string() });
export type TopicChoice = z.infer<typeof TopicChoice>;

export const SettingsView = z.strictObject({
  values: SettingsSchema,
  sources: z.record(z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]), SettingSource),
  /** Human words for a locked setting, e.g. "set by COMPANION_SERVER". */
  lockedBy: z.record(z.string(), z.string()),
  file: z.string(),
  /** Why the settings file could not be used, when it could not. */
  fileProblem: z.string().nullable(),
  /** What `mutedTopics` can name, for a picker; empty when signed out. */
  topicChoices: z.array(TopicChoice),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** Settings that make the app run a program: a change needs the new value typed twice (`confirm`). */
export const CONFIRMED_SETTINGS = ['prodigyCommand'] as const satisfies readonly SettingKey[];

export const SettingsUpdate = z.strictObject({
  values: SettingsSchema.partial(),
  /** The new value of each setting in CONFIRMED_SETTINGS being changed, typed again. */
  confirm: z.strictObject({ prodigyCommand: z.string().trim().max(500).optional() }).optional(),
});
