import type { AuditChain } from '../../../../shared/api/schemas/audit';
import { AUDIT_TYPE_LABELS, type AuditType } from '../../../../shared/audit-types';
import { Icon } from '../../components/Icon';
import { formatDateTime, plural } from '../../format';

const typeWords = (type: string | null) => (type ? (AUDIT_TYPE_LABELS[type as AuditType] ?? type) : 'unknown event');

function acknowledgedWords({ acknowledged, entries }: AuditChain): string {
  if (acknowledged === 0) return 'File 360 has acknowledged none of them yet';
  if (acknowledged >= entries) return 'File 360 has acknowledged all of them';
  return `File 360 has acknowledged ${acknowledged.toLocaleString()} of the ${entries.toLocaleString()}`;
}

/**
 * The log as it stands: how far checks found it intact (the one at start
 * counts), what was written since, what File 360 has; or, when the latest
 * check found it broken, the first bad row and, in the reason, what is wrong with it.
 */
export function VerificationBanner({ chain }: { chain: AuditChain | null }) {
  if (!chain) return null;
  const bad = chain.lastCheck?.firstBad;
  if (bad) {
    const what = bad.ts ? `${typeWords(bad.type)}, ${formatDateTime(bad.ts)}` : 'no longer here';
    return (
      <div className="banner banner-error" role="alert" data-testid="audit-verification">
        <Icon name="alert" />
        <span>
          <strong>
            The log is broken at entry #{bad.id} ({what}).
          </strong>{' '}
          {bad.reason} The {plural(chain.lastCheck?.checked ?? 0, 'entry', 'entries')} before it are intact. Old entries are not removed while the log is broken.
        </span>
      </div>
    );
  }
  const pruned = chain.prunedThrough > 0 ? ` Entries up to #${chain.prunedThrough.toLocaleString()} were removed under the retention setting after File 360 confirmed them.` : '';
  const newer = chain.unchecked > 0 ? `; ${plural(chain.unchecked, 'newer entry is', 'newer entries are')} checked at the next start or when you verify` : '';
  if (!chain.checkedAt) {
    return (
      <div className="banner" data-testid="audit-verification">
        <Icon name="shield-check" />
        <span>
          Not checked yet: {plural(chain.entries, 'entry', 'entries')}, checked at the next start or when you verify. {acknowledgedWords(chain)}.{pruned}
        </span>
      </div>
    );
  }
  const checked = chain.entries - chain.unchecked;
  const whole =
    chain.lastFullAt === null ? ' The whole log has not been checked from the start yet.' : chain.lastFullAt === chain.checkedAt ? '' : ` The whole log was last checked ${formatDateTime(chain.lastFullAt)}.`;
  return (
    <div className="banner banner-ok" data-testid="audit-verification">
      <Icon name="shield-check" />
      <span>
        Chain intact: {plural(checked, 'entry', 'entries')} checked at {formatDateTime(chain.checkedAt)}
        {newer}. {acknowledgedWords(chain)}.{whole}
        {pruned}
      </span>
    </div>
  );
}
