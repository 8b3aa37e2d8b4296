import type { RouterConfig } from '@switchback/router-core';
import type { Handler } from 'hono';
import type { Breakers } from '../../resilience/breaker-registry.ts';
import type { AppEnv } from '../app-env.ts';

/**
 * `GET /healthz`: 200 while the process serves (a load balancer must not pull a replica because
 * a provider is down); `status` says `degraded` when any breaker is not closed.
 */
export const healthBody = (config: RouterConfig, breakers: Breakers) => {
  const snapshot = breakers.snapshot();
  const degraded = snapshot.some((b) => b.state !== 'closed');
  return { status: degraded ? 'degraded' : 'ok', version: config.version, breakers: snapshot };
};

/** `GET /healthz` for `app.fetch` (Node's server answers it at the front door, `front-door.ts`). */
export const healthz = (config: RouterConfig, breakers: Breakers): Handler<AppEnv> =>
  function healthz(c) {
    return c.json(healthBody(config, breakers));
  };
