import { bearerKey, type RouterConfig, sha256Hex, tenantOfKey } from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { jobCallerOf } from '../workflows/job-callers.ts';

export type AuthOptions = { config: RouterConfig };

/**
 * `authorization: Bearer <key>` → tenant, by router-core's one policy (`bearerKey`,
 * `tenantOfKey`). Only the SHA-256 of the key is compared (the config stores hashes, compared in
 * constant time); the key itself is never kept, logged or forwarded.
 */
export const auth = ({ config }: AuthOptions): MiddlewareHandler<AppEnv> =>
  async function auth(c, next) {
    // A background run's own request is served as the key that queued it (job-callers.ts).
    const { tenant, keyId } =
      jobCallerOf(config, c.req.raw) ??
      tenantOfKey(config, await sha256Hex(bearerKey(c.req.header('authorization'))));
    c.set('tenant', tenant);
    c.set('keyId', keyId);
    await next();
  };
