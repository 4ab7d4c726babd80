import type { AuditVerification } from '../../../shared/api/schemas/audit';
import type { LocalData } from '../db/local-data';
import type { Clock, Logger, Notifier } from '../ports';
import { pruneExpired } from './retention';
import { verifyAudit } from './verify';

export interface AuditIntegrityDeps {
  data: LocalData;
  clock: Clock;
  notifier: Notifier;
  logger: Logger;
  /** The retention setting: days to keep acknowledged audit rows and notifications; 0 keeps them. */
  retentionDays(): number;
}

/**
 * Verification and retention of the audit log. Every check is itself an audit
 * entry, so a reviewer sees when the log was last found intact; a broken log
 * found at start is also announced, because nobody may open the Audit view.
 */
export class AuditIntegrity {
  private latest: AuditVerification | null = null;

  constructor(private readonly deps: AuditIntegrityDeps) {}

  check(trigger: 'start' | 'user'): AuditVerification {
    const result = this.deps.data.transaction(({ db, audit }) => {
      const verification = verifyAudit(db, this.deps.clock.now().toISOString());
      const { ok, checked, acknowledged, prunedThrough, firstBad } = verification;
      audit.append({ type: ok ? 'audit.verified' : 'audit.verify_failed', details: { trigger, checked, acknowledged, prunedThrough, ...(firstBad ? { firstBad } : {}) } });
      return verification;
    });
    this.latest = result;
    if (result.firstBad) {
      this.deps.logger.error('the audit log failed its check', { trigger, id: result.firstBad.id, problem: result.firstBad.problem });
      if (trigger === 'start') {
        this.deps.notifier.show({ title: 'The audit log failed its integrity check', body: result.firstBad.reason, route: { section: 'audit' } });
      }
    }
    return result;
  }

  /** The last check in this run of the app (the one at start, until someone asks again). */
  last(): AuditVerification | null {
    return this.latest;
  }

  /**
   * Removes what the retention setting lets go. Nothing is removed while the
   * last check found the log broken: the rows are the evidence.
   */
  prune(): void {
    if (this.latest?.ok === false || this.deps.data.problem()) return;
    const days = this.deps.retentionDays();
    this.deps.data.transaction((open) => pruneExpired(open, this.deps.clock.now(), days));
  }
}
