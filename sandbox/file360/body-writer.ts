import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Exchange } from './exchange';
import type { Armed, BodyFaults, FaultState } from './faults';
import type { StatsRecorder } from './stats';

/** Resolves when the response can take more, or is gone (also if it went before this was asked: 'close' fires once). */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function closed(res: ServerResponse): Promise<void> {
  return res.closed ? Promise.resolve() : new Promise((resolve) => res.once('close', () => resolve()));
}

function sleepUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  if (res.destroyed || res.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}

/**
 * Resolves once everything written is handed to the kernel, so a reset cannot
 * overtake it. Polled: 'drain' only fires after a write that overflowed.
 */
async function flushed(socket: Socket): Promise<void> {
  while (socket.writableLength > 0 && !socket.destroyed) await new Promise((resolve) => setTimeout(resolve, 2));
}

function invertEvery(chunk: Buffer, offset: number, every: number): Buffer {
  let first = (every - (offset % every)) % every;
  if (first >= chunk.length) return chunk;
  const copy = Buffer.from(chunk);
  for (; first < copy.length; first += every) copy[first] = (copy[first] ?? 0) ^ 0xff;
  return copy;
}

type CutFault = Armed<'stallAfterBytes' | 'resetAfterBytes' | 'truncateAfterBytes'>;

/**
 * Streams a response body with backpressure, counting content bytes, and plays
 * out whichever body faults are armed for this request.
 */
export class BodyWriter {
  constructor(
    private readonly faults: FaultState,
    private readonly stats: StatsRecorder,
  ) {}

  async write(ex: Exchange, source: Buffer | Readable): Promise<void> {
    const { res } = ex;
    const plan = ex.bodyFaults;
    const quiet = !plan.slow && !plan.stall && !plan.reset && !plan.truncate && !plan.wrong;
    if (Buffer.isBuffer(source) && quiet) {
      this.count(ex, source.length);
      res.end(source);
      return;
    }
    const chunks: AsyncIterable<Buffer> | Iterable<Buffer> = Buffer.isBuffer(source) ? [source] : source;
    let sent = 0;
    let slow: number | null = null;
    // Decided once per response, so `times` counts requests, as for every other fault.
    let wrong: boolean | null = null;
    const started = Date.now();

    const put = async (chunk: Buffer) => {
      if (plan.wrong && chunk.length > 0) {
        const altered = invertEvery(chunk, sent, plan.wrong.params.every ?? 65536);
        if (altered !== chunk) {
          wrong ??= this.faults.fire(plan.wrong);
          if (wrong) chunk = altered;
        }
      }
      if (slow === null && plan.slow && chunk.length > 0 && this.faults.fire(plan.slow)) slow = plan.slow.params.bytesPerSecond;
      // A slow body goes out in twentieths of a second's worth, each on schedule.
      const step = slow === null ? chunk.length : Math.max(1, Math.floor(slow / 20));
      for (let at = 0; at < chunk.length && !res.destroyed; at += step) {
        const piece = chunk.subarray(at, at + step);
        if (slow !== null) {
          const due = started + ((sent + piece.length) / slow) * 1000;
          if (due > Date.now()) await sleepUnlessClosed(res, due - Date.now());
        }
        this.count(ex, piece.length);
        sent += piece.length;
        if (!res.write(piece)) await drained(res);
      }
    };

    try {
      for await (const incoming of chunks) {
        let chunk = incoming;
        while (chunk.length > 0) {
          if (res.destroyed) return;
          const cut = this.nextCut(plan);
          if (!cut || sent + chunk.length <= cut.params.bytes) {
            await put(chunk);
            break;
          }
          await put(chunk.subarray(0, cut.params.bytes - sent));
          chunk = chunk.subarray(cut.params.bytes - sent);
          if (this.faults.fire(cut)) return await this.cutOff(res, cut);
        }
      }
      res.end();
    } catch (error) {
      res.destroy(error as Error);
    } finally {
      if (!Buffer.isBuffer(source)) source.destroy();
    }
  }

  /** The armed cut-off fault with the lowest byte count, if any. */
  private nextCut(plan: BodyFaults): CutFault | undefined {
    const armed = [plan.stall, plan.reset, plan.truncate].filter((fault): fault is CutFault => fault !== undefined && this.faults.isArmed(fault));
    return armed.sort((a, b) => a.params.bytes - b.params.bytes)[0];
  }

  private async cutOff(res: ServerResponse, cut: CutFault): Promise<void> {
    const socket = res.socket;
    if (cut.name === 'stallAfterBytes') return closed(res);
    if (cut.name === 'resetAfterBytes') {
      if (!socket) return;
      res.flushHeaders();
      await flushed(socket);
      socket.resetAndDestroy();
      return;
    }
    // Fewer bytes than Content-Length, then FIN: the client must notice on its own.
    res.end(() => socket?.end());
  }

  private count(ex: Exchange, bytes: number): void {
    if (ex.statsFileId !== undefined) this.stats.contentBytes(ex.statsFileId, bytes);
  }
}
