import type { StateConfig } from '@switchback/router-core';
import { guardState } from './guarded-state.ts';
import { createMemoryState } from './memory-state.ts';
import type { RegionalState } from './state-store.ts';

/**
 * The state store `state` in the config names, with every concern's failure policy applied. The
 * Redis store (and ioredis, with its command table) is loaded only when the config names it: a
 * replica on in-process state does not pay for it in start-up time or memory.
 */
export const createRegionalState = async (
  config: StateConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<RegionalState> => {
  if (config.kind !== 'redis') return guardState(createMemoryState());
  const { createRedisState } = await import('./redis/redis-state.ts');
  return guardState(await createRedisState(config, env));
};
