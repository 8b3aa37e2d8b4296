import { hmacSha256Hex } from '../crypto/hmac.ts';

/**
 * The tenant-namespaced affinity key: hex HMAC-SHA256 of `tenant:session` under `secret`, so two
 * tenants never share a key and the client's session id never leaves the router.
 */
export const affinityKey = (
  tenantId: string,
  sessionKey: string,
  secret: string,
): Promise<string> =>
  // Tenant ids cannot contain ":", so the message is unambiguous.
  hmacSha256Hex(secret, `${tenantId}:${sessionKey}`);
