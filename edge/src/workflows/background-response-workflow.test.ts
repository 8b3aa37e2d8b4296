import { introspectWorkflowInstance } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { callWorker, sha256Hex } from '../../test/helpers.ts';
import { instanceIdOf } from './instance-id.ts';

// Requests carry their own idempotency key, so each response's id (resp_ + the key's hash) and
// its Workflow instance's id are known before the create. The demo key is tenant `demo`'s.
const TENANT = 'demo';
const SHORT = 'Say hello in one short sentence.';
// Served by regional's vLLM-compatible target: no other edge test calls it, so its counters and
// faults are this file's.
const QWEN = 'Qwen/Qwen3-32B';

type Response = {
  id: string;
  status: string;
  background: boolean;
  output_text?: string;
  output: { type: string; content?: { type: string; text: string }[] }[];
  error: { code: string; message: string } | null;
};
type Event = { type: string; sequence_number: number; delta?: string };

const ids = async () => {
  const key = crypto.randomUUID();
  const responseId = `resp_${(await sha256Hex(`${TENANT}\u0000${key}`)).slice(0, 32)}`;
  return { key, responseId, instanceId: await instanceIdOf(TENANT, responseId) };
};

const create = (key: string, body: Record<string, unknown>) =>
  callWorker({
    path: '/v1/responses',
    headers: { 'idempotency-key': key },
    body: { model: 'auto', input: SHORT, background: true, ...body },
  });

const retrieve = async (id: string): Promise<Response> =>
  (await callWorker({ path: `/v1/responses/${id}` })).json() as Promise<Response>;

const events = async (id: string, startingAfter?: number): Promise<Event[]> => {
  const query = startingAfter === undefined ? '' : `&starting_after=${startingAfter}`;
  const res = await callWorker({ path: `/v1/responses/${id}?stream=true${query}` });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  return (await res.text())
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => JSON.parse(block.split('\n')[1]?.replace(/^data: /, '') ?? 'null') as Event);
};

const textOf = (response: Response) =>
  response.output
    .flatMap((item) => item.content ?? [])
    .map((part) => part.text)
    .join('');

type Counters = { calls: number; inFlight: number; completed: number; clientAborted: number };
const qwenStats = async (): Promise<Counters> => {
  const stats = (await (await fetch(`${inject('simUrl')}/_sim/stats`)).json()) as {
    targets: Record<string, Record<string, Counters>>;
  };
  return stats.targets.compat?.[QWEN] ?? { calls: 0, inFlight: 0, completed: 0, clientAborted: 0 };
};

