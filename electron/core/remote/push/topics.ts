import type { TopicChoice } from '../../../../shared/api/schemas/settings';
import type { PushApi } from './api';

export interface TopicAssignment {
  id: string;
  status: string;
}

const active = (assignment: TopicAssignment) => assignment.status === 'active';
const assignmentTopic = (id: string) => `assignment.${id}`;
const reviewsTopic = (group: string) => `escalations.${group}`;

/** CONTRACTS §B topics: the user's active assignments, the escalation queues of the groups they review for, and themselves. */
export function wantedTopics(assignments: readonly TopicAssignment[], reviewerGroups: readonly string[], userId: string): string[] {
  const topics = new Set([...assignments.filter(active).map((a) => assignmentTopic(a.id)), ...reviewerGroups.map(reviewsTopic), `user.${userId}`]);
  return [...topics].sort();
}

/**
 * The topics of `wantedTopics` a user may mute, by name: each assignment and
 * each review queue. Their own topic is left out: it carries what is meant for them alone.
 */
export function topicChoices(assignments: ReadonlyArray<TopicAssignment & { name: string }>, reviewerGroups: readonly string[]): TopicChoice[] {
  const choices = new Map<string, TopicChoice>();
  for (const assignment of assignments.filter(active)) choices.set(assignmentTopic(assignment.id), { topic: assignmentTopic(assignment.id), kind: 'assignment', name: assignment.name });
  for (const group of reviewerGroups) choices.set(reviewsTopic(group), { topic: reviewsTopic(group), kind: 'reviews', name: group });
  return [...choices.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export function diffTopics(current: Iterable<string>, wanted: Iterable<string>): { add: string[]; remove: string[] } {
  const have = new Set(current);
  const want = new Set(wanted);
  return { add: [...want].filter((t) => !have.has(t)), remove: [...have].filter((t) => !want.has(t)) };
}

/**
 * Subscribes to what is missing and drops what is stale. `record` gets the set
 * the server confirmed even when some calls failed (the error is thrown after),
 * so the next sync redoes only the rest.
 */
export async function applyTopics(api: PushApi, deviceId: string, current: readonly string[], wanted: readonly string[], record: (topics: Set<string>) => void): Promise<void> {
  const { add, remove } = diffTopics(current, wanted);
  const confirmed = new Set(current);
  const results = await Promise.allSettled([
    ...add.map(async (topic) => {
      await api.putTopic(deviceId, topic);
      confirmed.add(topic);
    }),
    ...remove.map(async (topic) => {
      await api.deleteTopic(deviceId, topic);
      confirmed.delete(topic);
    }),
  ]);
  record(confirmed);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
