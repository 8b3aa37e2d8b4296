import { sha256Hex } from '@switchback/router-core';

/**
 * The Workflow instance of a tenant's background response: one per tenant and response id (an
 * id under an `idempotency-key` is the key's, so a retried create finds the same instance).
 */
export const instanceIdOf = async (tenantId: string, responseId: string): Promise<string> =>
  `bg_${(await sha256Hex(`${tenantId}\u0000${responseId}`)).slice(0, 40)}`;
