import type { Handler } from 'hono';
import type { RouterMetrics } from '../../metrics/router-metrics.ts';
import type { AppEnv } from '../app-env.ts';

/** `GET /metrics`: Prometheus text. */
export const metricsRoute = (metrics: RouterMetrics): Handler<AppEnv> =>
  async function metricsRoute(c) {
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': metrics.registry.contentType });
  };
