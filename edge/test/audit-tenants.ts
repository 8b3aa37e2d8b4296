// Tenants of the audit test alone, so no other test file's requests join their chains. Regional
// (started by node/global-setup.ts) knows them too, so their escalations are served.
import type { RouterConfigInput } from '@switchback/router-core';

export const NORTH_KEY = 'sk-test-audit-north';
export const SOUTH_KEY = 'sk-test-audit-south';
/** The ops test's tenant (operators force its routes and lift its quota). */
export const OPS_KEY = 'sk-test-ops-edge';

type TenantInput = RouterConfigInput['tenants'][number];

const tenant = (id: string, keyId: string, sha256: string): TenantInput => ({
  id,
  class: 'standard',
  keys: [{ id: keyId, sha256 }],
  allowedTiers: ['edge', 'regional'],
  allowedModels: ['*'],
  tools: { default: ['*'] },
});

/** The tenants, in the config's input shape (keys as their SHA-256). */
export const AUDIT_TENANTS: TenantInput[] = [
  tenant(
    'audit-north',
    'audit-north-key',
    '9b02ff3a4b1b0242c77e4ca24611bd8205b9af3071def684f1d94477818da7cd',
  ),
  tenant(
    'audit-south',
    'audit-south-key',
    'ca272d6b1611bbdce5ef77ccb939b6c4b2668328f10bec6e24a589a302440d46',
  ),
  tenant(
    'ops-edge',
    'ops-edge-key',
    '3e5dcbeb6820a6824415b2ad07ecfd5506df119c88440f98a0ea00a8d21ea784',
  ),
];
