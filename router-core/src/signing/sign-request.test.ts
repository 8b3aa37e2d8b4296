import { describe, expect, it } from 'vitest';
import { canonicalString, signRequest, verifyRequest } from './sign-request.ts';

const parts = {
  method: 'POST',
  path: '/v1/chat/completions',
  timestamp: 1_780_000_000_000,
  nonce: '0b0e7a52-58c1-4e8e-9c1e-3f5d2a0c9b11',
  body: '{"model":"auto","messages":[{"role":"user","content":"hi"}]}',
  context: 'eyJ0ZW5hbnRJZCI6ImRlbW8ifQ',
};

describe('signRequest / verifyRequest', () => {
  it('signs the canonical string method\\npath\\ntimestamp\\nnonce\\nsha256(body)\\ncontext', async () => {
    expect(await canonicalString(parts)).toBe(
      [
        'POST',
        '/v1/chat/completions',
        '1780000000000',
        parts.nonce,
        // `printf %s "$body" | sha256sum`
        'a1e7acdecacdd3268902db8cd089e055d7696e38c41d0ffe29ff491e4890a071',
        parts.context,
      ].join('\n'),
    );
  });

  it('produces the HMAC-SHA256 that openssl computes over the canonical string', async () => {
    // `printf %s "$canonical" | openssl dgst -sha256 -hmac secret`
    expect(await signRequest('secret', parts)).toBe(
      '0daad3aff8a5d0f1f655c37bf7508c80fc79826c2ac0ff2ca8623b7b481df50b',
    );
  });

  it('accepts its own signature, bare or as the v1= header value', async () => {
    const signature = await signRequest('secret', parts);
    expect(await verifyRequest('secret', parts, signature)).toBe(true);
    expect(await verifyRequest('secret', parts, `v1=${signature}`)).toBe(true);
  });

  it.each([
    ['another secret', { secret: 'other' }],
    ['a changed body', { body: `${parts.body} ` }],
    ['a changed path', { path: '/v1/models' }],
    ['a changed method', { method: 'PUT' }],
    ['a changed timestamp', { timestamp: parts.timestamp + 1 }],
    ['a changed nonce', { nonce: 'another' }],
    ['a changed context', { context: `${parts.context}x` }],
  ])('rejects the signature under %s', async (_label, change) => {
    const signature = await signRequest('secret', parts);
    const { secret = 'secret', ...rest } = change as { secret?: string } & Partial<typeof parts>;
    expect(await verifyRequest(secret, { ...parts, ...rest }, signature)).toBe(false);
  });

  it('rejects malformed signatures and an empty secret without throwing', async () => {
    const signature = await signRequest('secret', parts);
    expect(await verifyRequest('secret', parts, '')).toBe(false);
    expect(await verifyRequest('secret', parts, `v2=${signature}`)).toBe(false);
    expect(await verifyRequest('secret', parts, signature.toUpperCase())).toBe(false);
    expect(await verifyRequest('', parts, signature)).toBe(false);
    await expect(signRequest('', parts)).rejects.toThrow(/empty/);
  });
});
