import { createHash } from 'node:crypto';
import { findOperatorByKeyHash, type RouterConfig, RouterError } from '@switchback/router-core';

/**
 * The operator an `authorization: Bearer <credential>` names (the config's `operators`, never a
 * tenant key); 401 `invalid_api_key` otherwise.
 */
export const operatorOf = (config: RouterConfig, authorization: string | undefined): string => {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const operator =
    key === undefined
      ? undefined
      : findOperatorByKeyHash(config, createHash('sha256').update(key).digest('hex'));
  if (operator === undefined) {
    throw new RouterError('invalid_api_key', 'An operator credential is required.');
  }
  return operator.id;
};
