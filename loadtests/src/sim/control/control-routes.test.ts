import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../server.ts';
import type { Fault } from '../state/fault-store.ts';
import type { LoggedRequest } from '../state/request-log.ts';
import type { StatsSnapshot } from '../state/stats.ts';
import { bodyOf } from '../testing/body-of.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, itlMs: 0, tokens: 4 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

const postFault = (body: string) => fetch(`${sim.url}/_sim/faults`, { method: 'POST', body });
const faults = async () =>
  (await bodyOf<{ faults: Fault[] }>(fetch(`${sim.url}/_sim/faults`))).faults;
const requests = async (query = '') =>
  (await bodyOf<{ requests: LoggedRequest[] }>(fetch(`${sim.url}/_sim/requests${query}`))).requests;
const stats = () => bodyOf<StatsSnapshot>(fetch(`${sim.url}/_sim/stats`));
const chat = (content: string, headers: Record<string, string> = {}) =>
  fetch(`${sim.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer k', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] }),
  });

describe('control API', () => {
  it.each([
    ['{', 'request body is not valid JSON'],
    ['[]', 'body must be a JSON object'],
    [
      '{"target":"azure","kind":"error"}',
      'target must be one of openai, compat, workers-ai, bedrock',
    ],
    [
      '{"target":"openai","kind":"explode"}',
      'kind must be one of error, rate_limit, slow_first_token, stall, reset_mid_stream, slow_tokens, long_answer',
    ],
    [
      '{"target":"openai","kind":"error","status":200}',
      'status must be an integer from 400 to 599',
    ],
    [
      '{"target":"openai","kind":"error","probability":2}',
      'probability must be a number from 0 to 1',
    ],
    ['{"target":"openai","kind":"error","count":-1}', 'count must be a non-negative integer'],
    [
      '{"target":"openai","kind":"slow_tokens","delayMs":"5"}',
      'delayMs must be an integer from 0 to 600000',
    ],
    ['{"target":"openai","kind":"error","model":""}', 'model must be a non-empty string'],
    ['{"target":"openai","kind":"error","extra":1}', 'unknown field "extra"'],
  ])('rejects the fault body %s with 400', async (body, message) => {
    const res = await postFault(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message } });
  });

  it('adds, lists, deletes one and clears faults', async () => {
    const a = await bodyOf<{ id: string }>(
      postFault('{"target":"openai","kind":"error","status":503}'),
    );
    const b = await bodyOf<{ id: string }>(
      postFault('{"target":"bedrock","model":"m","kind":"stall"}'),
    );
    expect(await faults()).toEqual([
      { id: a.id, target: 'openai', kind: 'error', status: 503, applied: 0 },
      { id: b.id, target: 'bedrock', model: 'm', kind: 'stall', applied: 0 },
    ]);
    expect((await fetch(`${sim.url}/_sim/faults/${a.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${sim.url}/_sim/faults/${a.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await faults()).toHaveLength(1);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect(await faults()).toEqual([]);
  });

  it('reports stats per target and model', async () => {
    expect(await stats()).toEqual({
      targets: { openai: {}, compat: {}, 'workers-ai': {}, bedrock: {} },
    });
    await chat('a');
    await chat('b');
    expect((await stats()).targets.openai).toEqual({
      'gpt-4o': { calls: 2, inFlight: 0, completed: 2, clientAborted: 0, faulted: 0 },
    });
  });

  it('logs the latest requests with the headers a router forwards', async () => {
    await chat('first');
    await chat('second', { 'idempotency-key': 'idem-1', 'x-request-id': 'req-1', 'x-other': 'no' });
    expect(await requests('?limit=1')).toEqual([
      {
        target: 'openai',
        model: 'gpt-4o',
        path: '/openai/v1/chat/completions',
        stream: false,
        headers: { 'idempotency-key': 'idem-1', 'x-request-id': 'req-1' },
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'second' }] },
      },
    ]);
    expect(await requests()).toHaveLength(2);
    expect((await fetch(`${sim.url}/_sim/requests?limit=x`)).status).toBe(400);
  });

  it('keeps requests per target, filters by ?target= and forgets them on DELETE', async () => {
    await chat('to openai');
    await fetch(`${sim.url}/compat/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify({
        model: 'Qwen/Qwen2.5-7B-Instruct',
        messages: [{ role: 'user', content: 'to compat' }],
      }),
    });
    const contentOf = (r: LoggedRequest) =>
      (r.body as { messages: { content: string }[] }).messages[0]?.content;
    expect((await requests()).map(contentOf)).toEqual(['to openai', 'to compat']);
    expect((await requests('?target=openai')).map(contentOf)).toEqual(['to openai']);
    expect((await requests('?target=compat&limit=5')).map((r) => r.target)).toEqual(['compat']);
    expect(await bodyOf(fetch(`${sim.url}/_sim/requests?target=azure`))).toEqual({
      error: { message: 'target must be one of openai, compat, workers-ai, bedrock' },
    });
    expect(await bodyOf(fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' }))).toEqual({
      ok: true,
    });
    expect(await requests()).toEqual([]);
  });

  it('reset clears faults, stats, the request log and the prefix cache', async () => {
    const long = 'z'.repeat(5000);
    await chat(long);
    await postFault('{"target":"compat","kind":"error"}');
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    expect(await faults()).toEqual([]);
    expect(await requests()).toEqual([]);
    expect((await stats()).targets.openai).toEqual({});
    const again = await bodyOf<{ usage: { prompt_tokens_details: { cached_tokens: number } } }>(
      chat(long),
    );
    expect(again.usage.prompt_tokens_details.cached_tokens).toBe(0);
  });

  it('answers 404 for unknown routes and ok on /healthz', async () => {
    expect((await fetch(`${sim.url}/_sim/nope`)).status).toBe(404);
    expect((await fetch(`${sim.url}/nowhere`)).status).toBe(404);
    expect(await bodyOf(fetch(`${sim.url}/healthz`))).toEqual({ ok: true });
  });
});
