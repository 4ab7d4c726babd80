import type { AnswerProgress } from '../../../../shared/api/schemas/answers';
import { plural } from '../../format';

/** What "in all" counts, said wherever the number is shown: File 360 reports no progress, so only this computer's Prodigy database is known. */
export const IN_ALL_NOTE =
  '“In all” counts the answers this computer’s Prodigy database holds: yours, and other annotators’ where their answers were imported here. Work on other computers that was not imported is not counted.';

/** "You: 6 of 16" and "In all: 9 of 16 by 2 annotators"; null before anything was started or answered. */
export function answerProgressWords(progress: AnswerProgress): { mine: string; all: string } | null {
  if (progress.total === null && progress.all === 0) return null;
  const of = (count: number) => (progress.total === null ? `${count.toLocaleString()} answered` : `${count.toLocaleString()} of ${progress.total.toLocaleString()}`);
  const others = progress.annotators - (progress.mine > 0 ? 1 : 0);
  return {
    mine: `You: ${of(progress.mine)}`,
    all: others <= 0 ? 'In all: only your answers so far' : `In all: ${of(progress.all)} by ${plural(progress.annotators, 'annotator')}`,
  };
}
