import { describe, expect, it } from 'vitest';
import { annotationWords, decisionChange } from '../../shared/decisions';
import { typeIcon } from '../../renderer/src/views/notifications/words';

const TEXT = 'Acme Corp billed Ana twice';

describe('a decision in words (issue 16, item 3)', () => {
  it('names the choices, spans and binary answers, and calls a skip a skip', () => {
    expect(annotationWords({ answer: 'accept', accept: ['account_access'] })).toBe('account_access');
    expect(annotationWords({ answer: 'accept', accept: ['billing', 'refund'] })).toBe('billing, refund');
    expect(annotationWords({ answer: 'accept', spans: [{ start: 0, end: 9, label: 'ORG' }, { start: 17, end: 20, label: 'PERSON' }] }, TEXT)).toBe('ORG “Acme Corp”, PERSON “Ana”');
    expect(annotationWords({ answer: 'reject', label: 'SPAM' })).toBe('Rejected (SPAM: no)');
    expect(annotationWords({ answer: 'accept', label: 'SPAM' })).toBe('SPAM: yes');
    expect(annotationWords({ answer: 'ignore', accept: ['billing'] })).toBe('Skipped');
    expect(annotationWords({ answer: 'accept', accept: [] })).toBe('Nothing chosen');
  });

  it('shows a correction as before → after, each distinct annotator answer once, and a rejection as not used', () => {
    const item = { task: { text: TEXT }, versions: [{ answer: 'accept', accept: ['account_access'] }, { answer: 'accept', accept: ['account_access'] }, { answer: 'accept', accept: ['bug_report'] }] };
    expect(decisionChange(item, 'corrected', { answer: 'accept', accept: ['billing'] })).toEqual({ before: 'account_access or bug_report', after: 'billing' });
    expect(decisionChange(item, 'rejected', null)).toEqual({ before: 'account_access or bug_report', after: 'Rejected: not used' });
    expect(decisionChange({ task: { text: TEXT, accept: ['account_access'] }, versions: [] }, 'approved', null)).toEqual({ before: 'No answer', after: 'account_access' });
    expect(decisionChange(item, 'corrected', null)).toBeNull();
  });

  it('gives a rejection its own icon, not the approval’s check', () => {
    expect(typeIcon({ type: 'decision.made', outcome: 'rejected' })).toBe('x-circle');
    expect(typeIcon({ type: 'decision.made', outcome: 'corrected' })).toBe('relabel');
    expect(typeIcon({ type: 'decision.made', outcome: 'approved' })).toBe('reviews');
    expect(typeIcon({ type: 'decision.made', outcome: null })).toBe('reviews');
  });
});
