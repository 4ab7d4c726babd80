import type { Handlers } from '../kernel/api/router';
import type { EscalationService } from './service';

export function escalationHandlers(escalations: EscalationService) {
  return {
    'escalations.list': ({ assignmentId }) => escalations.list(assignmentId ?? null),
    'escalations.candidates': ({ assignmentId, query }) => escalations.candidates(assignmentId, query),
    'escalations.ask': (input) => escalations.ask(input),
    'escalations.applyDecision': ({ id }) => escalations.retryApply(id),
  } satisfies Pick<Handlers, 'escalations.list' | 'escalations.candidates' | 'escalations.ask' | 'escalations.applyDecision'>;
}
