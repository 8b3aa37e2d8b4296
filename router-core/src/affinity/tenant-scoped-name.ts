/**
 * The name of a per-tenant object (idempotency record, quota meter): `tenant:name`. Tenant ids
 * cannot contain ":" (the config schema refuses them), so two tenants never share a name.
 */
export const tenantScopedName = (tenantId: string, name: string): string => `${tenantId}:${name}`;
