import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test/example-config.ts';
import { callBackgroundRun, queueBackground } from './background.ts';
import type { BackgroundJob, BackgroundQueue } from './background-queue.ts';
import { parseResponsesBody } from './parse-responses-body.ts';
import { responseShell } from './response-object.ts';
import { createMemoryResponseStore } from './response-store.ts';

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
    chat: { url: 'http://door/v1/chat/completions', headers: [], body: '{}' },
  };
};

const queue = (enqueued: BackgroundJob[], fail = false): BackgroundQueue => ({
  async enqueue(job) {
    if (fail) throw new Error('queue down');
    enqueued.push(job);
  },
  async cancel() {},
});

const envelope = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { message: code, type: 'x', param: null, code } }), {
    status,
  });

describe('queueing a background response', () => {
  it('a create retried under the same id answers the stored response and queues nothing more', async () => {
    const store = createMemoryResponseStore();
    const enqueued: BackgroundJob[] = [];
    const start = { config: exampleConfig, store, queue: queue(enqueued), job: jobOf('resp_a') };
    expect((await queueBackground(start)).status).toBe('queued');
    const kept = await store.get('t', 'resp_a');
    if (kept === undefined) throw new Error('stored');
    await store.put({ ...kept, response: { ...kept.response, status: 'completed' } });
    expect((await queueBackground(start)).status).toBe('completed');
    expect(enqueued).toHaveLength(1);
  });

  it('a job the queue refuses is not kept: the error goes to the client, and a retry queues it', async () => {
    const store = createMemoryResponseStore();
    const job = jobOf('resp_b');
    const refused = { config: exampleConfig, store, queue: queue([], true), job };
    await expect(queueBackground(refused)).rejects.toThrow('queue down');
    expect(await store.get('t', 'resp_b')).toBeUndefined();
    const enqueued: BackgroundJob[] = [];
    await queueBackground({ ...refused, queue: queue(enqueued) });
    expect(enqueued).toHaveLength(1);
  });
});

describe("a background run's call", () => {
  const run = (answer: () => Response) =>
    callBackgroundRun(
      {
        config: exampleConfig,
        store: createMemoryResponseStore(),
        chat: async () => answer(),
        present: async () => new Headers(),
      },
      jobOf('resp_c'),
      { ...jobOf('resp_c').queued, status: 'in_progress' },
      new AbortController().signal,
    );

  it.each([
    [503, 'upstream_unavailable', true],
    [429, 'quota_exceeded', true],
    [504, 'budget_exceeded', true],
    [400, 'invalid_request_error', false],
    [403, 'policy_denied', false],
  ])('a %i (%s) answer is a failed response, retryable: %s', async (status, code, retryable) => {
    const call = await run(() => envelope(status, code));
    expect(call).toMatchObject({ retryable, response: { status: 'failed', error: { code } } });
  });

  it('a call that throws is a failed response another attempt may mend', async () => {
    const call = await run(() => {
      throw new TypeError('fetch failed');
    });
    expect(call).toMatchObject({ retryable: true, response: { status: 'failed' } });
  });
});
