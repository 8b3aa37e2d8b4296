import type { SessionState } from '@switchback/router-core';

/**
 * Session state of this replica (sticky tier per session when regional is the front door), in a
 * bounded LRU: the least recently used session goes first when it is full. Sessions are keyed
 * by the tenant-namespaced affinity key, never by what the client sent.
 */
export const createSessionStore = (capacity = 50_000) => {
  const sessions = new Map<string, SessionState>();
  return {
    get(key: string): SessionState | undefined {
      const state = sessions.get(key);
      if (state !== undefined) {
        sessions.delete(key);
        sessions.set(key, state);
      }
      return state;
    },
    set(key: string, state: SessionState): void {
      sessions.delete(key);
      sessions.set(key, state);
      if (sessions.size > capacity) {
        const oldest = sessions.keys().next();
        if (!oldest.done) sessions.delete(oldest.value);
      }
    },
    get size(): number {
      return sessions.size;
    },
  };
};

export type SessionStore = ReturnType<typeof createSessionStore>;
