import { useEffect, useState } from 'react';

/** The time, for "due in …" and "2 minutes ago", ticking every 30 seconds while shown. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}
