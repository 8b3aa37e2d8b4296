import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileRuns, hostileRunsEnv } from '../../test/hostile/bad-requests.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { affinityKey } from './affinity-key.ts';
import { prefixHint } from './prefix-hint.ts';
import { tenantScopedName } from './tenant-scoped-name.ts';

// Tenant ids as the config schema admits them.
const tenantId = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/);
const twoTenants = fc.uniqueArray(tenantId, { minLength: 2, maxLength: 2 }) as fc.Arbitrary<
  [string, string]
>;
// Session ids and idempotency keys are the client's: any text, colons and odd Unicode included.
const clientText = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[:a-z]{0,12}$/));
const RUNS = hostileRuns(hostileRunsEnv(), 500);

describe('two tenants never share a key', { timeout: 300_000 }, () => {
  it('affinity (and so session) keys', async () => {
    await fc.assert(
      fc.asyncProperty(twoTenants, clientText, clientText, async ([a, b], sa, sb) => {
        expect(await affinityKey(a, sa, 'secret')).not.toBe(await affinityKey(b, sb, 'secret'));
      }),
      { numRuns: RUNS },
    );
  });

  it('idempotency and quota object names', () => {
    fc.assert(
      fc.property(twoTenants, clientText, clientText, ([a, b], ka, kb) => {
        expect(tenantScopedName(a, ka)).not.toBe(tenantScopedName(b, kb));
      }),
      { numRuns: RUNS },
    );
  });

  it('prefix-cache keys, even for the same system prompt and tools', () => {
    const config = { prefix: { headTurns: 2, minTokens: 0 } };
    fc.assert(
      fc.property(twoTenants, fc.string({ minLength: 1, maxLength: 200 }), ([a, b], system) => {
        const request = {
          model: 'smart',
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: 'hi' },
          ],
          tools: [{ type: 'function', function: { name: 'get_weather' } }],
        } as ChatCompletionRequest;
        const ka = prefixHint(request, a, config)?.key;
        const kb = prefixHint(request, b, config)?.key;
        expect(ka).toBeDefined();
        expect(ka).not.toBe(kb);
      }),
      { numRuns: RUNS },
    );
  });
});
