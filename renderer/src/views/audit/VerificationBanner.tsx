import type { AuditVerification } from '../../../../shared/api/schemas/audit';
import { AUDIT_TYPE_LABELS, type AuditType } from '../../../../shared/audit-types';
import { Icon } from '../../components/Icon';
import { formatDateTime, plural } from '../../format';

const typeWords = (type: string | null) => (type ? (AUDIT_TYPE_LABELS[type as AuditType] ?? type) : 'unknown event');

/** The latest check of the log: intact (with what File 360 vouches for), or the first bad row and, in the reason, what is wrong with it. */
export function VerificationBanner({ result }: { result: AuditVerification | null }) {
  if (!result) return null;
  const pruned = result.prunedThrough > 0 ? ` Entries up to #${result.prunedThrough} were removed under the retention setting after File 360 confirmed them.` : '';
  const acknowledged =
    result.acknowledged > 0 ? `${plural(result.acknowledged, 'uploaded entry matches', 'uploaded entries match')} what File 360 acknowledged` : 'File 360 has acknowledged none of them yet';
  if (result.ok || !result.firstBad) {
    // The check at start walks only what came after the last one; say so, and when the whole log was last walked.
    const since = result.scope === 'since-last-check';
    const what = since ? `${plural(result.checked, 'new entry', 'new entries')} (after #${result.from.toLocaleString()})` : plural(result.checked, 'entry', 'entries');
    const whole = since ? (result.lastFullAt ? ` The whole log was last checked ${formatDateTime(result.lastFullAt)}.` : ' The whole log has not been checked yet.') : '';
    return (
      <div className="banner banner-ok" data-testid="audit-verification">
        <Icon name="shield-check" />
        <span>
          Chain intact: {what} checked at {formatDateTime(result.verifiedAt)}; {acknowledged}.{whole}{pruned}
        </span>
      </div>
    );
  }
  const bad = result.firstBad;
  const what = bad.ts ? `${typeWords(bad.type)}, ${formatDateTime(bad.ts)}` : 'no longer here';
  return (
    <div className="banner banner-error" role="alert" data-testid="audit-verification">
      <Icon name="alert" />
      <span>
        <strong>
          The log is broken at entry #{bad.id} ({what}).
        </strong>{' '}
        {bad.reason} The {plural(result.checked, 'entry', 'entries')} before it are intact. Old entries are not removed while the log is broken.
      </span>
    </div>
  );
}
