import { constantTimeEqual } from '../signing/constant-time-equal.ts';
import { findTenantByKeyHash } from './find-tenant.ts';
import type { RouterConfig } from './schema.ts';

/**
 * The operator whose stored key hash is `sha256hex` (the hash of the presented credential), not
 * revoked. A credential that is also a tenant's key is no operator's: the two never mix.
 */
export const findOperatorByKeyHash = (
  config: RouterConfig,
  sha256hex: string,
): { id: string } | undefined => {
  const hash = sha256hex.toLowerCase();
  if (findTenantByKeyHash(config, hash) !== undefined) return undefined;
  const operator = config.operators.find((o) => constantTimeEqual(o.sha256, hash));
  return operator === undefined || operator.revoked ? undefined : { id: operator.id };
};
