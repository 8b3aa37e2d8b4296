import { findTenantByKeyHash } from '../config/find-tenant.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';

// Token68 characters, as RFC 7235 allows in a bearer credential; anything else is malformed.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/;

const refuse = (message: string) => new RouterError('invalid_api_key', message);

/**
 * The key of `authorization: Bearer <key>`, the same at both doors: the scheme spelled
 * `Bearer`, the key in token68 characters; a missing or malformed header is a 401 saying which.
 */
export const bearerKey = (header: string | null | undefined): string => {
  if (header == null || header.trim() === '') {
    throw refuse(
      'You did not provide an API key. Send it as a bearer token: "Authorization: Bearer <key>".',
    );
  }
  const key = BEARER.exec(header)?.[1];
  if (key === undefined) {
    throw refuse('The Authorization header is malformed; expected "Bearer <key>".');
  }
  return key;
};

/**
 * The tenant and key id of a key's SHA-256 (each door hashes with its runtime's fastest
 * SHA-256), or a 401: unknown, or revoked (said so, so an operator's rotated key is told apart
 * from a typo).
 */
export const tenantOfKey = (
  config: RouterConfig,
  keyHash: string,
): { tenant: TenantConfig; keyId: string } => {
  const match = findTenantByKeyHash(config, keyHash);
  if (match === undefined) throw refuse('Incorrect API key provided.');
  if (match.key.revoked) throw refuse('This API key has been revoked.');
  return { tenant: match.tenant, keyId: match.key.id };
};
