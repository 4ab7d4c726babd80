import { EmptyState, Page } from '../../components/Page';

export function ReviewsView() {
  return (
    <Page title="Reviews" subtitle="Items escalated to you as a subject-matter expert.">
      <EmptyState icon="reviews" title="No items to review">
        <p>When an annotator escalates an item to one of your reviewer groups, it appears here with the competing labels and their note.</p>
      </EmptyState>
    </Page>
  );
}
