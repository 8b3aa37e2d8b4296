import { describe, expect, it } from 'vitest';
import { affinityKey } from './affinity-key.ts';

describe('affinityKey', () => {
  it('is the HMAC-SHA256 of tenant and session under the secret', async () => {
    // HMAC-SHA256(key="secret", "demo:session-1"), computed independently with openssl.
    expect(await affinityKey('demo', 'session-1', 'secret')).toBe(
      '6ba6f94a7a98cb622a3b4141873a7b1306db4ae9aaccc5b817855fde461c6bde',
    );
  });

  it('gives two tenants with the same session id different keys', async () => {
    const a = await affinityKey('demo', 'session-1', 'secret');
    const b = await affinityKey('acme', 'session-1', 'secret');
    expect(a).not.toBe(b);
  });

  it('is stable for the same tenant and session, and changes with the secret', async () => {
    expect(await affinityKey('demo', 's', 'k1')).toBe(await affinityKey('demo', 's', 'k1'));
    expect(await affinityKey('demo', 's', 'k1')).not.toBe(await affinityKey('demo', 's', 'k2'));
  });
});
