/** Calls `emit` at most once per `intervalMs`, always with the latest state, and never drops the last one. */
export function throttle(emit: () => void, intervalMs: number): { poke(): void; cancel(): void } {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    timer = null;
    last = performance.now();
    emit();
  };
  return {
    poke() {
      if (timer) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
