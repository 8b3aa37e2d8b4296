import type { GatewayCache } from './gateway/gateway-cache.ts';
import type { Timing } from './sim-options.ts';
import type { FaultStore } from './state/fault-store.ts';
import type { PrefixCache } from './state/prefix-cache.ts';
import type { RequestLog } from './state/request-log.ts';
import type { Stats } from './state/stats.ts';

/** The simulator's mutable state, shared by all routes of one instance. */
export interface SimState {
  timing: Timing;
  faults: FaultStore;
  stats: Stats;
  log: RequestLog;
  cache: PrefixCache;
  /** The AI Gateway's response cache (`cf-aig-cache-ttl`). */
  gatewayCache: GatewayCache;
}
