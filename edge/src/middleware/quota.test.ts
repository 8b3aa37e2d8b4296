import type { RouterConfigInput } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { checkQuotaAnswer } from '../../../router-core/test/quota/quota-cases.ts';
import { appWith, configWith, LONG, SHORT, sha256Hex } from '../../test/helpers.ts';

type QuotaInput = NonNullable<RouterConfigInput['quotas']>[string];

let fresh = 0;

/**
 * An app whose new tenant (class of its own, so its quota object is new) has `quota`; `edit`
 * changes the rest of the config. Sends one chat request with `headers`, pinned to the edge tier
 * (`fast`) so the classifier's verdict cannot move it.
 */
const tenantWith = async (quota: QuotaInput, edit: (c: RouterConfigInput) => void = () => {}) => {
  fresh++;
  const id = `quota-${fresh}-${crypto.randomUUID().slice(0, 8)}`;
  const key = `sk-test-${id}`;
  const sha256 = await sha256Hex(key);
  const call = appWith(
    configWith((c) => {
      c.quotas = { ...c.quotas, [id]: quota };
      c.tenants.push({ id, class: id, keys: [{ id: `${id}-1`, sha256 }] });
      edit(c);
    }),
  );
  return (headers: Record<string, string> = {}, messages: unknown = SHORT) =>
    call({ key, headers, body: { model: 'fast', messages } });
};

const limit = (requestsPerMinute: number, tokensPerMinute = 1_000_000) => ({
  requestsPerMinute,
  tokensPerMinute,
});

/** The quota window is the clock minute: start well inside one, so a burst cannot straddle two. */
const awayFromMinuteBoundary = async (needMs = 5_000) => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

/** Each answer's status, having checked it says what the shared quota cases require. */
const statusesOf = async (responses: Promise<Response>[]) =>
  Promise.all(
    responses.map(async (r) => {
      const res = await r;
      expect(checkQuotaAnswer(res.status, res.headers, await res.text())).toBeUndefined();
      return res.status;
    }),
  );

describe('quota', () => {
  it('admits exactly the limit out of a concurrent burst and answers the rest 429 with retry-after', async () => {
    const send = await tenantWith(limit(20));
    await awayFromMinuteBoundary();
    const responses = await Promise.all(Array.from({ length: 50 }, () => send()));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(20);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(30);
    for (const res of refused) {
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(await res.json()).toMatchObject({
        error: { type: 'rate_limit_error', code: 'quota_exceeded' },
      });
    }
  });

  it('1,300 requests with 1,300 distinct x-workflow values against 600 a minute: 600 admitted, 700 refused', async () => {
    const send = await tenantWith(limit(600, 100_000_000));
    // Refusals are cheap and admitted requests are served by the Workers AI stand-in: the run
    // takes seconds, but leave it half a minute of the window.
    await awayFromMinuteBoundary(30_000);
    const statuses: number[] = [];
    for (let start = 0; start < 1300; start += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => send({ 'x-workflow': `w${start + i}` }));
      statuses.push(...(await statusesOf(batch)));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(600);
    expect(statuses.filter((s) => s === 429)).toHaveLength(700);
  }, 120_000);

  it("a tenant's spent batch class leaves its chat allowance untouched, and the other way round", async () => {
    const send = await tenantWith({ default: limit(3), classes: { batch: limit(2) } });
    await awayFromMinuteBoundary();
    const sequence = async (workflow: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await send({ 'x-workflow': workflow })).status);
      return out;
    };
    expect(await sequence('batch', 3)).toEqual([200, 200, 429]);
    expect(await sequence('chat', 4)).toEqual([200, 200, 200, 429]);
    expect(await sequence('batch', 1)).toEqual([429]);
    // An unconfigured workflow is the default class, already spent by chat.
    expect(await sequence('nightly-report', 1)).toEqual([429]);
  });

  it('long-context requests have their own ceiling, and a refusal there costs the chat class nothing', async () => {
    const send = await tenantWith(
      { default: limit(3), classes: { 'long-context': limit(1) } },
      (c) => {
        c.classification = {
          ...c.classification,
          mediumContextTokens: 500,
          longContextTokens: 2_000,
        };
      },
    );
    await awayFromMinuteBoundary();
    const long = async () => (await send({}, LONG)).status;
    expect([await long(), await long()]).toEqual([200, 429]);
    const short = [];
    for (let i = 0; i < 3; i++) short.push((await send()).status);
    expect(short).toEqual([200, 200, 429]);
  });

  it("sends OpenAI's x-ratelimit headers on a success, for the tightest class drawn from", async () => {
    const send = await tenantWith({ default: limit(5, 100_000), classes: { batch: limit(3) } });
    await awayFromMinuteBoundary();
    const res = await send({ 'x-workflow': 'batch' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
    expect(Number(res.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1_000_000);
    expect(res.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$|^\d+ms$/);
    expect(res.headers.get('x-ratelimit-reset-tokens')).toBe(
      res.headers.get('x-ratelimit-reset-requests'),
    );
  });

  it('refuses an unconfigured x-workflow with 400 when the config says reject', async () => {
    const send = await tenantWith(limit(5), (c) => {
      c.limits = { ...c.limits, unknownWorkflow: 'reject' };
    });
    const res = await send({ 'x-workflow': 'w1' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "Unknown x-workflow 'w1': send one of chat, support, batch, or none.",
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
    expect((await send({ 'x-workflow': 'batch' })).status).toBe(200);
  });
});
