import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../testing/harness.ts';

const REQUESTS = 1000;
const CONCURRENCY = 25;

/** The primary's breaker as `/metrics` shows it: 0 closed, 1 half-open, 2 open. */
const primaryBreakerState = async (url: string): Promise<number | undefined> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('router_breaker_state{') &&
        l.includes('provider="openai"') &&
        l.includes('model="gpt"'),
    );
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

let h: Harness;
beforeAll(async () => {
  // Short answers: the test is about the breaker, not the tokens. The example config's budgets:
  // client, regional and simulator share one process on a small machine here, and the tight
  // test budgets would measure that machine rather than the breaker.
  h = await startHarness({
    sim: { ttftMs: 2, itlMs: 1, tokens: 4 },
    config: {
      budgets: { default: { ttftMs: 2000, totalMs: 30_000, policyMs: 50 } },
      // vLLM first in line: the lightest adapter keeps a thousand requests to a few seconds.
      routes: { edge: { models: ['glm'] }, regional: { models: ['gpt', 'qwen', 'claude'] } },
    },
  });
});
afterAll(async () => {
  await h.close();
});

describe('the circuit breaker of a provider that answers 503 to everything', () => {
  it(`keeps ≥ 99.9 % of ${REQUESTS} requests succeeding, opens, then half-opens and closes once the provider recovers`, async () => {
    await h.control.fault({ target: 'openai', kind: 'error', status: 503 });

    const seen = new Set<number>();
    let storming = true;
    const sampler = (async () => {
      while (storming) {
        const state = await primaryBreakerState(h.server.url);
        if (state !== undefined) seen.add(state);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    let next = 0;
    let ok = 0;
    const providers = new Map<string, number>();
    const worker = async () => {
      while (next < REQUESTS) {
        next++;
        try {
          const { data, response } = await h.client.chat.completions
            .create({ model: 'smart', messages: [{ role: 'user', content: `ping ${next}` }] })
            .withResponse();
          if (data.choices[0]?.message.content) ok++;
          const provider = response.headers.get('x-router-provider') ?? '?';
          providers.set(provider, (providers.get(provider) ?? 0) + 1);
        } catch (e) {
          // Counted as a failure by not counting it as a success.
          if (process.env.DEBUG_BREAKER) console.log(String(e));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    storming = false;
    await sampler;

    expect(ok / REQUESTS).toBeGreaterThanOrEqual(0.999);
    expect(providers.get('openai') ?? 0).toBe(0);
    expect(seen.has(2)).toBe(true);

    // The primary recovers: after resetTimeoutMs the breaker lets a probe through.
    await h.control.clearFaults();
    expect(
      await eventually(async () => (await primaryBreakerState(h.server.url)) === 1, 2000),
    ).toBe(true);
    const { response } = await h.client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'are you back?' }] })
      .withResponse();
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(await primaryBreakerState(h.server.url)).toBe(0);

    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toMatch(/router_upstream_errors_total\{kind="server",provider="openai"\} \d+/);
    expect(metrics).toMatch(
      /router_upstream_errors_total\{kind="breaker_open",provider="openai"\} \d+/,
    );
  }, 60_000);
});
