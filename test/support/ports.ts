import type { Clock, Logger, LogFields, Notifier, Opener, Ports, SessionViewer, ViewerClosed } from '../../electron/core/kernel/ports';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import type { NotificationPayload } from '../../shared/api/schemas/app';

/** Time that only moves when the test says so; timers fire in order as it advances. */
export class ManualClock implements Clock {
  private current: number;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;

  constructor(start = '2026-11-22T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(callback: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.current + ms, callback, id });
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = due.at;
      due.callback();
    }
    this.current = target;
  }
}

export interface LogLine {
  level: string;
  message: string;
  fields?: LogFields;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function recordingNotifier(): Notifier & { shown: NotificationPayload[] } {
  const shown: NotificationPayload[] = [];
  return { shown, show: (n) => shown.push(n) };
}

export function recordingOpener(): Opener & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    openExternal: async (url) => {
      opened.push(url);
    },
  };
}

export type ViewerTarget = Parameters<SessionViewer['open']>[0];

/** Records what the app asked to show; tests then talk to Prodigy with the credentials it was given. */
export function recordingViewer(): SessionViewer & { opened: ViewerTarget[]; closed: Array<[string, ViewerClosed]> } {
  const opened: ViewerTarget[] = [];
  const closed: Array<[string, ViewerClosed]> = [];
  return {
    opened,
    closed,
    open: async (target) => {
      opened.push(target);
      return target.url;
    },
    close: (assignmentId, why = 'stopped') => closed.push([assignmentId, why]),
  };
}

function defaultPorts() {
  return {
    clock: new ManualClock(),
    logger: recordingLogger(),
    notifier: recordingNotifier(),
    opener: recordingOpener(),
    secrets: new MemorySecretStore({ kind: 'memory', detail: 'test secrets in memory' }),
    viewer: recordingViewer(),
  };
}

export type TestPorts<O extends Partial<Ports> = Record<never, never>> = Omit<ReturnType<typeof defaultPorts>, keyof O> & O;

/** Ports for a core under test: controllable time, memory secrets, everything recorded; overrides keep their own types. */
export function testPorts<O extends Partial<Ports> = Record<never, never>>(overrides: O = {} as O): TestPorts<O> {
  return { ...defaultPorts(), ...overrides };
}
