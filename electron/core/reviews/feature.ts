import { coalesced } from '../kernel/bus';
import type { Core, Feature } from '../services/feature';
import { reviewHandlers } from './review-handlers';
import { ReviewService } from './service';

/** Escalations for a reviewer: fetched, claimed and decided, each decision sent through the outbox. */
export function reviewsFeature(core: Core): Feature {
  const reviews = new ReviewService({
    data: core.data,
    store: core.store,
    outbox: core.outbox,
    clock: core.clock,
    logger: core.logger,
    connection: () => {
      const current = core.connection();
      const user = core.file360.user();
      return current && user ? { ...current, displayName: user.displayName } : null;
    },
    changed: () => core.events.emit('reviews.changed', {}),
  });
  const refresh = coalesced(
    async () => {
      if (!core.usableConnection()) return;
      await reviews.refresh();
      core.bus.emit('reviews.refreshed', {});
    },
    (error) => core.logger.info('the review list was not brought up to date', { error }),
  );
  core.bus.on('file360.due', refresh);
  core.bus.on('push.received', ({ types }) => {
    if (types.has('review.requested')) refresh();
  });
  return {
    handlers: reviewHandlers(reviews),
    outboxKinds: { decision: reviews.outboxKind() },
    wipeSteps: [reviews.wipeStep()],
  };
}
