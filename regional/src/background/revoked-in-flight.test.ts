import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { endsWithin, harnessForFile, SLOW_LONG_ANSWERS } from '../http/routes/responses-testing.ts';
import { eventually } from '../testing/harness.ts';
import { total } from '../testing/sim-control.ts';
import { testConfig } from '../testing/test-config.ts';

const h = harnessForFile(SLOW_LONG_ANSWERS);
const READER_KEY = 'sk-test-reader';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('a background run whose key is revoked while it runs', () => {
  it('goes on to its end (the key was checked when it started); the key is refused from then on', async () => {
    const queued = await h.client.responses.create({
      model: 'smart',
      input: 'A longer one.',
      max_output_tokens: 32,
      background: true,
    });
    expect(
      await eventually(
        async () => total(await h.control.stats(), 'inFlight', 'openai') === 1,
        10_000,
      ),
    ).toBe(true);
    // The operator revokes the key that queued it (and adds one to read the result with).
    const revoked = testConfig(h.sim.url, {
      ...SLOW_LONG_ANSWERS.config,
      tenants: h.config.tenants.map((tenant) => ({
        ...tenant,
        keys: [
          ...tenant.keys.map((key) => ({ ...key, revoked: true })),
          { id: 'reader-key', sha256: sha256(READER_KEY) },
        ],
      })),
    });
    h.server.live.replace({ config: revoked });
    const reader = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: READER_KEY, maxRetries: 0 });
    expect(await endsWithin(reader, queued.id, 15_000)).toBe(true);
    expect(await reader.responses.retrieve(queued.id)).toMatchObject({
      status: 'incomplete',
      usage: { output_tokens: 32 },
    });
    const stats = await h.control.stats();
    expect([total(stats, 'calls', 'openai'), total(stats, 'completed', 'openai')]).toEqual([1, 1]);
    await expect(h.client.responses.retrieve(queued.id)).rejects.toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
  });
});
