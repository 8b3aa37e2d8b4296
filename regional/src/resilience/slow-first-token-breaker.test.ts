import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    sim: { ttftMs: 2, itlMs: 1, tokens: 4 },
    config: {
      // The primary's first tokens arrive within the TTFT budget, but late.
      budgets: { default: { ttftMs: 2000, totalMs: 30_000, policyMs: 50 } },
      breaker: {
        errorThresholdPercentage: 50,
        volumeThreshold: 4,
        resetTimeoutMs: 60_000,
        rollingCountTimeoutMs: 10_000,
        slowFirstTokenMs: 150,
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});

const ask = async (n: number) => {
  const { response } = await h.client.chat.completions
    .create({ model: 'smart', messages: [{ role: 'user', content: `ping ${n}` }] })
    .withResponse();
  return response.headers.get('x-router-provider');
};

describe('a latency brownout', () => {
  it('opens the primary breaker once first tokens keep coming later than breaker.slowFirstTokenMs', async () => {
    await h.control.fault({ target: 'openai', kind: 'slow_first_token', delayMs: 400 });
    // Late but within the TTFT budget: each of these is still answered by the primary…
    const late = [];
    for (let n = 0; n < 4; n++) late.push(await ask(n));
    expect(late).toEqual(['openai', 'openai', 'openai', 'openai']);
    // …yet counted as failures, so the breaker opens and the next request skips the primary.
    expect(await ask(4)).not.toBe('openai');
    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toMatch(/router_breaker_state\{provider="openai",model="gpt"[^}]*\} 2/);
  });
});

describe('a primary whose first tokens miss the TTFT budget', () => {
  it('fails over and opens the breaker from the TTFT timeouts alone', async () => {
    const tight = await startHarness({
      sim: { ttftMs: 2, itlMs: 1, tokens: 4 },
      config: {
        budgets: { default: { ttftMs: 200, totalMs: 30_000, policyMs: 50 } },
        breaker: {
          errorThresholdPercentage: 50,
          volumeThreshold: 4,
          resetTimeoutMs: 60_000,
          rollingCountTimeoutMs: 10_000,
        },
      },
    });
    try {
      await tight.control.fault({ target: 'openai', kind: 'slow_first_token', delayMs: 2_000 });
      const served = [];
      for (let n = 0; n < 6; n++) {
        const { response } = await tight.client.chat.completions
          .create({ model: 'smart', messages: [{ role: 'user', content: `ping ${n}` }] })
          .withResponse();
        served.push(response.headers.get('x-router-provider'));
      }
      expect(served.every((p) => p !== 'openai')).toBe(true);
      const metrics = await (await fetch(`${tight.server.url}/metrics`)).text();
      expect(metrics).toMatch(/router_breaker_state\{provider="openai",model="gpt"[^}]*\} 2/);
      expect(metrics).toMatch(
        /router_upstream_errors_total\{kind="ttft_timeout",provider="openai"\} 4/,
      );
    } finally {
      await tight.close();
    }
  });
});

describe('the first attempt with firstAttemptTtftShare', () => {
  it('leaves the fallback the rest of the TTFT budget, so a silent primary breaches no budget', async () => {
    const hedged = await startHarness({
      sim: { ttftMs: 2, itlMs: 1, tokens: 4 },
      config: {
        budgets: { default: { ttftMs: 1_000, totalMs: 30_000, policyMs: 50 } },
        retry: { retries: 0, minTimeoutMs: 50, maxTimeoutMs: 1_000, firstAttemptTtftShare: 0.3 },
      },
    });
    try {
      await hedged.control.fault({ target: 'openai', kind: 'slow_first_token', delayMs: 5_000 });
      const { response } = await hedged.client.chat.completions
        .create({ model: 'smart', messages: [{ role: 'user', content: 'ping' }] })
        .withResponse();
      expect(response.headers.get('x-router-provider')).not.toBe('openai');
      const metrics = await (await fetch(`${hedged.server.url}/metrics`)).text();
      expect(metrics).toMatch(
        /router_upstream_errors_total\{kind="ttft_timeout",provider="openai"\} 1/,
      );
      // The primary was cut at 30 % of the budget; the fallback answered within the rest.
      expect(metrics).not.toMatch(/router_budget_exceeded_total\{budget="ttft"/);
    } finally {
      await hedged.close();
    }
  });
});
