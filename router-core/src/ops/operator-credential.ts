import { bearerKey } from '../auth/api-key.ts';
import { findOperatorByKeyHash } from '../config/find-operator.ts';
import type { RouterConfig } from '../config/schema.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { RouterError } from '../errors/router-error.ts';

/**
 * The operator an `authorization: Bearer <credential>` names (the config's `operators`, never a
 * tenant key), the same at both doors; 401 `invalid_api_key` otherwise.
 */
export const operatorOfAuthorization = async (
  config: RouterConfig,
  authorization: string | null | undefined,
): Promise<string> => {
  let key: string;
  try {
    key = bearerKey(authorization);
  } catch {
    key = '';
  }
  const operator = key === '' ? undefined : findOperatorByKeyHash(config, await sha256Hex(key));
  if (operator === undefined) {
    throw new RouterError('invalid_api_key', 'An operator credential is required.');
  }
  return operator.id;
};
