import type { SequencedEvent } from './stream-events.ts';

/**
 * A background response's stream events, kept beside it in order (`sequence_number` 0, 1, …) so
 * `GET /v1/responses/{id}?stream=true&starting_after=n` replays them from after `n`.
 */
export interface ResponseEventLog {
  append(
    tenantId: string,
    id: string,
    events: readonly SequencedEvent[],
    ttlMs: number,
  ): Promise<void>;
  /** The events with a sequence number above `after` (-1: all), in order. */
  after(tenantId: string, id: string, after: number): Promise<SequencedEvent[]>;
}

/** The event logs of this process, in a bounded map (the oldest response's go first). */
export const createMemoryEventLog = (
  capacity = 10_000,
  now: () => number = Date.now,
): ResponseEventLog => {
  const logs = new Map<string, { events: SequencedEvent[]; expiresAt: number }>();
  const keyOf = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;
  return {
    async append(tenantId, id, events, ttlMs) {
      const key = keyOf(tenantId, id);
      const log = logs.get(key) ?? { events: [], expiresAt: 0 };
      log.events.push(...events);
      log.expiresAt = now() + ttlMs;
      logs.delete(key);
      logs.set(key, log);
      if (logs.size > capacity) {
        const oldest = logs.keys().next();
        if (!oldest.done) logs.delete(oldest.value);
      }
    },
    async after(tenantId, id, after) {
      const log = logs.get(keyOf(tenantId, id));
      if (log === undefined || log.expiresAt <= now()) return [];
      return log.events.filter((event) => event.sequence_number > after);
    },
  };
};
