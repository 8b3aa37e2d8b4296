import type { Checkpoint, CheckpointScope, CheckpointStore } from '@switchback/router-core';
import type { Redis } from 'ioredis';

/** A checkpoint nobody has used for a day is forgotten, as its session is. */
const CHECKPOINT_TTL_MS = 24 * 60 * 60 * 1000;

const isCheckpoint = (value: unknown): value is Checkpoint => {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.tenantId === 'string' &&
    typeof c.session === 'string' &&
    typeof c.coveredMessages === 'number' &&
    typeof c.coveredTurns === 'number' &&
    typeof c.hash === 'string' &&
    typeof c.summary === 'string' &&
    typeof c.model === 'string' &&
    typeof c.createdAt === 'number'
  );
};

/**
 * Checkpoints in Redis, one key per tenant and session (`checkpoint:{<tenant>}:<session>`, the
 * tenant a hash tag), so every replica compacts a session from the same checkpoint. A value that
 * is not a checkpoint reads as none (compaction makes a new one).
 */
export const createRedisCheckpointStore = (client: Redis, prefix: string): CheckpointStore => {
  const keyOf = (scope: CheckpointScope) =>
    `${prefix}checkpoint:{${scope.tenantId}}:${scope.session}`;
  return {
    async get(scope) {
      const json = await client.get(keyOf(scope));
      if (json === null) return undefined;
      try {
        const parsed: unknown = JSON.parse(json);
        return isCheckpoint(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async put(scope, checkpoint) {
      await client.set(keyOf(scope), JSON.stringify(checkpoint), 'PX', CHECKPOINT_TTL_MS);
    },
  };
};
