import { describe, expect, it } from 'vitest';
import { emptyTally, lostWords, outcomeWords, wipedBody, type WipeTally } from '../../electron/core/services/assignments/wipe';
import { atTime } from '../../shared/words';

const tally = (fields: Partial<WipeTally>): WipeTally => ({ ...emptyTally(), ...fields });

describe('what a wipe says it lost or delivered', () => {
  it('names nothing when there was no work, and every answer when all of it arrived', () => {
    expect(outcomeWords(emptyTally())).toBeNull();
    expect(wipedBody('Batch 7', 'revoked', emptyTally())).toBe('“Batch 7” was withdrawn, so its files were deleted from this computer.');
    expect(outcomeWords(tally({ delivered: { answers: 1, packages: 1 } }))).toBe('Your answer had reached File 360 before that.');
    expect(outcomeWords(tally({ delivered: { answers: 12, packages: 3 } }))).toBe('All 12 answers had reached File 360 before that.');
  });

  it('says where lost answers were, in numbers and words, with one verb for one thing', () => {
    expect(outcomeWords(tally({ lost: { answers: 1 }, lostAnswers: { queued: 0, unexported: 1 } }))).toBe(
      '1 answer not yet exported could not be sent to File 360 before access ended and was deleted with the files.',
    );
    expect(outcomeWords(tally({ lost: { answers: 5, packages: 2 }, lostAnswers: { queued: 5, unexported: 0 }, why: 'File 360 could not be reached' }))).toBe(
      '5 answers in 2 packages waiting to be sent could not be sent to File 360 before access ended (File 360 could not be reached) and were deleted with the files.',
    );
    expect(lostWords(tally({ lost: { answers: 4, packages: 1, escalations: 1, decisions: 2 }, lostAnswers: { queued: 3, unexported: 1 } }))).toBe(
      '4 answers (3 in a package waiting to be sent, 1 not yet exported), 1 escalation and 2 review decisions',
    );
    expect(outcomeWords(tally({ lost: { escalations: 1 } }))).toBe('1 escalation could not be sent to File 360 before access ended and was deleted with the files.');
  });

  it('says the time as people read it: the time alone today, with the day otherwise', () => {
    const now = Date.parse('2026-11-24T09:00:00.000Z');
    expect(atTime(Date.parse('2026-11-24T14:45:00.000Z'), now, 'UTC')).not.toMatch(/Nov|24/);
    expect(atTime(Date.parse('2026-11-25T14:45:00.000Z'), now, 'UTC')).toMatch(/25/);
  });
});
