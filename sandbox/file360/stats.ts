/** Counters the tests assert on: what the sandbox was asked and what it actually sent. */
export interface SandboxStats {
  /** Requests per route, keyed `METHOD /pattern` (e.g. `GET /file360/v1/files/:id/content`). */
  requests: Record<string, number>;
  /** Content requests (GET and HEAD) per file id. */
  contentRequests: Record<string, number>;
  /** Content body bytes written to sockets per file id, after faults. */
  contentBytes: Record<string, number>;
  /** Every `Range` header received per file id, in order (requests without one are not listed). */
  rangeHeaders: Record<string, string[]>;
  /** Successful refresh_token grants. */
  tokenRefreshes: number;
  /** Bytes of generated content hashed by this process (0 after a restart that found its state). */
  hashedBytes: number;
}

export class StatsRecorder {
  private data: SandboxStats = StatsRecorder.empty();

  private static empty(): SandboxStats {
    return { requests: {}, contentRequests: {}, contentBytes: {}, rangeHeaders: {}, tokenRefreshes: 0, hashedBytes: 0 };
  }

  request(route: string): void {
    this.data.requests[route] = (this.data.requests[route] ?? 0) + 1;
  }

  contentRequest(fileId: string, range: string | undefined): void {
    this.data.contentRequests[fileId] = (this.data.contentRequests[fileId] ?? 0) + 1;
    if (range !== undefined) (this.data.rangeHeaders[fileId] ??= []).push(range);
  }

  contentBytes(fileId: string, bytes: number): void {
    this.data.contentBytes[fileId] = (this.data.contentBytes[fileId] ?? 0) + bytes;
  }

  tokenRefreshed(): void {
    this.data.tokenRefreshes += 1;
  }

  hashed(bytes: number): void {
    this.data.hashedBytes += bytes;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = StatsRecorder.empty();
  }
}
