import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test/example-config.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { findTenantByKeyHash } from './find-tenant.ts';

describe('findTenantByKeyHash', () => {
  it.each([
    { key: 'sk-local-demo', tenant: 'demo', keyId: 'demo-local', revoked: false },
    { key: 'sk-local-revoked', tenant: 'demo', keyId: 'demo-revoked', revoked: true },
    { key: 'sk-local-acme', tenant: 'acme', keyId: 'acme-local', revoked: false },
  ])('finds the tenant of $key', async ({ key, tenant, keyId, revoked }) => {
    const match = findTenantByKeyHash(exampleConfig, await sha256Hex(key));
    expect(match?.tenant.id).toBe(tenant);
    expect(match?.key).toEqual({ id: keyId, revoked });
  });

  it('finds nobody for an unknown key', async () => {
    expect(findTenantByKeyHash(exampleConfig, await sha256Hex('sk-nope'))).toBeUndefined();
  });

  it('accepts the hash in upper case too', async () => {
    const hash = (await sha256Hex('sk-local-acme')).toUpperCase();
    expect(findTenantByKeyHash(exampleConfig, hash)?.tenant.id).toBe('acme');
  });
});

describe('sha256Hex', () => {
  it('hashes UTF-8 text to lowercase hex', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
