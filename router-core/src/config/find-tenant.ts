import type { ApiKeyConfig, RouterConfig, TenantConfig } from './schema.ts';

export type TenantMatch = { tenant: TenantConfig; key: Pick<ApiKeyConfig, 'id' | 'revoked'> };

// One index per config object: configs are immutable once parsed, and hot reload makes a new one.
const indexes = new WeakMap<RouterConfig, Map<string, TenantMatch>>();

const indexOf = (config: RouterConfig): Map<string, TenantMatch> => {
  let index = indexes.get(config);
  if (index === undefined) {
    index = new Map();
    for (const tenant of config.tenants) {
      for (const key of tenant.keys) {
        index.set(key.sha256, { tenant, key: { id: key.id, revoked: key.revoked } });
      }
    }
    indexes.set(config, index);
  }
  return index;
};

/** Same length and same characters, in time that does not depend on where they differ. */
const constantTimeEqual = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
};

/**
 * The tenant and key whose stored hash is `sha256hex` (the hash of the presented key), revoked
 * keys included: the caller decides what a revoked key gets.
 */
export const findTenantByKeyHash = (
  config: RouterConfig,
  sha256hex: string,
): TenantMatch | undefined => {
  const hash = sha256hex.toLowerCase();
  // The lookup is by a hash of the secret, so its timing reveals nothing an attacker can steer;
  // the final comparison is constant-time anyway.
  const match = indexOf(config).get(hash);
  if (match === undefined) return undefined;
  const stored = match.tenant.keys.find((k) => k.id === match.key.id)?.sha256 ?? '';
  return constantTimeEqual(stored, hash) ? match : undefined;
};
