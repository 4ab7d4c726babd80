import { ApiError, invalidRequest } from '../file360/errors';
import type { User } from '../file360/state/users';

/** CONTRACTS §B's three topic families; the name after the dot is URL-safe, as ids and group names are. */
const TOPIC = /^(assignment|escalations|user)\.([A-Za-z0-9._~-]{1,128})$/;

export function checkTopic(topic: string): string {
  if (!TOPIC.test(topic)) throw invalidRequest(`Unknown topic "${topic}": use assignment.{id}, escalations.{group} or user.{id}.`);
  return topic;
}

/** Another user's `user.{id}` topic would deliver their personal notifications to this device. */
export function checkTopicFor(user: User, topic: string): string {
  const [, family, name] = TOPIC.exec(checkTopic(topic)) ?? [];
  if (family === 'user' && name !== user.id) throw new ApiError(403, 'FORBIDDEN', `Topic ${topic} belongs to another user; yours is user.${user.id}.`);
  return topic;
}
