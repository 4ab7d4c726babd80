import { atTime, deliveryRuleWords } from '../../../shared/words';
import type { Deadline } from './store';
import { REASON_TITLES } from '../services/disputes/reasons';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The time left as people say it: minutes under an hour, hours under two days, then days. */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  return hours < 48 ? plural(hours, 'hour') : plural(Math.round(hours / 24), 'day');
}

const quoted = (name: string | null) => (name ? `“${name.length > 80 ? `${name.slice(0, 79)}…` : name}”` : 'an assignment');

/** When the reminder fires, and when unsent work is sent ahead of an expiry (exports/ahead-of-expiry.ts). */
export interface ReminderMoment {
  nowMs: number;
  sendBeforeExpiryMs: number;
  timeZone?: string;
}

/** What a reminder says: what is due, in how long, and what happens if the user does nothing. */
export function reminderText(deadline: Deadline, left: string, moment: ReminderMoment): { title: string; summary: string } {
  const name = quoted(deadline.assignmentName);
  switch (deadline.kind) {
    case 'due':
      return { title: `${name} is due in ${left}`, summary: 'Finish and export your annotations before then so they reach File 360 on time.' };
    case 'expiry':
      if (!deadline.sendsWork) {
        return { title: `Files of ${name} will be removed when access expires in ${left}`, summary: 'At that moment the files are deleted from this computer.' };
      }
      const sendAt = deadline.atMs - moment.sendBeforeExpiryMs;
      return {
        title: `Files of ${name} will be removed when access expires in ${left}`,
        summary: deliveryRuleWords(atTime(sendAt, moment.nowMs, moment.timeZone), atTime(deadline.atMs, moment.nowMs, moment.timeZone), sendAt <= moment.nowMs),
      };
    case 'review': {
      const reason = (REASON_TITLES as Record<string, string | undefined>)[deadline.review?.reason ?? ''];
      const item = deadline.review?.priority === 'high' ? 'A high-priority item' : 'An item';
      return { title: `Review due in ${left}`, summary: `${item} from ${name} waits for your decision${reason ? ` (${reason.toLowerCase()})` : ''}.` };
    }
  }
}
