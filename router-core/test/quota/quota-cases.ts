// Quota cases both doors must answer alike (edge in workerd, regional in Node): the same config
// change, the same requests in order, the same statuses. Requests are pinned to the edge tier
// (`fast`) so the classifier's verdict cannot move them; the `regional` class is drawn at the
// door that serves the regional tier itself (regional's own tests).
import type { RouterConfigInput } from '../../src/config/schema.ts';

type QuotaInput = NonNullable<RouterConfigInput['quotas']>[string];

export type QuotaSend = { workflow?: string; long?: boolean; idempotencyKey?: string };

export type QuotaCase = {
  name: string;
  /** The tenant class's quota. */
  quota: QuotaInput;
  unknownWorkflow?: 'default' | 'reject';
  sends: QuotaSend[];
  statuses: number[];
};

const limit = (requestsPerMinute: number, tokensPerMinute = 10_000_000) => ({
  requestsPerMinute,
  tokensPerMinute,
});

/** Workflows the config must name for these cases (the edge's example config does). */
export const CASE_WORKFLOWS = ['chat', 'batch'] as const;

/** Context thresholds under which `LONG_TEXT` is a long context and a short prompt is not. */
export const CASE_CLASSIFICATION = { mediumContextTokens: 500, longContextTokens: 2_000 };

/** About 10,000 tokens of prose: long under `CASE_CLASSIFICATION`. */
export const LONG_TEXT = Array.from(
  { length: 400 },
  (_, i) => `Section ${i}: the ledger reconciles invoices, refunds and chargebacks across regions.`,
).join('\n');

/** The chat body of a send. */
export const caseBody = (send: QuotaSend): string =>
  JSON.stringify({
    model: 'fast',
    messages: [{ role: 'user', content: send.long === true ? LONG_TEXT : 'Say hello.' }],
  });

/** The headers of a send (on top of authorization and content-type). */
export const caseHeaders = (send: QuotaSend): Record<string, string> => ({
  ...(send.workflow === undefined ? {} : { 'x-workflow': send.workflow }),
  ...(send.idempotencyKey === undefined ? {} : { 'idempotency-key': send.idempotencyKey }),
});

const times = (n: number, send: (i: number) => QuotaSend): QuotaSend[] =>
  Array.from({ length: n }, (_, i) => send(i));

export const QUOTA_CASES: QuotaCase[] = [
  {
    name: 'unconfigured x-workflow values share the default class, never an allowance each',
    quota: { default: limit(3) },
    sends: times(6, (i) => ({ workflow: `w${i}` })),
    statuses: [200, 200, 200, 429, 429, 429],
  },
  {
    name: 'a spent batch class leaves the chat allowance untouched, and the other way round',
    quota: { default: limit(2), classes: { batch: limit(1) } },
    sends: [
      { workflow: 'batch' },
      { workflow: 'batch' },
      { workflow: 'chat' },
      { workflow: 'chat' },
      { workflow: 'chat' },
      { workflow: 'batch' },
    ],
    statuses: [200, 429, 200, 200, 429, 429],
  },
  {
    name: 'long-context has its own ceiling, and a refusal there gives the default draw back',
    quota: { default: limit(2), classes: { 'long-context': limit(1) } },
    sends: [{ long: true }, { long: true }, {}, {}, {}],
    statuses: [200, 429, 200, 429, 429],
  },
  {
    name: 'the first config shape is the default class for every workflow',
    quota: limit(2),
    sends: [{ workflow: 'batch' }, { workflow: 'chat' }, {}],
    statuses: [200, 200, 429],
  },
  {
    name: 'a replay of an idempotency key draws nothing: the stored answer was paid for once',
    quota: { default: limit(2) },
    sends: [{ idempotencyKey: 'k1' }, { idempotencyKey: 'k1' }, { idempotencyKey: 'k1' }, {}, {}],
    statuses: [200, 200, 200, 200, 429],
  },
  {
    name: 'an unconfigured x-workflow is refused with 400 when the config says reject',
    quota: { default: limit(5) },
    unknownWorkflow: 'reject',
    sends: [{ workflow: 'w1' }, { workflow: 'batch' }],
    statuses: [400, 200],
  },
];

/**
 * What every answer of a tenant with a quota must say about it: `x-ratelimit-*` on a success or
 * a 429, and a 429 in OpenAI's envelope with `retry-after` and nothing remaining. A replay of an
 * idempotency key (`idempotent-replayed: true`) consulted no quota and says nothing of one.
 */
export const checkQuotaAnswer = (
  status: number,
  headers: { get(name: string): string | null },
  body: string,
): string | undefined => {
  if (headers.get('idempotent-replayed') === 'true') {
    return headers.get('x-ratelimit-remaining-requests') === null
      ? undefined
      : 'x-ratelimit-* on a replay, which drew nothing';
  }
  if (status !== 200 && status !== 429) return undefined;
  for (const name of ['requests', 'tokens']) {
    for (const part of ['limit', 'remaining', 'reset']) {
      if (headers.get(`x-ratelimit-${part}-${name}`) === null) {
        return `no x-ratelimit-${part}-${name} on a ${status}`;
      }
    }
  }
  if (status === 200) return undefined;
  const retryAfter = Number(headers.get('retry-after'));
  if (!(retryAfter >= 1 && retryAfter <= 60)) return `retry-after ${headers.get('retry-after')}`;
  const parsed = JSON.parse(body) as { error?: { type?: string; code?: string } };
  if (parsed.error?.type !== 'rate_limit_error' || parsed.error.code !== 'quota_exceeded') {
    return `a 429 whose body is ${body}`;
  }
  return undefined;
};
