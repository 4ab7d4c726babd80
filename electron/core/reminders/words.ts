import { REASON_TITLES } from '../escalations/words';
import type { Deadline } from './store';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The time left as people say it: minutes under an hour, hours under two days, then days. */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  return hours < 48 ? plural(hours, 'hour') : plural(Math.round(hours / 24), 'day');
}

const quoted = (name: string | null) => (name ? `“${name.length > 80 ? `${name.slice(0, 79)}…` : name}”` : 'an assignment');

/** What a reminder says: what is due, in how long, and what happens if the user does nothing. */
export function reminderText(deadline: Deadline, left: string): { title: string; summary: string } {
  const name = quoted(deadline.assignmentName);
  switch (deadline.kind) {
    case 'due':
      return { title: `${name} is due in ${left}`, summary: 'Finish and export your annotations before then so they reach File 360 on time.' };
    case 'expiry':
      return {
        title: `Files of ${name} will be removed when access expires in ${left}`,
        summary: 'Finish what you are annotating. Work not yet sent is put in the outbox before the files are removed from this computer.',
      };
    case 'review': {
      const reason = (REASON_TITLES as Record<string, string | undefined>)[deadline.review?.reason ?? ''];
      const item = deadline.review?.priority === 'high' ? 'A high-priority item' : 'An item';
      return { title: `Review due in ${left}`, summary: `${item} from ${name} waits for your decision${reason ? ` (${reason.toLowerCase()})` : ''}.` };
    }
  }
}
