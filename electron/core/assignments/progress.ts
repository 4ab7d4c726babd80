import { performance } from 'node:perf_hooks';

export interface ProgressSnapshot {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds of network traffic. */
  rateBytesPerSecond: number;
  etaSeconds: number | null;
}

const WINDOW_MS = 5000;

/**
 * Counts one sync run. Bytes resumed from disk count as done but not as
 * speed, so the rate (and the ETA from it) is what the network delivers.
 */
export class ProgressTracker {
  private filesDone = 0;
  private doneBytes = 0;
  private readonly inFlight = new Map<string, number>();
  private networkBytes = 0;
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  constructor(
    private readonly filesTotal: number,
    private readonly bytesTotal: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  file(id: string, bytesOfFile: number): void {
    const before = this.inFlight.get(id);
    if (before !== undefined && bytesOfFile > before) this.networkBytes += bytesOfFile - before;
    this.inFlight.set(id, bytesOfFile);
  }

  fileDone(id: string, size: number): void {
    this.inFlight.delete(id);
    this.filesDone += 1;
    this.doneBytes += size;
  }

  fileFailed(id: string): void {
    this.inFlight.delete(id);
  }

  private sample(): void {
    const at = this.now();
    this.samples.push({ at, bytes: this.networkBytes });
    while (this.samples.length > 2 && (this.samples[0]?.at ?? at) < at - WINDOW_MS) this.samples.shift();
  }

  /** Sampled here, at most as often as progress is shown, not on every network chunk. */
  snapshot(): ProgressSnapshot {
    this.sample();
    let inFlight = 0;
    for (const bytes of this.inFlight.values()) inFlight += bytes;
    const bytesDone = Math.min(this.bytesTotal, this.doneBytes + inFlight);
    const first = this.samples[0];
    const last = this.samples.at(-1);
    const seconds = first && last ? (last.at - first.at) / 1000 : 0;
    const rate = seconds > 0.2 && first && last ? (last.bytes - first.bytes) / seconds : 0;
    const remaining = this.bytesTotal - bytesDone;
    return {
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      bytesDone,
      bytesTotal: this.bytesTotal,
      rateBytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.ceil(remaining / rate) : remaining === 0 ? 0 : null,
    };
  }
}
