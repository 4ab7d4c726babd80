/**
 * A year of work on one laptop, as a data folder (issue 17): 50 assignments
 * with 200 000 synced files on disk, 1 000 000 hash-chained audit entries
 * (all but the last day's uploaded and acknowledged), 200 000 entries of File
 * 360's own history, 500 000 Prodigy answers in 50 Prodigy databases across
 * about a thousand sessions, 100 000 notifications and 20 000 outbox rows sent,
 * with the File 360 sandbox that serves the same assignments and files.
 *
 * The same seed gives the same folder. It is written once and kept under the
 * OS temp folder, keyed by seed, schema version and generator version (and
 * redone when two weeks old, so the year's oldest entries never fall under
 * the one-year retention); each bench run works on a copy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { rowHash } from '../../electron/core/kernel/audit/chain';
import { writeCheckpoint } from '../../electron/core/kernel/audit/verify';
import { latestVersion } from '../../electron/core/kernel/db/migrate';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { assignmentFolder, assignmentLayout } from '../../electron/core/services/assignments/layout';
import { AllAnswersCache } from '../../electron/core/services/prodigy/answers';
import { rememberedAnswerCounts } from '../../electron/core/services/prodigy/progress';
import { startFile360Sandbox, type FileItem, type Fixture, type FixtureAssignment } from '../../sandbox/file360';
import { prng } from '../../sandbox/file360/prng';

export const YEAR = {
  assignments: 50,
  files: 200_000,
  largestFiles: 10_000,
  audit: 1_000_000,
  /** Entries written since the last check at start and not yet uploaded: about a day's work. */
  auditSinceLastStart: 2_000,
  remoteHistory: 200_000,
  answers: 500_000,
  largestAnswers: 100_000,
  notifications: 100_000,
  outboxSent: 20_000,
};

/** Bumped whenever what the generator writes changes. */
const GENERATOR_VERSION = 6;
const MAX_AGE_MS = 14 * 86_400_000;
const DAY = 86_400_000;
const USER = { id: 'u-ana', display_name: 'Ana Ruiz', email: 'ana.ruiz@vendor.example', roles: ['annotator' as const], groups: ['vendor-annotators'] };
const LABELS = ['billing', 'bug_report', 'feature_request', 'account_access', 'other'];
const WORDS = (
  'invoice refund charged twice export button crash login password locked account two-factor dashboard report schedule ' +
  'email monday seats plan upgrade search apostrophe results empty onboarding guide thanks bank transfer annual browser ' +
  'firefox windows update version mobile photo upload blank screen single sign-on okta permissions team admin billing'
).split(' ');

export interface YearFixture {
  /** The cached folder: `app/` is the data folder, `sandbox/` the File 360 sandbox's state. Never written by a bench. */
  root: string;
  app: string;
  sandbox: string;
  port: number;
  tenant: string;
  server: string;
  generatedAt: string;
  largest: { id: string; dataset: string; files: number; answers: number };
  counts: Record<string, number>;
  /** How long generating it took, when it was made in this run. */
  generatedMs: number | null;
}

