import type { StateConfig } from '@switchback/router-core';
import { guardState } from './guarded-state.ts';
import { createMemoryState } from './memory-state.ts';
import { createRedisState } from './redis/redis-state.ts';
import type { RegionalState } from './state-store.ts';

/** The state store `state` in the config names, with every concern's failure policy applied. */
export const createRegionalState = async (
  config: StateConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<RegionalState> =>
  guardState(config.kind === 'redis' ? await createRedisState(config, env) : createMemoryState());
