import type { TimelineEntry } from '../../../../shared/api/schemas/audit';
import type { EscalationReason, Outcome } from '../../../../shared/api/schemas/escalations';
import { formatBytes, plural } from '../../format';
import { OUTCOME_WORDS, REASON_WORDS } from '../reviews/words';

/**
 * Details that are ids, hashes and counters for machines: a reviewer reads
 * them on hover (the cell's title), not in the line.
 */
const FOR_MACHINES = new Set([
  'escalation',
  'escalation_id',
  'remote',
  'outbox',
  'export',
  'exportId',
  'key',
  'installationId',
  'inputHash',
  'sha256',
  'sha512',
  'expectedSha512',
  'upload_id',
  'file_id',
  'userId',
  'prodigySession',
  'session',
  'pid',
  'port',
  'alsoEnded',
]);

/** Details whose value says it all: "Skipped", not "reasons: Skipped". */
const VALUE_ONLY = new Set(['reason', 'reasons', 'outcome', 'path', 'name', 'kind']);

const SIZES = new Set(['size', 'bytes']);

/** Keys whose words alone would not say what they mean. */
const KEY_WORDS: Record<string, string> = { as: 'Opened as' };

/** `quietHours` → "Quiet hours", `sent_in` → "Sent in". */
function words(key: string): string {
  if (KEY_WORDS[key]) return KEY_WORDS[key];
  const spaced = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function valueWords(value: unknown, names: TimelineEntry['names']): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString();
  if (typeof value === 'string') return names[value] ?? REASON_WORDS[value as EscalationReason] ?? OUTCOME_WORDS[value as Outcome] ?? value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((item) => valueWords(item, names)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([key, inner]) => `${words(key).toLowerCase()} ${valueWords(inner, names)}`)
    .join(', ');
}

/** A setting's change as a sentence: "Quiet hours turned off", "Audit retention days changed from 30 to 90". */
function settingChange({ key, from, to }: Record<string, unknown>, names: TimelineEntry['names']): string {
  const setting = typeof key === 'string' ? words(key) : 'A setting';
  if (to === null || to === false) return `${setting} turned off`;
  if (to === true) return `${setting} turned on`;
  if (from === null || from === undefined) return `${setting} set to ${valueWords(to, names)}`;
  return `${setting} changed from ${valueWords(from, names)} to ${valueWords(to, names)}`;
}

const TRIGGER_WORDS: Record<string, string> = { start: 'at start', user: 'on request', schedule: 'weekly' };

/** A check of the log as what it covered: "Whole log checked on request: 53 entries intact, 44 acknowledged by File 360". */
function checkWords({ trigger, scope, from, checked, acknowledged, firstBad }: Record<string, unknown>): string {
  const what = scope === 'full' ? 'Whole log' : `Entries after #${valueWords(from, {})}`;
  const count = typeof checked === 'number' ? plural(checked, 'entry', 'entries') : 'no entries';
  const acked = typeof acknowledged === 'number' && acknowledged > 0 ? `, ${acknowledged.toLocaleString()} acknowledged by File 360` : '';
  const when = TRIGGER_WORDS[String(trigger)];
  const bad = (firstBad as { id?: unknown } | undefined)?.id;
  const broken = typeof bad === 'number' ? `; broken at entry #${bad}` : '';
  return `${what} checked${when ? ` ${when}` : ''}: ${count} intact${acked}${broken}`;
}

/** An entry's details in words, for a person reading the log; the ids stay in `hover`. */
export function describeDetails(entry: TimelineEntry): { text: string; hover: string } {
  const { details, names } = entry;
  const hover = [Object.keys(details).length > 0 ? JSON.stringify(details, null, 1) : null, entry.hash ? `hash ${entry.hash}` : null].filter(Boolean).join('\n');
  if (entry.source === 'local' && entry.type === 'settings.changed') return { text: settingChange(details, names), hover };
  if (entry.source === 'local' && (entry.type === 'audit.verified' || entry.type === 'audit.verify_failed')) return { text: checkWords(details), hover };
  const parts = Object.entries(details)
    .filter(([key]) => !FOR_MACHINES.has(key))
    .map(([key, value]) => {
      const shown = SIZES.has(key) && typeof value === 'number' ? formatBytes(value) : valueWords(value, names);
      return VALUE_ONLY.has(key) ? shown : `${words(key)}: ${shown}`;
    });
  // An escalation's reason is usually its only reason too: "Flagged", once.
  return { text: [...new Set(parts)].join(' · '), hover };
}
