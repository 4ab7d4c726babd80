/**
 * SQLite commits are synchronous and fsync'd (synchronous=FULL), so thousands
 * of small downloads must not mean thousands of commits. Work queued here is
 * written in one transaction per batch: when it is full, after a short delay,
 * or on `flush`. A write that fails on the timer is kept and thrown to the
 * next caller, never into the event loop.
 */
export class WriteBatch<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly write: (items: T[]) => void,
    private readonly maxItems = 200,
    private readonly maxDelayMs = 250,
  ) {}

  add(item: T): void {
    this.rethrow();
    this.items.push(item);
    if (this.items.length >= this.maxItems) this.flush();
    else
      this.timer ??= setTimeout(() => {
        try {
          this.flush();
        } catch (error) {
          this.failure = { error };
        }
      }, this.maxDelayMs);
  }

  flush(): void {
    this.rethrow();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.write(items);
  }

  private rethrow(): void {
    if (!this.failure) return;
    const { error } = this.failure;
    this.failure = null;
    throw error;
  }
}
