/** How long quitting waits for a command under way before stopping it. */
export const QUIT_WAIT_MS = 15_000;

/**
 * Waits for `work` to end; past `waitMs` it is told to stop (through `stop`)
 * and waited for once more, so quitting neither cuts a write short nor hangs
 * on a command that never ends.
 */
export async function settleOrStop(work: Promise<unknown>, waitMs: number, stop: AbortController): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  const first = await Promise.race([work.then(() => 'ended', () => 'ended'), late]);
  clearTimeout(timer);
  if (first === 'late') {
    stop.abort();
    await work.catch(() => undefined);
  }
}
