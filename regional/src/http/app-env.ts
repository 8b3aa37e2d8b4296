import type { Caller } from '../auth/caller.ts';
import type { RequestRecord } from './request-record.ts';

/** Hono's typed context for the regional app: `c.var.*` is checked, not cast. */
export type AppEnv = {
  Variables: {
    record: RequestRecord;
    caller: Caller;
  };
};
