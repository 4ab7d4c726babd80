import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../client';
import { useApp } from '../../store';

/** A list read from the app, read again whenever one of the events says it changed. */
export function useLive<T>(read: () => Promise<T>, subscribe: (reload: () => void) => Array<() => void>): { value: T | null; reload(): void } {
  const toast = useApp((state) => state.toast);
  const [value, setValue] = useState<T | null>(null);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    read().then(
      (next) => mine === generation.current && setValue(next),
      (error: unknown) => mine === generation.current && toast('error', errorMessage(error)),
    );
  }, [read, toast]);
  useEffect(() => {
    reload();
    // Changes come in bursts (an outbox flush): one re-read per burst is enough.
    let timer: number | null = null;
    const soon = () => {
      if (timer === null) timer = window.setTimeout(() => ((timer = null), reload()), 150);
    };
    const stops = subscribe(soon);
    return () => {
      generation.current += 1;
      if (timer !== null) window.clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }, [reload, subscribe]);
  return { value, reload };
}
