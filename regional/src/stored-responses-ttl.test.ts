// Issue 17: a stored response lives as long as the config's responses.ttlSeconds says, at the
// regional door (its in-process store, whose clock is its own; Redis's TTL is
// redis-response-store.test.ts's). The example's default is 30 days: gone within seconds, the
// response was kept under the config's 2 s.
import { NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import { harnessForFile } from './http/routes/responses-testing.ts';

const h = harnessForFile({ config: { responses: { ttlSeconds: 2 } } });

const gone = async (id: string): Promise<boolean> => {
  try {
    await h.client.responses.retrieve(id);
    return false;
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
};

describe('stored responses at regional, under responses.ttlSeconds', () => {
  it('are read at once, and not found once the config’s TTL has passed', async () => {
    const created = await h.client.responses.create({ model: 'smart', input: 'remember me' });
    expect((await h.client.responses.retrieve(created.id)).id).toBe(created.id);
    let expired = false;
    // 100 looks 100 ms apart: 10 s at most for a 2 s TTL.
    for (let i = 0; i < 100 && !expired; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expired = await gone(created.id);
    }
    expect(expired).toBe(true);
  }, 20_000);
});
