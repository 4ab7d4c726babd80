import { useApp } from '../../store';
import { ReviewItem } from './ReviewItem';
import { ReviewList } from './ReviewList';
import './reviews.css';

/** Reviews: the escalations to decide, or one of them when the route names it. */
export function ReviewsView() {
  const id = useApp((state) => state.route.id);
  // A new id is a new item: its page starts afresh (and claims it).
  return id ? <ReviewItem key={id} id={id} /> : <ReviewList />;
}