/** Adds a simulator fault on this file's vLLM-compatible model. */
const fault = async (spec: Record<string, unknown>) => {
  const res = await fetch(`${inject('simUrl')}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'compat', model: QWEN, ...spec }),
  });
  expect(res.status).toBe(201);
};

/** Words of an answer over 1 MiB (the simulator's words are 4 to 7 letters and a space). */
const LONG_WORDS = 200_000;

/** Polls `check` every 50 ms, 200 times at most; whether it came true. */
const eventually = async (check: () => Promise<boolean>): Promise<boolean> => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
};

describe('background: true at the edge, as a Workflow instance', () => {
  it('answers queued at once; the instance runs start, call and store, and the response completes', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    const res = await create(key, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: responseId,
      status: 'queued',
      background: true,
      output: [],
    });
    await instance.waitForStatus('complete');
    expect(await instance.waitForStepResult({ name: 'store' })).toBe('completed');
    const done = await retrieve(responseId);
    expect(done).toMatchObject({ id: responseId, status: 'completed', background: true });
    expect(textOf(done)).toMatch(/\S/);
  });

  it('streams the run again from after starting_after: the same events, numbered from 0', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await create(key, {});
    await instance.waitForStatus('complete');
    const all = await events(responseId);
    expect(all[0]?.type).toBe('response.created');
    expect(all.at(-1)?.type).toBe('response.completed');
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, i) => i));
    const deltas = all.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(deltas.join('')).toBe(textOf(await retrieve(responseId)));
    expect(await events(responseId, 2)).toEqual(all.slice(3));
    expect(await events(responseId, all.length - 1)).toEqual([]);
  });

  it('streams a run created with stream: true from its first event to its last, as it runs', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    const res = await create(key, { stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const streamed = (await res.text())
      .split('\n\n')
      .filter((block) => block !== '')
      .map((block) => JSON.parse(block.split('\n')[1]?.replace(/^data: /, '') ?? 'null') as Event);
    expect([streamed[0]?.type, streamed.at(-1)?.type]).toEqual([
      'response.created',
      'response.completed',
    ]);
    await instance.waitForStatus('complete');
    expect(await events(responseId)).toEqual(streamed);
  });

  it('a create retried under the same idempotency-key answers the one response, run once', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    const first = (await (await create(key, {})).json()) as Response;
    await instance.waitForStatus('complete');
    const again = await create(key, {});
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, status: 'completed' });
    expect(first.id).toBe(responseId);
    expect(await instance.waitForStepResult({ name: 'store' })).toBe('completed');
  });

  it('a call step that fails once is retried by the Workflow and the response completes', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: 'call' }, new Error('upstream reset'), 1);
    });
    await create(key, {});
    await instance.waitForStatus('complete');
    expect((await retrieve(responseId)).status).toBe('completed');
  });

  it('a call step that fails every retry stores the response failed, with the last error', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: 'call' }, new Error('upstream reset'));
    });
    await create(key, {});
    await instance.waitForStatus('complete');
    expect(await retrieve(responseId)).toMatchObject({
      status: 'failed',
      error: { code: 'upstream_error', message: 'upstream reset' },
    });
  });

  it('a store step that fails for good ends the instance errored and the response failed, with its error', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: 'store' }, new Error('storage unavailable'));
    });
    await create(key, {});
    await instance.waitForStatus('errored');
    expect(await retrieve(responseId)).toMatchObject({
      status: 'failed',
      error: { code: 'upstream_error', message: 'storage unavailable' },
    });
  });

  it('a start step that fails for good leaves the response failed, not queued', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: 'start' }, new Error('object unreachable'));
    });
    await create(key, {});
    await instance.waitForStatus('errored');
    expect(await retrieve(responseId)).toMatchObject({
      status: 'failed',
      error: { code: 'upstream_error', message: 'object unreachable' },
    });
  });

  it('an answer over 1 MiB completes: the call step keeps it in the response’s object and returns its status', async () => {
    const { key, responseId, instanceId } = await ids();
    await fault({ kind: 'long_answer', tokens: LONG_WORDS, wordsPerToken: 100, count: 1 });
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await create(key, { model: 'qwen-vllm' });
    await instance.waitForStatus('complete');
    expect(await instance.waitForStepResult({ name: 'call' })).toBe('completed');
    expect(await instance.waitForStepResult({ name: 'store' })).toBe('completed');
    const done = await retrieve(responseId);
    expect(done.status).toBe('completed');
    const text = textOf(done);
    expect(text.split(' ')).toHaveLength(LONG_WORDS);
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(1024 * 1024);
  }, 180_000);

  it('a cancel mid-run answers cancelled, terminates the instance and aborts the upstream call', async () => {
    const { key, responseId, instanceId } = await ids();
    const before = await qwenStats();
    // One slow answer (a token every 2 s): the run is mid-answer when it is cancelled.
    await fetch(`${inject('simUrl')}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target: 'compat',
        model: QWEN,
        kind: 'slow_tokens',
        delayMs: 2000,
        count: 1,
      }),
    });
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await create(key, { model: 'qwen-vllm' });
    expect(await eventually(async () => (await qwenStats()).inFlight === before.inFlight + 1)).toBe(
      true,
    );
    expect((await retrieve(responseId)).status).toBe('in_progress');
    const cancel = await callWorker({ path: `/v1/responses/${responseId}/cancel`, body: {} });
    expect(await cancel.json()).toMatchObject({ id: responseId, status: 'cancelled' });
    await instance.waitForStatus('terminated');
    expect(await eventually(async () => (await qwenStats()).inFlight === before.inFlight)).toBe(
      true,
    );
    const after = await qwenStats();
    expect(after.clientAborted - before.clientAborted).toBe(1);
    expect(after.completed - before.completed).toBe(0);
    expect((await retrieve(responseId)).status).toBe('cancelled');
  });

  it('a cancel of another tenant’s background response is a 404, and its run goes on', async () => {
    const { key, responseId, instanceId } = await ids();
    await using instance = await introspectWorkflowInstance(env.BACKGROUND, instanceId);
    await create(key, {});
    const res = await callWorker({
      key: 'sk-local-acme',
      path: `/v1/responses/${responseId}/cancel`,
      body: {},
    });
    expect(res.status).toBe(404);
    await instance.waitForStatus('complete');
    expect((await retrieve(responseId)).status).toBe('completed');
  });
});
