/**
 * The one list of what the UI can ask the app, and what the app tells the UI.
 * Main validates every call's input and every handler's output against these
 * schemas; the renderer only imports the types.
 */
import { z } from 'zod';
import { AppInfo, NotificationPayload, RecoverDatabaseInput, RouteSchema, Status } from './schemas/app';
import {
  AssignmentDetail,
  AssignmentIdInput,
  AssignmentSummary,
  FilePage,
  FilePageInput,
  SignInState,
  SyncInput,
  SyncProgress,
} from './schemas/assignments';
import { AuditChain, AuditFacets, AuditListInput, AuditPage, AuditVerification, TimelineInput, TimelinePage } from './schemas/audit';
import { OpenedSession, SessionInput, SessionLog, SessionView } from './schemas/sessions';
import { NoInput } from './schemas/common';
import { AskCandidate, AskCandidatesInput, AskInput, EscalationIdInput, EscalationListInput, EscalationView } from './schemas/escalations';
import { AgreementView } from './schemas/agreement';
import { AnswerListInput, AnswerPage, Guidelines, GuidelinesInput } from './schemas/answers';
import { ExportResult, ExportView } from './schemas/exports';
import { LineageExport, LineageInput, LineageView } from './schemas/lineage';
import { NotificationIdInput, NotificationIdsInput, NotificationListInput, NotificationPage, UnreadCount } from './schemas/notifications';
import { OutboxItem, OutboxItemInput, OutboxListInput, OutboxPage } from './schemas/outbox';
import { ProdigyInfo } from './schemas/prodigy';
import { ApproveManyInput, ApproveManyResult, DecideInput, ReviewDetail, ReviewFilter, ReviewIdInput, ReviewList } from './schemas/reviews';
import { SettingsUpdate, SettingsView } from './schemas/settings';
import { UpdateStatus } from './schemas/updates';

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** What the method does, for the README's list and for error messages. */
  summary: string;
}

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): MethodSpec<I, O> {
  return { input, output, summary };
}

