import { useEffect, useState } from 'react';
import type { AssignmentSummary } from '../../../../shared/api/schemas/assignments';
import { errorMessage } from '../../client';
import { useApp, useClient } from '../../store';

/**
 * The assignment list, re-read whenever the app says it changed; with
 * `followSessions`, also when a session's answers move (its progress column),
 * once per burst.
 */
export function useAssignments({ followSessions = false } = {}): { assignments: AssignmentSummary[] | null; error: string | null } {
  const client = useClient();
  const version = useApp((state) => state.assignmentsVersion);
  const [answered, setAnswered] = useState(0);
  const [assignments, setAssignments] = useState<AssignmentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!followSessions) return undefined;
    let timer: number | null = null;
    const stop = client.on('sessions.changed', () => {
      if (timer === null) {
        timer = window.setTimeout(() => {
          timer = null;
          setAnswered((n) => n + 1);
        }, 300);
      }
    });
    return () => {
      stop();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [client, followSessions]);
  useEffect(() => {
    let current = true;
    client.call('assignments.list').then(
      (list) => current && (setAssignments(list), setError(null)),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [client, version, answered]);
  return { assignments, error };
}

/** A clock for countdowns that ticks once a minute. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}
