/**
 * Interfaces where the annotator makes the annotation rather than accepting or
 * rejecting a proposed one. Same set as the Prodigy stand-in's MANUAL_VIEWS
 * (sandbox/prodigy/recipes.py), so the app and the review recipe agree on what
 * counts as the same question. In shared/, below the features, since disputes and
 * the Prodigy feature's answers both group answers by it.
 */
export const MANUAL_VIEWS: ReadonlySet<string> = new Set([
  'choice',
  'ner_manual',
  'spans_manual',
  'image_manual',
  'relations',
  'pos_manual',
  'text_input',
  'audio_manual',
  'video_manual',
]);
