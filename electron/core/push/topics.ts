import type { PushApi } from './api';

export interface TopicAssignment {
  id: string;
  status: string;
}

/** CONTRACTS §B topics: the user's active assignments, the escalation queues of the groups they review for, and themselves. */
export function wantedTopics(assignments: readonly TopicAssignment[], reviewerGroups: readonly string[], userId: string): string[] {
  const topics = new Set([
    ...assignments.filter((a) => a.status === 'active').map((a) => `assignment.${a.id}`),
    ...reviewerGroups.map((group) => `escalations.${group}`),
    `user.${userId}`,
  ]);
  return [...topics].sort();
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
