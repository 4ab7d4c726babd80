import { z } from 'zod';

const Score = z.number().min(-1).max(1).nullable();

/** The measures Prodigy's metric.iaa.* recipes report; each null where it does not apply or is undefined. */
export const AgreementMeasures = z.strictObject({
  percentAgreement: Score,
  krippendorffAlpha: Score,
  gwetAC2: Score,
  pairwiseF1: Score,
});
export type AgreementMeasures = z.infer<typeof AgreementMeasures>;

/** Inter-annotator agreement over an export's answers (computed as prodi.gy/docs/metrics defines it). */
export const Agreement = z.strictObject({
  /** binary: accept/reject; multiclass/multilabel: choice; spans: ner/spans manual; none: not measured. */
  kind: z.enum(['binary', 'multiclass', 'multilabel', 'spans', 'none']),
  annotators: z.array(z.string()),
  /** Items answered by two annotators or more: the ones agreement is measured on. */
  items: z.int().min(0),
  overall: AgreementMeasures,
  perLabel: z.array(AgreementMeasures.extend({ label: z.string(), items: z.int().min(0) })),
  /** The items that pull agreement down, worst first: the share of annotator pairs that agreed on each. */
  lowest: z.array(z.strictObject({ key: z.string(), text: z.string(), score: z.number().min(0).max(1), annotators: z.int().min(2) })),
  /** What it means, in words. */
  summary: z.string(),
});
export type Agreement = z.infer<typeof Agreement>;

/** The agreement of an assignment's latest export, with when it was measured. */
export const AgreementView = z.strictObject({
  exportId: z.int().positive(),
  measuredAt: z.string(),
  agreement: Agreement,
  /** Question key → the escalation raised for it on this computer, for a way from an item to its review. */
  escalations: z.record(z.string(), z.string()),
});
export type AgreementView = z.infer<typeof AgreementView>;
