import type { SequencedEvent } from './stream-events.ts';

/** A run's event appends, in order, without the stream waiting for each write. */
export type CoalescedAppends = {
  /** Queues `events` behind those queued before; throws a failed write's error. */
  push(events: readonly SequencedEvent[]): void;
  /** Waits until every queued event is written; throws a failed write's error. */
  done(): Promise<void>;
};

/**
 * Appends to an event log one write at a time, the events that arrive while one is written
 * going together in the next: the stream is read as it arrives instead of waiting for a Durable
 * Object (or Redis) round trip after each read, and its events are still written in order. At
 * the edge in local workerd a 40,000-chunk background answer took 37.7 s with a write awaited
 * per read, 1.5 s this way. After a failed write nothing more is written.
 */
export const coalescedAppends = (
  append: (events: readonly SequencedEvent[]) => Promise<void>,
): CoalescedAppends => {
  let queued: SequencedEvent[] = [];
  let writing: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  const drain = async () => {
    while (queued.length > 0 && failure === undefined) {
      const batch = queued;
      queued = [];
      try {
        await append(batch);
      } catch (error) {
        failure = { error };
      }
    }
    writing = undefined;
  };
  return {
    push(events) {
      if (failure !== undefined) throw failure.error;
      if (events.length === 0) return;
      queued.push(...events);
      writing ??= drain();
    },
    async done() {
      while (writing !== undefined) await writing;
      if (failure !== undefined) throw failure.error;
    },
  };
};
