import type { Handlers } from '../kernel/api/router';
import type { ReviewService } from './service';

export function reviewHandlers(reviews: ReviewService) {
  return {
    'reviews.list': (filter) => reviews.list(filter),
    'reviews.refresh': async () => {
      await reviews.refresh();
      return reviews.list({ state: 'open', due: 'any' });
    },
    'reviews.open': ({ id }) => reviews.open(id),
    'reviews.decide': (input) => reviews.decide(input),
    'reviews.approveMany': (input) => reviews.approveMany(input),
  } satisfies Pick<Handlers, 'reviews.list' | 'reviews.refresh' | 'reviews.open' | 'reviews.decide' | 'reviews.approveMany'>;
}
