import type { RouterConfig } from '@switchback/router-core';
import { type RegionalServer, startRegionalServer } from '../../start-regional-server.ts';
import { guardState } from '../guarded-state.ts';
import { createRedisState } from '../redis/redis-state.ts';
import type { RegionalState } from '../state-store.ts';
import { type RedisServer, startRedisServer } from './redis-server.ts';

export type ReplicasOnRedis = {
  redis: RedisServer;
  /** Each replica's guarded state, in replica order. */
  states: RegionalState[];
  replicas: RegionalServer[];
  /** Closes the replicas and their states, then stops the redis-server (by its pid). */
  close(): Promise<void>;
};

/**
 * `count` regional servers in this process on one throwaway redis-server, each with a Redis
 * state of its own (as separate replicas have), guarded with the concerns' policies.
 */
export const startReplicasOnRedis = async (
  config: RouterConfig,
  { count = 2, keyPrefix = 'test:', timeoutMs = 200 } = {},
): Promise<ReplicasOnRedis> => {
  const redis = await startRedisServer();
  const states: RegionalState[] = [];
  const replicas: RegionalServer[] = [];
  for (let i = 0; i < count; i++) {
    const state = guardState(
      await createRedisState({
        kind: 'redis',
        url: redis.url,
        timeoutMs,
        keyPrefix,
        breakers: 'local',
      }),
    );
    states.push(state);
    replicas.push(await startRegionalServer({ config, port: 0, env: {}, state }));
  }
  return {
    redis,
    states,
    replicas,
    async close() {
      for (const replica of replicas) await replica.close();
      for (const state of states) await state.close();
      await redis.stop();
    },
  };
};
