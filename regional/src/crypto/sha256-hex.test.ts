import { auditIntent, auditIntentWith, auditTools, auditToolsWith } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { sha256HexSync } from './sha256-hex.ts';

const request = {
  model: 'auto',
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'first ask' },
    { role: 'assistant' as const, content: 'ok' },
    {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: 'naïve ' },
        { type: 'text' as const, text: 'ask ✓' },
      ],
    },
  ],
};

describe('regional audit hashes on node:crypto', () => {
  it('give the audit event the same intent as router-core WebCrypto', async () => {
    const intent = auditIntentWith(request, sha256HexSync);
    expect(intent).toEqual(await auditIntent(request));
    expect(intent.ask_sha256).toBe(sha256HexSync('naïve ask ✓'));
  });

  it('leave out the ask of a request without a user turn', () => {
    const system = { model: 'm', messages: [{ role: 'system' as const, content: 'x' }] };
    expect(auditIntentWith(system, sha256HexSync)).toEqual({ requested_model: 'm' });
  });

  it('give the same tool argument hashes', async () => {
    const tools = [{ name: 'get_weather', arguments: '{"city":"Köln"}' }, { name: 'lookup_order' }];
    expect(auditToolsWith(tools, sha256HexSync)).toEqual(await auditTools(tools));
  });
});
