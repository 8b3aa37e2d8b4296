import { rendezvous } from '@switchback/router-core';

/**
 * The backend a key goes to: its rendezvous choice over all backends while that one is healthy,
 * else its choice over the healthy ones. Because the first choice is made over the full list,
 * a session moves only while its own backend is down, and comes back when it recovers; sessions
 * of healthy backends never move.
 */
export const pickBackend = (
  key: string,
  backends: readonly string[],
  healthy: (backend: string) => boolean,
): string | undefined => {
  const preferred = rendezvous(key, backends);
  if (preferred === undefined || healthy(preferred)) return preferred;
  return rendezvous(key, backends.filter(healthy)) ?? preferred;
};
