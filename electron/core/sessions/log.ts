import type { LogLine } from '../../../shared/api/schemas/sessions';
import { readable } from '../services/prodigy/text';

const MAX_LINES = 1000;
const MAX_LINE_CHARS = 2000;

/** The last lines Prodigy printed, bounded in lines and line length, for the Sessions view and error messages. */
export class BoundedLog {
  private readonly lines: LogLine[] = [];
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly now: () => Date) {}

  /** Feeds raw output; complete lines are kept (without colour codes), the rest waits for its newline. */
  write(stream: 'stdout' | 'stderr', chunk: string): LogLine[] {
    const text = this.partial[stream] + chunk;
    const parts = text.split(/\r?\n/);
    this.partial[stream] = parts.pop() ?? '';
    return parts.map((line) => this.add(stream, readable(line)));
  }

  add(stream: LogLine['stream'], text: string): LogLine {
    const line = { at: this.now().toISOString(), stream, text: text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text };
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
    return line;
  }

  all(): LogLine[] {
    return [...this.lines];
  }

  tail(count: number): string {
    return this.lines
      .slice(-count)
      .map((line) => line.text)
      .join('\n');
  }
}
