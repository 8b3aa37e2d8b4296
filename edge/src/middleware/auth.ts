import {
  findTenantByKeyHash,
  type RouterConfig,
  RouterError,
  sha256Hex,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

export type AuthOptions = { config: RouterConfig };

// Token68 characters, as RFC 7235 allows in a bearer credential; anything else is malformed.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/;

const refuse = (message: string) => new RouterError('invalid_api_key', message);

/**
 * `authorization: Bearer <key>` → tenant. Only the SHA-256 of the key is compared (the config
 * stores hashes, compared in constant time); the key itself is never kept, logged or forwarded.
 */
export const auth = ({ config }: AuthOptions): MiddlewareHandler<AppEnv> =>
  async function auth(c, next) {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') {
      throw refuse(
        'You did not provide an API key. Send it as a bearer token: "Authorization: Bearer <key>".',
      );
    }
    const key = BEARER.exec(header)?.[1];
    if (key === undefined) {
      throw refuse('The Authorization header is malformed; expected "Bearer <key>".');
    }
    const match = findTenantByKeyHash(config, await sha256Hex(key));
    if (match === undefined) throw refuse('Incorrect API key provided.');
    if (match.key.revoked) throw refuse('This API key has been revoked.');
    c.set('tenant', match.tenant);
    c.set('keyId', match.key.id);
    await next();
  };