function cacheRoot(seed: number, port: number): string {
  return path.join(os.tmpdir(), 'annotator-companion-year', `seed-${seed}-schema-${latestVersion(MIGRATIONS)}-gen-${GENERATOR_VERSION}-port-${port}`);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** How the 200 000 files are shared out: the largest assignment has 10 000, the others the rest evenly. */
function fileCounts(): number[] {
  const rest = YEAR.files - YEAR.largestFiles;
  const others = YEAR.assignments - 1;
  return [YEAR.largestFiles, ...Array.from({ length: others }, (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0))];
}

function answerCounts(): number[] {
  const rest = YEAR.answers - YEAR.largestAnswers;
  const others = YEAR.assignments - 1;
  return [YEAR.largestAnswers, ...Array.from({ length: others }, (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0))];
}

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

function sandboxFixture(seed: number, now: number): Fixture {
  const random = prng(seed);
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  const assignments: FixtureAssignment[] = fileCounts().map((count, index) => {
    const n = pad(index + 1, 2);
    return {
      id: `asg-y${n}`,
      name: index === 0 ? 'Support tickets 2026: intent triage (all batches)' : `Support tickets 2026: batch ${n}`,
      role: 'annotator',
      permissions: ['view', 'download', 'upload', 'escalate'],
      sharer: { id: 'u-maria', display_name: 'Maria Chen' },
      sharing_date: at(-350 + index * 6),
      // Far ahead: a cached year must never expire, or the app would wipe it.
      due_date: at(30 + index * 7),
      expiration: at(400 + index),
      project: { recipe: 'textcat.manual', dataset: `year_batch_${n}`, labels: LABELS, view_id: 'choice', low_confidence_threshold: 0.6 },
      reviewer_groups: ['support-sme'],
      user_ids: ['u-ana'],
      files: Array.from({ length: count }, (_, f) => ({
        id: `fil-y${n}-${pad(f + 1, 6)}`,
        path: `batch-${pad(Math.floor(f / 500), 3)}/ticket-${pad(f + 1, 6)}.txt`,
        text: `${sentence(random, 12 + Math.floor(random() * 30))}\n`,
      })),
    };
  });
  return {
    tenant: 'acme',
    seed,
    users: [
      { ...USER, username: 'ana', password: 'ana-password' },
      { id: 'u-sam', username: 'sam', password: 'sam-password', display_name: 'Sam Okafor', email: 'sam.okafor@acme.example', roles: ['reviewer'], groups: ['support-sme'] },
      { id: 'u-maria', username: 'maria', password: 'maria-password', display_name: 'Maria Chen', email: 'maria.chen@acme.example', roles: ['manager'], groups: ['project-managers'] },
    ],
    assignments,
  };
}

/** A manifest entry as the sandbox lists it. */
type FileEntry = FileItem;

interface AssignmentEntry {
  id: string;
  name: string;
  dataset: string;
  manifest_version: number;
  files: FileEntry[];
  record: FixtureAssignment;
}

/** The synced files, written where the app keeps them, with the size and mtime the app records. */
function writeFiles(app: string, assignment: AssignmentEntry, texts: Map<string, string>): Array<{ size: number; mtimeMs: number }> {
  const root = assignmentLayout(app, assignment.id).files;
  const made = new Set<string>();
  return assignment.files.map((file) => {
    const target = path.join(root, ...file.path.split('/'));
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      made.add(dir);
    }
    fs.writeFileSync(target, texts.get(file.id) ?? '', { mode: 0o600 });
    const stat = fs.statSync(target);
    return { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
  });
}

/** Audit entry types over a year, by weight, and the details each carries. */
function auditPlan(assignments: AssignmentEntry[], random: () => number) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  return (i: number): { type: string; assignment: string | null; file: string | null; details: Record<string, unknown> } => {
    const assignment = pick(assignments);
    const file = pick(assignment.files);
    const roll = random();
    if (roll < 0.22) return { type: 'file.downloaded', assignment: assignment.id, file: file.id, details: { path: file.path, version: file.version_number, sha256: file.sha256, size: file.size } };
    if (roll < 0.9) return { type: 'file.opened', assignment: assignment.id, file: file.id, details: { path: file.path, version: file.version_number, sha256: file.sha256, session: `ana-${Math.floor(i / 1000)}` } };
    if (roll < 0.93) return { type: 'sync.completed', assignment: assignment.id, file: null, details: { downloaded: Math.floor(random() * 40), bytes: Math.floor(random() * 400_000), removed: 0, rejected: 0, failed: 0 } };
    if (roll < 0.95) return { type: 'session.started', assignment: assignment.id, file: null, details: { dataset: assignment.dataset, session: 'ana', port: 40_000 + Math.floor(random() * 20_000) } };
    if (roll < 0.97) return { type: 'session.stopped', assignment: assignment.id, file: null, details: { dataset: assignment.dataset, saved: Math.floor(random() * 300), exitCode: 0 } };
    if (roll < 0.98) return { type: 'export.created', assignment: assignment.id, file: null, details: { export: i, trigger: 'session-stopped', annotations: Math.floor(random() * 9000), disputes: Math.floor(random() * 20) } };
    if (roll < 0.985) return { type: 'export.uploaded', assignment: assignment.id, file: null, details: { outbox: i, upload_id: `upl-${i}` } };
    if (roll < 0.99) return { type: 'escalation.queued', assignment: assignment.id, file: null, details: { reason: 'flagged', question: `q-${i}` } };
    if (roll < 0.995) return { type: 'app.started', assignment: null, file: null, details: { version: '0.1.0', shell: 'electron', platform: 'linux' } };
    if (roll < 0.998) return { type: 'audit.verified', assignment: null, file: null, details: { trigger: 'start', scope: 'since-last-check', checked: Math.floor(random() * 3000), acknowledged: 0, prunedThrough: 0 } };
    return { type: 'settings.changed', assignment: null, file: null, details: { key: 'syncIntervalMinutes', value: 30 } };
  };
}

