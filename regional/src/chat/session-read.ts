import {
  affinityKey,
  type ChatCompletionRequest,
  type SessionState,
  sessionKeyOf,
} from '@switchback/router-core';
import type { SessionStateStore } from '../state/state-store.ts';

/** A front-door request's session: its tenant-namespaced key, and the state stored under it. */
export type SessionRead = { sessionId: string | undefined; session: SessionState | undefined };

/**
 * Reads the request's session (none without a session key). Started beside the quota draw, so on
 * Redis the two calls share one round trip's wait instead of adding two. Never rejects: the store
 * is the guarded one, whose reads fail open.
 */
export const readSession = async (
  deps: { sessions: SessionStateStore; affinitySecret: string },
  tenantId: string,
  request: ChatCompletionRequest,
  headers: { get(name: string): string | null },
): Promise<SessionRead> => {
  const sessionKey = sessionKeyOf(request, headers);
  if (sessionKey === undefined) return { sessionId: undefined, session: undefined };
  const sessionId = await affinityKey(tenantId, sessionKey, deps.affinitySecret);
  return { sessionId, session: await deps.sessions.get(sessionId) };
};
