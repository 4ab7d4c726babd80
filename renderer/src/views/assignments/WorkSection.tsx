import type { AssignmentDetail } from '../../../../shared/api/schemas/assignments';

/** Exports, escalations and the decisions that came back, for one assignment. */
export function WorkSection(_props: { assignment: AssignmentDetail }) {
  return null;
}
