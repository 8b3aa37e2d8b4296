import type { RouterConfig } from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../env.ts';
import type { Breaker } from '../regional/breaker.ts';

export type HealthzOptions = { config: RouterConfig; breaker: Breaker };

/** `GET /healthz`: up, which config, and this isolate's view of regional. */
export const healthz = ({ config, breaker }: HealthzOptions): Handler<AppEnv> =>
  function healthz(c) {
    return c.json({ status: 'ok', config: config.version, regional: breaker.state });
  };
