import type { Handlers } from '../kernel/api/router';
import type { ProdigyService } from './service';

export function sessionHandlers(prodigy: ProdigyService) {
  return {
    'sessions.list': () => prodigy.list(),
    'sessions.start': ({ assignmentId }) => prodigy.start(assignmentId),
    'sessions.stop': ({ assignmentId }) => prodigy.stop(assignmentId),
    'sessions.open': ({ assignmentId }) => prodigy.open(assignmentId),
    'sessions.log': ({ assignmentId }) => prodigy.log(assignmentId),
    'prodigy.info': () => prodigy.info(),
    'prodigy.check': () => prodigy.info(true),
    'answers.list': (input) => prodigy.answers(input),
  } satisfies Pick<Handlers, 'answers.list' | 'sessions.list' | 'sessions.start' | 'sessions.stop' | 'sessions.open' | 'sessions.log' | 'prodigy.info' | 'prodigy.check'>;
}