interface Generated {
  largest: YearFixture['largest'];
  counts: Record<string, number>;
}

/** The year as the steps below write it. They share one `random`, so they must run in the order `generate` calls them. */
interface Year {
  app: string;
  server: string;
  tenant: string;
  now: number;
  yearStart: number;
  db: Database.Database;
  random: () => number;
  installationId: string;
  assignments: AssignmentEntry[];
  texts: Map<string, string>;
}

/** Each audit entry's id and hash, in order. */
type Chain = Array<[number, string]>;

const iso = (ms: number) => new Date(ms).toISOString();

/** File 360: the assignments and files, seeded into the sandbox's own state. */
async function seedSandbox(sandboxDir: string, seed: number, now: number, port: number) {
  const fixture = sandboxFixture(seed, now);
  const texts = new Map(fixture.assignments.flatMap((a) => a.files.map((f) => [f.id ?? '', 'text' in f ? f.text : ''] as const)));
  const sb = await startFile360Sandbox({ dataDir: sandboxDir, fixture, port });
  const assignments: AssignmentEntry[] = fixture.assignments.map((record) => {
    const view = sb.admin.assignments().find((a) => a.id === record.id);
    return { id: record.id, name: record.name, dataset: String(record.project.dataset), manifest_version: Number(view?.manifest_version ?? 1), files: sb.admin.files(record.id), record };
  });
  await sb.close();
  return { tenant: fixture.tenant, texts, assignments };
}

