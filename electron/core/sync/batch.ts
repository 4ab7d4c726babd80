/**
 * SQLite commits are synchronous and fsync'd (synchronous=FULL), so thousands
 * of small downloads must not mean thousands of commits. Work queued here is
 * written in one transaction per batch: when it is full, after a short delay,
 * or on `flush`.
 */
export class WriteBatch<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (items: T[]) => void,
    private readonly maxItems = 200,
    private readonly maxDelayMs = 250,
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.write(items);
  }
}
