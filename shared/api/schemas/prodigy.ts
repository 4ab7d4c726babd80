import { z } from 'zod';

/** The Prodigy the app runs, as Settings shows it. */
export const ProdigyInfo = z.strictObject({
  /** The command from Settings that was checked. */
  command: z.string(),
  /** As `prodigy stats` reports it; null when it could not be run. */
  version: z.string().nullable(),
  minimum: z.string(),
  /** Null when unknown (not checked, not runnable, or an unreadable version). */
  supported: z.boolean().nullable(),
  /** What it means, in words: supported, too old (and what to do), or why it could not be checked. */
  message: z.string(),
  checkedAt: z.string().nullable(),
  /** The user's own prodigy.json and PRODIGY_CONFIG_OVERRIDES, as sessions use them. */
  userConfig: z.strictObject({
    file: z.string(),
    found: z.boolean(),
    /** Settings taken into every session (themes, batch size, …). */
    kept: z.array(z.string()),
    /** Settings the app decides instead (database, host, port, routing, instant_submit, …). */
    ignored: z.array(z.string()),
    problems: z.array(z.string()),
  }),
});
export type ProdigyInfo = z.infer<typeof ProdigyInfo>;
