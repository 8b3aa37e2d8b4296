import type { SessionState } from '@switchback/router-core';
import type { Redis } from 'ioredis';
import type { SessionStateStore } from '../state-store.ts';

/** A session nobody has used for a day is forgotten. */
const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export const sessionKey = (prefix: string, sessionId: string): string =>
  `${prefix}session:${sessionId}`;

/** A stored session, or none (`GET`'s nil; the admission script answers '' for it). */
export const sessionOf = (json: string | null): SessionState | undefined =>
  json === null || json === '' ? undefined : (JSON.parse(json) as SessionState);

/** Sessions in Redis as JSON, each with a day's idle TTL. */
export const createRedisSessionStore = (client: Redis, prefix: string): SessionStateStore => ({
  async get(id) {
    return sessionOf(await client.get(sessionKey(prefix, id)));
  },
  async set(id, state) {
    await client.set(sessionKey(prefix, id), JSON.stringify(state), 'PX', SESSION_TTL_MS);
  },
});
