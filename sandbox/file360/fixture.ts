import { z } from 'zod';
import { prng } from './prng';

/**
 * What a sandbox starts with: a tenant, its people, and the assignments shared
 * with them. Files are either literal text or `size` bytes generated from the
 * seed (see content.ts), so large workspaces cost nothing to describe.
 */
const Id = z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'ids are 1-128 URL-safe characters');
const Iso = z.iso.datetime({ offset: true });
/** Deliberately loose: a real server may send any path, and the app's tests need hostile ones (NUL, 4 KB names). */
const FilePath = z.string().min(1).max(16 * 1024);

export const FixtureFileSchema = z.union([
  z.strictObject({ id: Id.optional(), path: FilePath, text: z.string(), mime_type: z.string().optional() }),
  z.strictObject({ id: Id.optional(), path: FilePath, size: z.int().min(0), mime_type: z.string().optional() }),
]);
export type FixtureFile = z.infer<typeof FixtureFileSchema>;

const FixtureUserSchema = z.strictObject({
  id: Id,
  username: z.string().min(1),
  password: z.string().min(1),
  display_name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(['annotator', 'reviewer', 'manager'])),
  groups: z.array(z.string()),
});
export type FixtureUser = z.infer<typeof FixtureUserSchema>;

const PERMISSIONS = ['view', 'download', 'upload', 'escalate', 'decide'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const FixtureAssignmentSchema = z.strictObject({
  id: Id,
  name: z.string().min(1),
  role: z.enum(['annotator', 'reviewer']),
  permissions: z.array(z.enum(PERMISSIONS)),
  sharer: z.strictObject({ id: z.string(), display_name: z.string() }),
  sharing_date: Iso,
  due_date: Iso.nullable(),
  expiration: Iso.nullable(),
  project: z.looseObject({
    recipe: z.string(),
    dataset: z.string(),
    labels: z.array(z.string()),
    view_id: z.string().optional(),
    instructions_file_id: z.string().optional(),
    low_confidence_threshold: z.number().optional(),
    annotations_per_task: z.int().optional(),
  }),
  reviewer_groups: z.array(z.string()),
  /** The users this assignment is shared with. */
  user_ids: z.array(Id),
  files: z.array(FixtureFileSchema),
});
export type FixtureAssignment = z.infer<typeof FixtureAssignmentSchema>;

export const FixtureSchema = z.strictObject({
  tenant: Id,
  /** Seeds generated file content: same seed, same bytes. */
  seed: z.int(),
  users: z.array(FixtureUserSchema),
  assignments: z.array(FixtureAssignmentSchema),
});
export type Fixture = z.infer<typeof FixtureSchema>;

const DAY = 24 * 60 * 60 * 1000;
const at = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();

const USERS: FixtureUser[] = [
  { id: 'u-ana', username: 'ana', password: 'ana-password', display_name: 'Ana Ruiz', email: 'ana.ruiz@vendor.example', roles: ['annotator'], groups: ['vendor-annotators'] },
  { id: 'u-sam', username: 'sam', password: 'sam-password', display_name: 'Sam Okafor', email: 'sam.okafor@acme.example', roles: ['reviewer'], groups: ['support-sme'] },
  // The project manager who shares the assignments: the app tells her when work arrives or fails.
  { id: 'u-maria', username: 'maria', password: 'maria-password', display_name: 'Maria Chen', email: 'maria.chen@acme.example', roles: ['manager'], groups: ['project-managers'] },
];
const SHARER = { id: 'u-maria', display_name: 'Maria Chen' };
const SUPPORT_LABELS = ['billing', 'bug_report', 'feature_request', 'account_access', 'other'];

const TICKETS = [
  'I was charged twice for my March subscription. Can you refund the duplicate payment?',
  'The export button does nothing when I click it in Firefox. No error, no download.',
  'Please add a dark mode to the dashboard, my eyes hurt during night shifts.',
  "I can't log in since I changed my phone; the two-factor code never arrives.",
  'Where can I download last year\'s invoices for our accountant?',
  'The app crashes on startup after the latest update (version 4.2.1, Windows 11).',
  'Would it be possible to schedule reports to arrive by email every Monday?',
  'My account was locked after three wrong passwords. How do I unlock it?',
  'Your pricing page says 20 seats but our plan only lets us invite 15 people.',
  'Search results are empty for any term with an apostrophe, like "O\'Brien".',
  'Just wanted to say the new onboarding guide is great, thanks!',
  'Can we pay by bank transfer instead of credit card for the annual plan?',
];

const GUIDELINES = `# Support ticket triage: annotation guidelines

Pick the one label that best describes what the customer needs.

- **billing**: charges, refunds, invoices, payment methods, plan limits.
- **bug_report**: something that should work does not.
- **feature_request**: asks for something the product does not do yet.
- **account_access**: sign-in, two-factor, locked or recovered accounts.
- **other**: praise, questions that fit nowhere else.

When two labels fit, prefer the one the customer needs acted on first. Flag the ticket if you are unsure.
`;

const TASKS = [
  { text: 'Refund request: the annual plan renewed although I cancelled in January.', meta: { source: 'email' } },
  { text: 'The mobile app shows a blank screen after I upload a photo.', meta: { source: 'chat' } },
  { text: 'Reset my password link expired before I could use it.', meta: { source: 'email' } },
  { text: 'Integrate with our SSO provider, please, we use Okta.', meta: { source: 'form' } },
];

/** A small, realistic workspace: Ana annotates two assignments, Sam reviews her escalations. */
export function sampleFixture(now: Date = new Date()): Fixture {
  return {
    tenant: 'acme',
    seed: 42,
    users: USERS,
    assignments: [
      {
        id: 'asg-support-triage',
        name: 'Support tickets: intent triage (batch 7)',
        role: 'annotator',
        permissions: ['view', 'download', 'upload', 'escalate'],
        sharer: SHARER,
        sharing_date: at(now, -2),
        due_date: at(now, 7),
        expiration: at(now, 14),
        project: {
          recipe: 'textcat.manual',
          dataset: 'support_intents_batch7',
          labels: SUPPORT_LABELS,
          view_id: 'choice',
          instructions_file_id: 'fil-triage-guidelines',
          low_confidence_threshold: 0.6,
          annotations_per_task: 2,
        },
        reviewer_groups: ['support-sme'],
        user_ids: ['u-ana'],
        files: [
          { id: 'fil-triage-guidelines', path: 'guidelines.md', text: GUIDELINES },
          { id: 'fil-triage-tasks', path: 'tasks/extra.jsonl', text: TASKS.map((task) => JSON.stringify(task)).join('\n') + '\n' },
          ...TICKETS.map((text, index) => ({ id: `fil-ticket-${index + 1}`, path: `tickets/ticket-${String(index + 1).padStart(3, '0')}.txt`, text: `${text}\n` })),
        ],
      },
      {
        id: 'asg-release-notes',
        name: 'Release notes: sentiment spot check',
        role: 'annotator',
        permissions: ['view', 'download', 'upload', 'escalate'],
        sharer: SHARER,
        sharing_date: at(now, -5),
        due_date: at(now, 1),
        expiration: at(now, 3),
        project: { recipe: 'textcat.manual', dataset: 'release_notes_sentiment', labels: ['positive', 'neutral', 'negative'], view_id: 'choice' },
        reviewer_groups: ['support-sme'],
        user_ids: ['u-ana'],
        files: [
          { id: 'fil-notes-1', path: 'notes/4.2.0.txt', text: 'Faster sync, and the export dialog finally remembers your folder.\n' },
          { id: 'fil-notes-2', path: 'notes/4.2.1.txt', text: 'Fixes a crash on startup introduced in 4.2.0. Sorry about that.\n' },
          { id: 'fil-notes-3', path: 'notes/4.3.0.txt', text: 'Legacy reports are removed. Use the new report builder instead.\n' },
        ],
      },
      {
        id: 'asg-triage-review',
        name: 'Support triage: expert review',
        role: 'reviewer',
        permissions: ['view', 'download', 'decide'],
        sharer: SHARER,
        sharing_date: at(now, -2),
        due_date: at(now, 10),
        expiration: at(now, 30),
        project: { recipe: 'review', dataset: 'support_intents_batch7', labels: SUPPORT_LABELS, view_id: 'choice', instructions_file_id: 'fil-review-guidelines' },
        reviewer_groups: [],
        user_ids: ['u-sam'],
        files: [{ id: 'fil-review-guidelines', path: 'guidelines.md', text: GUIDELINES }],
      },
    ],
  };
}

export interface GeneratedFixtureOptions {
  fileCount: number;
  totalBytes: number;
  seed?: number;
  now?: Date;
}

/**
 * One assignment for Ana with `fileCount` generated files adding up to exactly
 * `totalBytes`: sizes are log-uniform over three orders of magnitude (many
 * small files, a few large ones), spread over folders of 100.
 */
export function generatedFixture({ fileCount, totalBytes, seed = 1, now = new Date() }: GeneratedFixtureOptions): Fixture {
  if (!Number.isInteger(fileCount) || fileCount < 1) throw new Error(`fileCount must be a positive integer, not ${fileCount}.`);
  if (!Number.isInteger(totalBytes) || totalBytes < 0) throw new Error(`totalBytes must be a whole number of bytes, not ${totalBytes}.`);
  const random = prng(seed);
  const weights = Array.from({ length: fileCount }, () => Math.exp(random() * Math.log(1000)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((weight) => Math.floor((weight / sum) * totalBytes));
  let rest = totalBytes - sizes.reduce((a, b) => a + b, 0);
  for (let index = 0; rest > 0; index = (index + 1) % fileCount, rest -= 1) sizes[index] = (sizes[index] ?? 0) + 1;
  const sample = sampleFixture(now);
  const [template] = sample.assignments;
  if (!template) throw new Error('The sample fixture has no assignment.');
  return {
    ...sample,
    seed,
    assignments: [
      {
        ...template,
        id: 'asg-bulk',
        name: `Bulk corpus: ${fileCount} generated files`,
        project: { recipe: 'textcat.manual', dataset: 'bulk_corpus', labels: SUPPORT_LABELS },
        files: sizes.map((size, index) => {
          const number = String(index + 1).padStart(6, '0');
          return { id: `fil-bulk-${number}`, path: `part-${String(Math.floor(index / 100)).padStart(4, '0')}/doc-${number}.bin`, size };
        }),
      },
    ],
  };
}