export const methods = {
  'app.info': method(NoInput, AppInfo, 'Version, shell, data folder, and any problem found at start'),
  'app.status': method(NoInput, Status, 'Connection, signed-in user, queued items and keychain state'),
  'app.takePendingRoute': method(NoInput, RouteSchema.nullable(), 'The place a deep link asked for before the window was ready'),
  'app.recoverDatabase': method(RecoverDatabaseInput, AppInfo, 'Move a damaged database aside and start a fresh one'),
  'settings.get': method(NoInput, SettingsView, 'Settings in force and where each came from'),
  'settings.update': method(SettingsUpdate, SettingsView, 'Change settings; the change is audited'),
  'audit.list': method(AuditListInput, AuditPage, 'Audit entries, newest first, filtered'),
  'audit.timeline': method(TimelineInput, TimelinePage, 'This computer’s audit entries and File 360’s access history, merged newest first, filtered'),
  'audit.fetchHistory': method(NoInput, z.strictObject({ added: z.number().int().nonnegative() }), 'Bring File 360’s access history of your assignments up to date (the Audit view asks as it opens); says how many entries were new'),
  'audit.facets': method(NoInput, AuditFacets, 'Event types and assignments present in either audit record'),
  'audit.verify': method(NoInput, AuditVerification, 'Check the audit chain end to end, and every uploaded batch against File 360’s acknowledgement; audited'),
  'audit.chain': method(NoInput, AuditChain, 'The audit log as it stands: entries, how far checks found it intact, what File 360 acknowledged, and the latest check (run at start), without checking again'),
  'auth.signIn': method(NoInput, SignInState, 'Open File 360 sign-in in the browser and wait for it'),
  'auth.cancelSignIn': method(NoInput, SignInState, 'Stop waiting for a sign-in'),
  'auth.signOut': method(NoInput, Status, 'Sign out: forget tokens; keep files that are still shared'),
  'assignments.list': method(NoInput, z.array(AssignmentSummary), 'Assignments on this computer, with their sync state'),
  'assignments.get': method(AssignmentIdInput, AssignmentDetail, 'One assignment in full'),
  'assignments.files': method(FilePageInput, FilePage, 'A page of an assignment’s files, by path'),
  'assignments.guidelines': method(GuidelinesInput, Guidelines, 'The assignment’s guidelines file as synced here, to read beside the work, or why it is not here'),
  'sync.start': method(SyncInput, z.null(), 'Sync one assignment, or check for changes and sync all'),
  'sync.pause': method(AssignmentIdInput, z.null(), 'Pause a running sync; finished files and partial downloads are kept'),
  'sync.cancel': method(AssignmentIdInput, z.null(), 'Stop a sync and discard its partial downloads; finished files are kept'),
  'sessions.list': method(NoInput, z.array(SessionView), 'Every assignment that can be annotated here, with its Prodigy session'),
  'sessions.start': method(SessionInput, SessionView, 'Build the source and start Prodigy for an assignment; returns once it answers'),
  'sessions.stop': method(SessionInput, SessionView, 'Stop an assignment’s Prodigy session (SIGINT, then SIGTERM, then SIGKILL)'),
  'sessions.open': method(SessionInput, OpenedSession, 'Open a running session in its own window, or give the address for a tab'),
  'answers.list': method(AnswerListInput, AnswerPage, 'A page of your own answers in an assignment, newest first, from Prodigy’s database, filtered by words and answer'),
  'sessions.log': method(SessionInput, SessionLog, 'The last lines Prodigy printed in the running or most recent session'),
  'prodigy.info': method(NoInput, ProdigyInfo, 'Which Prodigy the command in Settings runs (prodigy stats), whether it is supported, and which of your own Prodigy settings sessions use'),
  'prodigy.check': method(NoInput, ProdigyInfo, 'Ask Prodigy for its version again (after installing or upgrading it)'),
  'exports.run': method(AssignmentIdInput, ExportResult, 'Export the assignment’s answers (db-out) into a package, find disputes, and queue both'),
  'exports.list': method(AssignmentIdInput, z.array(ExportView), 'An assignment’s exports, newest first, with their upload state'),
  'exports.agreement': method(AssignmentIdInput, AgreementView.nullable(), 'Inter-annotator agreement in the latest export (as Prodigy’s metric.iaa.* define it), per label, with the items that pull it down'),
  'lineage.get': method(LineageInput, LineageView, 'Where an assignment’s packages came from and what became of them: sources → sessions → packages → escalations → decisions'),
  'lineage.export': method(LineageInput, LineageExport, 'The assignment’s lineage as a W3C PROV-JSON document, with a file name to save it under'),
  'escalations.list': method(EscalationListInput, z.array(EscalationView), 'Items this computer escalated, with the decisions that came back'),
  'escalations.candidates': method(AskCandidatesInput, z.array(AskCandidate), 'Answered items of an assignment a question can be about'),
  'escalations.ask': method(AskInput, EscalationView, 'Ask the assignment’s reviewers about one answered item'),
  'escalations.applyDecision': method(EscalationIdInput, EscalationView, 'Put a received decision into Prodigy again after it failed'),
  'reviews.list': method(ReviewFilter, ReviewList, 'Escalations to review, as last fetched, filtered'),
  'reviews.refresh': method(NoInput, ReviewList, 'Fetch escalations to review from File 360'),
  'reviews.open': method(ReviewIdInput, ReviewDetail, 'Show one escalation and claim it'),
  'reviews.decide': method(DecideInput, ReviewDetail, 'Approve, correct or reject an escalation; sent through the outbox'),
  'reviews.approveMany': method(ApproveManyInput, ApproveManyResult, 'Approve several escalations with one comment, each its own decision; one that cannot be approved fails alone'),
  'outbox.list': method(OutboxListInput, OutboxPage, 'What is waiting to leave this computer, and what has'),
  'outbox.retry': method(OutboxItemInput, OutboxItem, 'Try a waiting or failed item again now'),
  'outbox.discard': method(OutboxItemInput, OutboxItem, 'Give up on a waiting or failed item; audited'),
  'notifications.list': method(NotificationListInput, NotificationPage, 'Stored notifications, newest first, filtered; the unread count and the Push connection'),
  'notifications.markRead': method(NotificationIdsInput, UnreadCount, 'Mark notifications (or all) as read'),
  'notifications.clear': method(NotificationIdsInput, UnreadCount, 'Remove notifications (or all) from the notification center; they stay in the history'),
  'notifications.open': method(NotificationIdInput, RouteSchema.nullable(), 'Mark one read and say where a click on it leads'),
  'updates.status': method(NoInput, UpdateStatus, 'Whether an update is on its way, ready, or why this app does not update itself'),
  'updates.check': method(NoInput, UpdateStatus, 'Ask the update server now; an update found downloads in the background'),
  'updates.restart': method(NoInput, UpdateStatus, 'Quit and install the downloaded update, unless a Prodigy session or an upload would be interrupted; audited'),
} as const;

export const events = {
  'status.changed': Status,
  /** Main asks the UI to show a place (deep link, tray, notification click). */
  navigate: RouteSchema,
  /** A notification for the browser shell to show itself (Electron shows them natively). */
  notification: NotificationPayload,
  'auth.changed': SignInState,
  'assignments.changed': z.strictObject({}),
  'sync.progress': SyncProgress,
  /** A session started, stopped, crashed, or its counts moved. */
  'sessions.changed': SessionView,
  /** Audit entries were written, or a check of the log finished. */
  'audit.changed': z.strictObject({}),
  /** The outbox gained, sent, failed or dropped items. */
  'outbox.changed': z.strictObject({}),
  /** An export finished for this assignment. */
  'exports.changed': z.strictObject({ assignmentId: z.string() }),
  /** Escalations raised here, or decisions on them, changed. */
  'escalations.changed': z.strictObject({}),
  /** The review list changed (fetched, claimed, decided). */
  'reviews.changed': z.strictObject({}),
  'notifications.changed': UnreadCount,
  /** An update was found, downloaded, refused, or can now be installed. */
  'updates.changed': UpdateStatus,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be left out). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives, after defaults are applied. */
export type MethodArgs<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}
