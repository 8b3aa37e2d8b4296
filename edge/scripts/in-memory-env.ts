// The edge Worker's bindings, and regional behind it, as in-memory stand-ins, to run the real app
// in plain Node (bench-policy-cpu.ts): no workerd, no Durable Object round trips, no Workers AI,
// no network.
import {
  type KeptResponse,
  newSession,
  nextSessionState,
  takeFromWindows,
} from '@switchback/router-core';
import type { ExecutionContext } from 'hono';
import type { AuditChainObject } from '../src/objects/audit-chain-object.ts';
import type { IdempotencyObject, StoredResponse } from '../src/objects/idempotency-object.ts';
import type { QuotaObject } from '../src/objects/quota-object.ts';
import type { SessionObject, SessionRecord } from '../src/objects/session-object.ts';
import type { StoredResponseObject } from '../src/objects/stored-response-object.ts';

/** A Durable Object's `methods` as its stub offers them: the same calls, answered as promises. */
type StubOf<T, K extends keyof T> = {
  [M in K]: T[M] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

// workerd passes an RPC's arguments and result through V8's serializer; the Worker pays for
// writing the arguments and reading the result. structuredClone (the same serializer) of both
// does each in full, writing and reading: a little more than the Worker's share, never less.
const rpc = <T>(value: T): T => structuredClone(value);

/**
 * Every request admitted: the bench measures the quota check, it must not run into the limit. The
 * arithmetic is the real one, over windows that start empty each call.
 */
const quotaStub = (): StubOf<QuotaObject, 'take' | 'adjust'> => ({
  async take(input) {
    const take = rpc(input);
    return rpc(takeFromWindows({}, take, take.now ?? Date.now()).verdict);
  },
  async adjust(input) {
    rpc(input);
  },
});

/** Session state kept by name, turned over by router-core's rules as SessionObject does. */
const sessionStub = (
  sessions: Map<string, SessionRecord>,
  name: string,
): StubOf<SessionObject, 'state' | 'recordTurn'> => ({
  async state() {
    return rpc(sessions.get(name) ?? newSession());
  },
  async recordTurn(input) {
    const turn = rpc(input);
    const previous = sessions.get(name) ?? newSession();
    const next: SessionRecord = {
      ...nextSessionState(previous, turn.decision, { affinity: turn.affinity }, turn.prefixKey),
      model: turn.model,
    };
    sessions.set(name, next);
    return rpc(next);
  },
});

/** The first claim of a key runs, a repeat replays (or conflicts); nothing waits or expires. */
const idempotencyStub = (
  stored: Map<string, { fingerprint: string; response: StoredResponse }>,
  name: string,
): StubOf<IdempotencyObject, 'claim' | 'complete' | 'release'> => ({
  async claim(input) {
    const { fingerprint } = rpc(input);
    const done = stored.get(name);
    if (done === undefined) return { kind: 'run' };
    return done.fingerprint === fingerprint
      ? rpc({ kind: 'replay', response: done.response })
      : { kind: 'conflict' };
  },
  async complete(input) {
    stored.set(name, rpc(input));
  },
  async release() {},
});

/** A short non-streaming answer in OpenAI's shape, which GLM and Kimi also give on `run`. */
const completion = (model: string) => ({
  id: `id-${model}`,
  object: 'chat.completion',
  created: 1_800_000_000,
  model,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello there, in one short sentence.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 40, completion_tokens: 8, total_tokens: 48 },
});

/**
 * Regional answering at once, as createApp's `fetcher`: the edge still signs the hop and reads
 * the answer; what regional itself would spend is not the edge's CPU.
 */
export const inMemoryRegional: typeof fetch = async () =>
  new Response(JSON.stringify(completion('gpt-4.1')), {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'x-router-provider': 'openai',
      'x-router-model': 'gpt',
    },
  });

/**
 * Each tenant's audit chain: only the `seq`s. Signing and writing run in the chain's Durable
 * Object, not on the Worker; what the Worker pays is the RPC of a batch of events (the Worker
 * sends `appendAll`, see `AuditBatcher`), which `rpc` copies.
 */
const auditStub = (
  seqs: Map<string, number>,
  name: string,
): StubOf<AuditChainObject, 'appendAll'> => ({
  async appendAll(events) {
    rpc(events);
    const first = seqs.get(name) ?? 0;
    seqs.set(name, first + events.length);
    return rpc({ seqs: events.map((_, i) => first + i + 1) });
  },
});

const storedResponseStub = (
  kept: Map<string, KeptResponse>,
  name: string,
): StubOf<StoredResponseObject, 'get' | 'put' | 'delete'> => ({
  async get() {
    return rpc(kept.get(name));
  },
  async put(value) {
    kept.set(name, rpc(value));
  },
  async delete() {
    return kept.delete(name);
  },
});

/**
 * `Env` for the app with every binding in memory. The app calls only `getByName` on a namespace,
 * the stubs' methods above, and `run` on `AI`; each cast stands in for a binding's full type.
 */
export const inMemoryEnv = ({ hmacSecret }: { hmacSecret: string }): Env => {
  const sessions = new Map<string, SessionRecord>();
  const idempotent = new Map<string, { fingerprint: string; response: StoredResponse }>();
  const auditSeqs = new Map<string, number>();
  const responses = new Map<string, KeptResponse>();
  const namespace = <S>(stub: (name: string) => S) => ({ getByName: stub });
  return {
    // The KV config holds nothing: the bundled config serves, as createApp is given here.
    CONFIG: { get: async () => null } as unknown as KVNamespace,
    // Never connected to: the app is given inMemoryRegional as its fetcher.
    REGIONAL_URL: 'https://regional.switchback.test',
    SWITCHBACK_HMAC_SECRET: hmacSecret,
    QUOTAS: namespace(quotaStub) as unknown as Env['QUOTAS'],
    SESSIONS: namespace((name) => sessionStub(sessions, name)) as unknown as Env['SESSIONS'],
    IDEMPOTENCY: namespace((name) =>
      idempotencyStub(idempotent, name),
    ) as unknown as Env['IDEMPOTENCY'],
    AUDIT: namespace((name) => auditStub(auditSeqs, name)) as unknown as Env['AUDIT'],
    RESPONSES: namespace((name) =>
      storedResponseStub(responses, name),
    ) as unknown as Env['RESPONSES'],
    // Unused: the chain objects above write nothing.
    AUDIT_BUCKET: { put: async () => null } as unknown as R2Bucket,
    AI: { run: async (model: string) => completion(model) } as unknown as Ai,
    // Unused: the bench sends no background requests.
    BACKGROUND: {} as Env['BACKGROUND'],
  };
};

/** An execution context whose `waitUntil` work can be awaited after each request. */
export const inMemoryExecutionContext = () => {
  const pending: Promise<unknown>[] = [];
  const ctx: ExecutionContext = {
    waitUntil: (promise) => {
      pending.push(promise);
    },
    passThroughOnException: () => {},
    props: {},
  };
  const settle = async () => {
    await Promise.allSettled(pending.splice(0));
  };
  return { ctx, settle };
};
