import type { RouterConfig } from '@switchback/router-core';
import type { Breakers } from '../../resilience/breaker-registry.ts';

/**
 * `GET /healthz`: 200 while the process serves (a load balancer must not pull a replica because
 * a provider is down); `status` says `degraded` when any breaker is not closed. The front door
 * answers it (`front-door.ts`), on Node's server and through `app.fetch` alike.
 */
export const healthBody = (config: RouterConfig, breakers: Breakers) => {
  const snapshot = breakers.snapshot();
  const degraded = snapshot.some((b) => b.state !== 'closed');
  return { status: degraded ? 'degraded' : 'ok', version: config.version, breakers: snapshot };
};