function writeAssignments({ app, server, tenant, now, db, installationId, assignments, texts }: Year): void {
  db.transaction(() => {
    db.prepare("INSERT INTO app_state (key, value) VALUES ('installation_id', ?)").run(installationId);
    db.prepare('INSERT INTO accounts (server, tenant, user_id, display_name, email, roles, groups, signed_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      server,
      tenant,
      USER.id,
      USER.display_name,
      USER.email,
      JSON.stringify(USER.roles),
      JSON.stringify(USER.groups),
      iso(now - 3 * DAY),
    );
    const insertAssignment = db.prepare(
      `INSERT INTO assignments (id, server, tenant, user_id, name, status, role, permissions, sharer, sharing_date, due_date, expiration, manifest_version,
         file_count, total_size, project, reviewer_groups, synced_manifest_version, last_synced_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'active', 'annotator', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertFile = db.prepare(
      "INSERT INTO files (assignment_id, id, path, size, sha256, version, mime_type, etag, state, error, local_size, local_mtime_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done', NULL, ?, ?)",
    );
    for (const a of assignments) {
      const total = a.files.reduce((sum, f) => sum + f.size, 0);
      const version = String(a.manifest_version);
      insertAssignment.run(
        a.id, server, tenant, USER.id, a.name, JSON.stringify(a.record.permissions), JSON.stringify(a.record.sharer), a.record.sharing_date,
        a.record.due_date, a.record.expiration, version, a.files.length, total, JSON.stringify(a.record.project), JSON.stringify(a.record.reviewer_groups),
        version, iso(now - DAY), iso(now - DAY),
      );
      const onDisk = writeFiles(app, a, texts);
      a.files.forEach((f, i) => insertFile.run(a.id, f.id, f.path, f.size, f.sha256, f.version_number, f.mime_type, f.etag, onDisk[i]?.size ?? f.size, onDisk[i]?.mtimeMs ?? 0));
    }
  })();
}

/** The audit chain: a million entries over the year, each hashed as append() would. */
function writeAuditChain({ yearStart, db, random, assignments }: Year): Chain {
  const plan = auditPlan(assignments, random);
  const insertAudit = db.prepare('INSERT INTO audit (id, ts, type, actor, assignment_id, file_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const chain: Chain = [];
  let prev = '0'.repeat(64);
  const step = (350 * DAY) / YEAR.audit;
  const writeAudit = db.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id += 1) {
      const entry = plan(id);
      const detailsText = canonicalize(entry.details) ?? '{}';
      const fields = { id, ts: iso(yearStart + Math.floor(id * step)), type: entry.type, actor: `user:${USER.id}`, assignment_id: entry.assignment, file_id: entry.file, details: JSON.parse(detailsText) as unknown, prev_hash: prev };
      const hash = rowHash(fields);
      insertAudit.run(id, fields.ts, fields.type, fields.actor, fields.assignment_id, fields.file_id, detailsText, prev, hash);
      chain.push([id, hash]);
      prev = hash;
    }
  });
  for (let from = 1; from <= YEAR.audit; from += 100_000) writeAudit(from, Math.min(YEAR.audit, from + 99_999));
  return chain;
}

/** The outbox: 20 000 rows sent over the year. The audit batches among them carried all but the last day's entries. */
function writeOutbox({ server, tenant, yearStart, db, random, installationId, assignments }: Year, chain: Chain): void {
  const uploaded = YEAR.audit - YEAR.auditSinceLastStart;
  const batches = Math.ceil(uploaded / 1000);
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (id, kind, idempotency_key, server, tenant, user_id, assignment_id, label, payload, file, size, state, attempts, remote, created_at, sent_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', 1, ?, ?, ?, ?)`,
  );
  const insertAck = db.prepare('INSERT INTO audit_acks (outbox_id, first_id, last_id, count, accepted, hashes, acked_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertExport = db.prepare(
    `INSERT INTO exports (assignment_id, dataset, trigger, annotations, counts, fingerprint, package_file, package_sha256, package_size, disputes, outbox_id, created_at)
     VALUES (?, ?, 'session-stopped', ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  db.transaction(() => {
    const kinds = ['package', 'escalation', 'push'] as const;
    let outboxId = 0;
    let batch = 0;
    for (let row = 0; row < YEAR.outboxSent; row += 1) {
      outboxId += 1;
      // Spread through the year: the audit batches every so many rows, the rest packages, escalations and notifications.
      const at = iso(yearStart + Math.floor((row / YEAR.outboxSent) * 350 * DAY));
      if (batch < batches && row % Math.floor(YEAR.outboxSent / batches) === 0) {
        const first = batch * 1000 + 1;
        const last = Math.min(uploaded, first + 999);
        const sent = chain.slice(first - 1, last);
        insertOutbox.run(outboxId, 'audit', randomUUID(), server, tenant, USER.id, null, `Audit trail: ${sent.length} entries`, JSON.stringify({ installation_id: installationId, ids: sent.map(([id]) => id) }), null, 0, JSON.stringify({ accepted: sent.length }), at, at, at);
        insertAck.run(outboxId, first, last, sent.length, sent.length, JSON.stringify(sent), at);
        batch += 1;
        continue;
      }
      const kind = kinds[row % 3] ?? 'push';
      const a = assignments[row % assignments.length] as AssignmentEntry;
      if (kind === 'package') {
        const sha = createHash('sha256').update(`package-${row}`).digest('hex');
        const payload = { assignment_id: a.id, name: `${a.dataset}-${row}.zip`, size: 180_000, sha256: sha, mime_type: 'application/zip', metadata: { dataset: a.dataset, annotations: 500, format: 1 } };
        insertOutbox.run(outboxId, 'package', randomUUID(), server, tenant, USER.id, a.id, `Export of “${a.name}”: 500 answers`, JSON.stringify(payload), `exports/${assignmentFolder(a.id)}/${row}.zip`, 180_000, JSON.stringify({ upload_id: `upl-${row}`, file_id: `fil-up-${row}` }), at, at, at);
        insertExport.run(a.id, a.dataset, 500, JSON.stringify({ accept: 450, reject: 40, ignore: 10, flagged: 3, sessions: ['ana'], annotators: ['ana'] }), sha, `exports/${assignmentFolder(a.id)}/${row}.zip`, sha, 180_000, outboxId, at);
      } else if (kind === 'escalation') {
        const payload = { assignment_id: a.id, reason: 'flagged', note: 'Not sure which label fits', priority: 'normal', item: { input_hash: row, task: { text: sentence(random, 10) }, versions: [], file_ids: [] } };
        insertOutbox.run(outboxId, 'escalation', randomUUID(), server, tenant, USER.id, a.id, `Escalation: ${a.name}`, JSON.stringify(payload), null, 0, JSON.stringify({ id: `esc-${row}`, state: 'open' }), at, at, at);
      } else {
        const payload = { users: ['u-maria'], type: 'annotation.completed', title: 'Package uploaded', summary: a.name, data: { assignment_id: a.id } };
        insertOutbox.run(outboxId, 'push', randomUUID(), server, tenant, USER.id, a.id, `Notification: ${a.name}`, JSON.stringify(payload), null, 0, JSON.stringify({ job_id: `job-${row}` }), at, at, at);
      }
    }
    db.prepare('INSERT INTO app_state (key, value) VALUES (?, ?)').run(`audit_uploaded_through:${server}|${tenant}`, String(uploaded));
  })();
}

/** The check at the last start reached the entry before the last day's work; the last full check was two days ago. */
function writeLastCheck({ now, db }: Year, chain: Chain): void {
  const [checkedId, checkedHash] = chain[YEAR.audit - YEAR.auditSinceLastStart - 1] ?? [0, ''];
  writeCheckpoint(db, { id: checkedId, hash: checkedHash, at: iso(now - DAY), fullAt: iso(now - 2 * DAY), ok: true });
}

/** File 360's own history of these assignments, as the Audit view shows it beside the local chain. */
function writeRemoteHistory({ server, tenant, yearStart, db, random, assignments }: Year): void {
  const insertRemote = db.prepare(
    `INSERT INTO audit_remote (server, tenant, remote_id, assignment_id, event_type, audit_name, audit_date, user_id, agent_id, file_id, details, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    const remoteStep = (350 * DAY) / YEAR.remoteHistory;
    for (let i = 0; i < YEAR.remoteHistory; i += 1) {
      const a = assignments[i % assignments.length] as AssignmentEntry;
      const file = a.files[Math.floor(random() * a.files.length)] as FileEntry;
      const upload = i % 10 === 0;
      const at = iso(yearStart + Math.floor(i * remoteStep));
      insertRemote.run(server, tenant, `srv-${pad(i + 1, 7)}`, a.id, upload ? 'upload' : 'download', upload ? 'Create' : 'Fetch', at, USER.id, USER.id, file.id, JSON.stringify({ version_number: file.version_number }), at);
    }
  })();
}

/** Notifications: a year of them, nearly all read. */
function writeNotifications({ server, tenant, yearStart, db, random, assignments }: Year): void {
  const types = ['batch.assigned', 'review.requested', 'decision.made', 'deadline.approaching', 'annotation.completed', 'relabel.requested'];
  const insertNotification = db.prepare(
    `INSERT INTO notifications (server, tenant, user_id, source, seq, remote_id, type, title, summary, topic, collapse_key, data, created, received_ms, delivery, delivered_ms, read_ms)
     VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    const noteStep = (350 * DAY) / YEAR.notifications;
    for (let i = 0; i < YEAR.notifications; i += 1) {
      const a = assignments[i % assignments.length] as AssignmentEntry;
      const type = types[i % types.length] as string;
      const received = yearStart + Math.floor(i * noteStep);
      const unread = i >= YEAR.notifications - 150 && i % 3 === 0;
      const source = type === 'deadline.approaching' ? 'reminder' : 'push';
      insertNotification.run(server, tenant, USER.id, source, `ntf-${i}`, type, `${type.replace('.', ' ')}: ${a.name}`, sentence(random, 8), `assignment.${a.id}`, JSON.stringify({ assignment_id: a.id }), iso(received), received, 'shown', received, unread ? null : received + 60_000);
    }
  })();
}

function prodigyDatabase(home: string): Database.Database {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  // The schema is the stand-in's own (sandbox/prodigy/db.py), made by it; the rows are written here, in bulk.
  const made = spawnSync('python3', ['-c', 'import sys; from prodigy.db import Database; Database(sys.argv[1]).close()', path.join(home, 'prodigy.db')], {
    env: { ...process.env, PYTHONPATH: path.resolve('sandbox') },
    stdio: 'inherit',
  });
  if (made.status !== 0) throw new Error('the Prodigy stand-in could not create its database');
  const prodigy = new Database(path.join(home, 'prodigy.db'));
  prodigy.pragma('synchronous = OFF');
  return prodigy;
}

function prodigyAnswer({ random, texts }: Year, a: AssignmentEntry, file: FileEntry, timestamp: number) {
  const inputHash = (createHash('sha256').update(file.id).digest().readInt32BE(0));
  const label = LABELS[Math.floor(random() * LABELS.length)] as string;
  // Ignored and flagged items become escalations at export; a year's earlier ones went with earlier exports, so few are left.
  const answer = random() < 0.9 ? 'accept' : random() < 0.997 ? 'reject' : 'ignore';
  return {
    text: (texts.get(file.id) ?? '').trim(),
    meta: { file: file.path },
    options: LABELS.map((id) => ({ id, text: id })),
    _input_hash: inputHash,
    _task_hash: inputHash ^ (LABELS.indexOf(label) + 1),
    _view_id: 'choice',
    accept: [label],
    answer,
    ...(random() < 0.0002 ? { flagged: true } : {}),
    _timestamp: timestamp,
    _session_id: `${a.dataset}-ana`,
    _annotator_id: `${a.dataset}-ana`,
  };
}

/** Prodigy: a home and database per assignment, the answers spread over sessions through the year. Returns how many sessions. */
function writeProdigy(year: Year, counts: number[]): number {
  const { app, yearStart, db, assignments } = year;
  const insertSession = db.prepare(
    `INSERT INTO prodigy_sessions (assignment_id, pid, port, prodigy_home, dataset, session_name, state, message, started_at, ended_at, exit_code, saved, prodigy_session, total)
     VALUES (?, NULL, NULL, ?, ?, 'ana', 'stopped', NULL, ?, ?, 0, ?, ?, ?)`,
  );
  let sessions = 0;
  for (const [index, a] of assignments.entries()) {
    const home = path.join(app, 'prodigy', assignmentFolder(a.id));
    const prodigy = prodigyDatabase(home);
    const answers = counts[index] ?? 0;
    // The largest was relabelled after drift: ten rounds over its 10 000 tasks; the others, one pass in about twenty sessions.
    const perSession = index === 0 ? 2000 : 400;
    const runs = Math.ceil(answers / perSession);
    const addDataset = prodigy.prepare('INSERT INTO dataset (name, created, meta, session) VALUES (?, ?, ?, ?)');
    const addExample = prodigy.prepare('INSERT INTO example (input_hash, task_hash, content) VALUES (?, ?, ?)');
    const addLink = prodigy.prepare('INSERT INTO link (example_id, dataset_id) VALUES (?, ?)');
    prodigy.transaction(() => {
      const main = Number(addDataset.run(a.dataset, Math.floor(yearStart / 1000), '{}', 0).lastInsertRowid);
      const named = Number(addDataset.run(`${a.dataset}-ana`, Math.floor(yearStart / 1000), '{}', 1).lastInsertRowid);
      for (let run = 0; run < runs; run += 1) {
        const startedMs = yearStart + Math.floor(((index * runs + run) / (assignments.length * runs)) * 340 * DAY);
        const stamp = iso(startedMs).slice(0, 19).replace('T', '_').replaceAll(':', '-');
        const session = Number(addDataset.run(stamp, Math.floor(startedMs / 1000), '{}', 1).lastInsertRowid);
        const inRun = Math.min(perSession, answers - run * perSession);
        for (let k = 0; k < inRun; k += 1) {
          const file = a.files[(run * perSession + k) % a.files.length] as FileEntry;
          const example = prodigyAnswer(year, a, file, Math.floor(startedMs / 1000) + k * 7);
          const exampleId = Number(addExample.run(example._input_hash, example._task_hash, JSON.stringify(example)).lastInsertRowid);
          addLink.run(exampleId, main);
          addLink.run(exampleId, named);
          addLink.run(exampleId, session);
        }
        insertSession.run(a.id, home, a.dataset, iso(startedMs), iso(startedMs + 3 * 3600_000), inRun, stamp, a.files.length);
        sessions += 1;
      }
    })();
    prodigy.pragma('wal_checkpoint(TRUNCATE)');
    prodigy.close();
  }
  return sessions;
}

/**
 * What the app remembers after a year of showing these assignments, written by its own code: each assignment's
 * last session's counts and the count of every answer, at the stamp of the databases as they are left here
 * (working copies keep the files' times, as a laptop does).
 */
function rememberAnswerCounts({ db }: Year): void {
  const allAnswers = new AllAnswersCache(() => db);
  const lastSessions = db
    .prepare<[], { id: number; assignment_id: string; prodigy_home: string; dataset: string; session_name: string; total: number | null; counts: string | null; counts_stamp: string | null }>(
      'SELECT * FROM prodigy_sessions WHERE id IN (SELECT MAX(id) FROM prodigy_sessions GROUP BY assignment_id)',
    )
    .all();
  for (const last of lastSessions) {
    // A copy keeps a file's time to the millisecond only: the stamp is taken at a time a copy keeps exactly.
    const at = new Date(Math.floor(Date.now()));
    fs.utimesSync(path.join(last.prodigy_home, 'prodigy.db'), at, at);
    rememberedAnswerCounts(db, last, last.prodigy_home, `${last.dataset}-${last.session_name}`, last.total ?? 0);
    allAnswers.read(last.assignment_id, last.prodigy_home, last.dataset);
  }
}

async function generate(root: string, seed: number, port: number): Promise<Generated> {
  const started = performance.now();
  const now = Date.now();
  const log = (what: string) => process.stdout.write(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  const app = path.join(root, 'app');
  const server = `http://127.0.0.1:${port}`;

  const { tenant, texts, assignments } = await seedSandbox(path.join(root, 'sandbox'), seed, now, port);
  log('File 360 sandbox seeded with 50 assignments and 200 000 files');

  // The app's database, schema by the app's own migrations.
  const db = openDatabase(path.join(app, 'companion.db'), { migrations: MIGRATIONS });
  db.pragma('synchronous = OFF');
  const year: Year = { app, server, tenant, now, yearStart: now - 350 * DAY, db, random: prng(seed + 1), installationId: randomUUID(), assignments, texts };
  writeAssignments(year);
  log('assignments and 200 000 files on disk and in the database');
  const chain = writeAuditChain(year);
  log('1 000 000 audit entries chained');
  writeOutbox(year, chain);
  log('20 000 outbox rows sent, with the acknowledgements of 998 audit batches');
  writeLastCheck(year, chain);
  // Nothing after this needs the million hashes: let them go before the Prodigy databases are written.
  chain.length = 0;
  writeRemoteHistory(year);
  log('200 000 entries of File 360’s history');
  writeNotifications(year);
  log('100 000 notifications');
  const counts = answerCounts();
  const sessions = writeProdigy(year, counts);
  log(`500 000 Prodigy answers in ${sessions} sessions`);
  rememberAnswerCounts(year);
  log('the answer counts the app remembers');

  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.writeFileSync(path.join(app, 'settings.json'), JSON.stringify({ server, tenant }, null, 2));
  const largest = assignments[0] as AssignmentEntry;
  return {
    largest: { id: largest.id, dataset: largest.dataset, files: largest.files.length, answers: counts[0] ?? 0 },
    counts: { assignments: assignments.length, files: YEAR.files, audit: YEAR.audit, auditUnchecked: YEAR.auditSinceLastStart, remoteHistory: YEAR.remoteHistory, answers: YEAR.answers, sessions, notifications: YEAR.notifications, outboxSent: YEAR.outboxSent },
  };
}

/** The year, from the cache or made now. */
export async function yearFixture(options: { seed?: number; port?: number } = {}): Promise<YearFixture> {
  const seed = options.seed ?? 17;
  const port = options.port ?? 47_360;
  const root = cacheRoot(seed, port);
  const meta = path.join(root, 'fixture.json');
  const fresh = () => {
    try {
      const saved = JSON.parse(fs.readFileSync(meta, 'utf8')) as YearFixture;
      return Date.now() - Date.parse(saved.generatedAt) < MAX_AGE_MS ? saved : null;
    } catch {
      return null;
    }
  };
  const cached = fresh();
  if (cached) return { ...cached, generatedMs: null };
  process.stdout.write(`Generating a year of work (seed ${seed}) in ${root}; kept for later runs…\n`);
  const started = performance.now();
  fs.rmSync(root, { recursive: true, force: true });
  const building = `${root}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const generated = await generate(building, seed, port);
  fs.renameSync(building, root);
  const fixture: YearFixture = {
    root,
    app: path.join(root, 'app'),
    sandbox: path.join(root, 'sandbox'),
    port,
    tenant: 'acme',
    server: `http://127.0.0.1:${port}`,
    generatedAt: new Date().toISOString(),
    ...generated,
    generatedMs: performance.now() - started,
  };
  fs.writeFileSync(meta, JSON.stringify(fixture, null, 2));
  return fixture;
}

/**
 * A copy to work on: the databases and settings are copied with their times (the app's remembered
 * answer counts hold while a Prodigy database's time and size do), the 200 000 synced
 * files hard-linked (nothing rewrites a synced file in place; a wipe or a new
 * version only unlinks or replaces the link), so a run never touches the cache.
 */
export function workingCopy(fixture: YearFixture, into: string): { app: string; sandbox: string } {
  const app = path.join(into, 'app');
  const sandbox = path.join(into, 'sandbox');
  fs.mkdirSync(app, { recursive: true });
  const linked = spawnSync('cp', ['-al', path.join(fixture.app, 'assignments'), path.join(app, 'assignments')], { stdio: 'inherit' });
  if (linked.status !== 0) throw new Error('could not hard-link the synced files (cp -al)');
  for (const entry of fs.readdirSync(fixture.app)) {
    if (entry === 'assignments') continue;
    fs.cpSync(path.join(fixture.app, entry), path.join(app, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.cpSync(fixture.sandbox, sandbox, { recursive: true });
  return { app, sandbox };
}
