import type { ChatMessage } from '../openai/chat-request.ts';
import type { ListedInputItem } from './input-items.ts';
import type { ResponseObject } from './response-object.ts';

/** A stored response: what `GET` answers, what `input_items` lists, what a continuation sends. */
export type KeptResponse = {
  /** The tenant it belongs to: read back only by that tenant. */
  tenantId: string;
  response: ResponseObject;
  /** This request's input items, with ids, in the order sent. */
  inputItems: ListedInputItem[];
  /**
   * The conversation up to and including this response's output, as chat messages, without its
   * instructions (a continuation's own instructions replace them, as OpenAI does).
   */
  history: ChatMessage[];
  /** Unix ms after which it is gone (`responses.ttlSeconds`). */
  expiresAt: number;
};

/**
 * Where responses are stored, per tenant: a Durable Object at the edge, the state store at
 * regional. A lookup by another tenant finds nothing, so it is answered 404 like a missing id.
 */
export interface ResponseStore {
  get(tenantId: string, id: string): Promise<KeptResponse | undefined>;
  put(kept: KeptResponse): Promise<void>;
  /** Whether there was one to delete. */
  delete(tenantId: string, id: string): Promise<boolean>;
}

/**
 * Stored responses in this process, in a bounded map (the oldest goes first when full), expired
 * on read: regional's store while one replica serves, and the tests'.
 */
export const createMemoryResponseStore = (
  capacity = 50_000,
  now: () => number = Date.now,
): ResponseStore & { size(): number } => {
  const entries = new Map<string, KeptResponse>();
  const keyOf = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;
  const live = (key: string): KeptResponse | undefined => {
    const kept = entries.get(key);
    if (kept !== undefined && kept.expiresAt <= now()) entries.delete(key);
    return kept !== undefined && kept.expiresAt > now() ? kept : undefined;
  };
  return {
    async get(tenantId, id) {
      return live(keyOf(tenantId, id));
    },
    async put(kept) {
      const key = keyOf(kept.tenantId, kept.response.id);
      entries.delete(key);
      entries.set(key, kept);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    async delete(tenantId, id) {
      const key = keyOf(tenantId, id);
      const found = live(key) !== undefined;
      entries.delete(key);
      return found;
    },
    size: () => entries.size,
  };
};
