import type { Checkpoint, CheckpointScope, CheckpointStore } from './checkpoint-store.ts';

const keyOf = (scope: CheckpointScope): string => `${scope.tenantId}\u0000${scope.session}`;

/**
 * Checkpoints in this process, in a bounded LRU (the least recently used session goes first):
 * regional's store while one replica serves, and the tests'.
 */
export const createMemoryCheckpointStore = (
  capacity = 50_000,
): CheckpointStore & { size(): number } => {
  const entries = new Map<string, Checkpoint>();
  return {
    async get(scope) {
      const key = keyOf(scope);
      const checkpoint = entries.get(key);
      if (checkpoint !== undefined) {
        entries.delete(key);
        entries.set(key, checkpoint);
      }
      return checkpoint;
    },
    async put(scope, checkpoint) {
      const key = keyOf(scope);
      entries.delete(key);
      entries.set(key, checkpoint);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    size: () => entries.size,
  };
};
