import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test/example-config.ts';
import { runBackgroundJob } from './background.ts';
import { type BackgroundJob, createInProcessQueue } from './background-queue.ts';
import { createBackgroundRuns } from './background-runs.ts';
import { parseResponsesBody } from './parse-responses-body.ts';
import { responseShell } from './response-object.ts';
import { createMemoryResponseStore } from './response-store.ts';
import { keptResponse } from './stored-responses.ts';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

const jobOf = (id: string): BackgroundJob => {
  const request = parseResponsesBody(
    JSON.stringify({ model: 'smart', input: 'hi', background: true }),
    exampleConfig.limits,
  );
  const queued = { ...responseShell(request, id, 1), status: 'queued' as const, store: true };
  return {
    tenantId: 't',
    keyId: 'k',
    request,
    history: [],
    queued,
    chat: { url: 'http://door/v1/chat/completions', headers: [['x-a', '1']], body: '{}' },
  };
};

// The door's signed caller headers, as a stand-in: what matters here is that the run sends them.
const present = async (job: BackgroundJob) =>
  new Headers({ 'x-caller': `${job.tenantId}/${job.keyId}/${job.queued.id}` });

const setup = (id: string) => {
  const store = createMemoryResponseStore();
  const job = jobOf(id);
  const keep = (status: 'queued' | 'cancelled') =>
    store.put(
      keptResponse({
        tenantId: 't',
        request: job.request,
        response: { ...job.queued, status },
        history: [],
        ttlSeconds: 60,
        now: Date.now(),
      }),
    );
  return { store, job, keep };
};

describe('background jobs', () => {
  it('run on the chat pipeline with the job request, and store the final response', async () => {
    const { store, job, keep } = setup('resp_a');
    await keep('queued');
    const seen: Request[] = [];
    const chat = (request: Request) => {
      seen.push(request);
      return Response.json(completion);
    };
    await runBackgroundJob(
      { config: exampleConfig, store, chat, present },
      job,
      new AbortController().signal,
    );
    expect(seen.map((r) => [r.url, r.headers.get('x-a'), r.headers.get('x-caller')])).toEqual([
      ['http://door/v1/chat/completions', '1', 't/k/resp_a'],
    ]);
    const kept = await store.get('t', 'resp_a');
    expect(kept?.response.status).toBe('completed');
    expect(kept?.history.at(-1)).toEqual({ role: 'assistant', content: 'done' });
  });

  it('do not run a response cancelled while queued, nor overwrite a cancel that came mid-run', async () => {
    const { store, job, keep } = setup('resp_b');
    await keep('cancelled');
    let calls = 0;
    const deps = {
      config: exampleConfig,
      store,
      present,
      chat: async () => {
        calls += 1;
        await keep('cancelled');
        return Response.json(completion);
      },
    };
    await runBackgroundJob(deps, job, new AbortController().signal);
    expect(calls).toBe(0);
    await keep('queued');
    await runBackgroundJob(deps, job, new AbortController().signal);
    expect(calls).toBe(1);
    expect((await store.get('t', 'resp_b'))?.response.status).toBe('cancelled');
  });

  it('in process: a cancel aborts the running job by tenant and id', async () => {
    const runs = createBackgroundRuns();
    const signals: AbortSignal[] = [];
    const queue = createInProcessQueue(runs, (_job, signal) => {
      signals.push(signal);
      return new Promise<void>(() => {});
    });
    await queue.enqueue(jobOf('resp_c'));
    await queue.cancel('other', 'resp_c');
    expect(signals.map((s) => s.aborted)).toEqual([false]);
    await queue.cancel('t', 'resp_c');
    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });
});
