import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../testing/harness.ts';
import { total } from '../../testing/sim-control.ts';
import {
  endsWithin,
  harnessForFile,
  SLOW_LONG_ANSWERS,
  statusOf as statusIn,
} from './responses-testing.ts';

// Slow, long answers: a cancelled run is still mid-answer when it is cancelled.
const h = harnessForFile(SLOW_LONG_ANSWERS);
const statusOf = (id: string) => statusIn(h.client, id);

describe('background responses at the regional front door (the openai SDK)', () => {
  it('answers queued at once, then runs without the client: polling sees it end', async () => {
    const queued = await h.client.responses.create({
      model: 'smart',
      input: 'A short one.',
      max_output_tokens: 16,
      background: true,
    });
    expect(queued).toMatchObject({ status: 'queued', background: true, output: [], usage: null });
    expect(await endsWithin(h.client, queued.id, 10_000)).toBe(true);
    const done = await h.client.responses.retrieve(queued.id);
    // Cut at its 16 tokens: incomplete, as OpenAI says an answer cut by max_output_tokens is.
    expect(done).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      usage: { output_tokens: 16 },
    });
    expect(done.output_text.length).toBeGreaterThan(0);
  });

  it('streams a run again from after starting_after (the openai SDK): the same events, then its end', async () => {
    const queued = await h.client.responses.create({
      model: 'smart',
      input: 'A short one.',
      max_output_tokens: 16,
      background: true,
    });
    const read = async (query: { starting_after?: number }) => {
      const events = [];
      const stream = await h.client.responses.retrieve(queued.id, { stream: true, ...query });
      for await (const event of stream) events.push(event);
      return events;
    };
    // Followed from the start while it runs, to its final event.
    const all = await read({});
    const done = await h.client.responses.retrieve(queued.id);
    expect(done.status).toBe('incomplete');
    expect(all[0]?.type).toBe('response.created');
    expect(all.at(-1)?.type).toBe('response.incomplete');
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, i) => i));
    const text = all.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(text.join('')).toBe(done.output_text);
    // Resumed after event 3: the rest, the same.
    expect(await read({ starting_after: 3 })).toEqual(all.slice(4));
    const last = all.at(-1)?.sequence_number ?? 0;
    expect(await read({ starting_after: last })).toEqual([]);
  });

  it('streams a background run created with stream: true, and the run goes on as it streams', async () => {
    const stream = await h.client.responses.create({
      model: 'smart',
      input: 'A short one.',
      max_output_tokens: 16,
      background: true,
      stream: true,
    });
    const types: string[] = [];
    let id = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.created') id = event.response.id;
    }
    expect([types[0], types.at(-1)]).toEqual(['response.created', 'response.incomplete']);
    expect(await h.client.responses.retrieve(id)).toMatchObject({
      status: 'incomplete',
      background: true,
      usage: { output_tokens: 16 },
    });
  });

  it('cancels a run in progress: the answer is cancelled and its upstream call aborted', async () => {
    await h.control.reset();
    const queued = await h.client.responses.create({
      model: 'smart',
      input: 'A long story.',
      background: true,
    });
    expect(
      await eventually(
        async () => total(await h.control.stats(), 'inFlight', 'openai') === 1,
        10_000,
      ),
    ).toBe(true);
    expect(await statusOf(queued.id)).toBe('in_progress');
    const cancelled = await h.client.responses.cancel(queued.id);
    expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled' });
    expect(
      await eventually(async () => total(await h.control.stats(), 'inFlight') === 0, 10_000),
    ).toBe(true);
    const stats = await h.control.stats();
    expect(total(stats, 'clientAborted', 'openai')).toBe(1);
    expect(total(stats, 'completed', 'openai')).toBe(0);
    expect(await statusOf(queued.id)).toBe('cancelled');
    // A cancel of an ended response answers it as it is.
    expect((await h.client.responses.cancel(queued.id)).status).toBe('cancelled');
  });

  it('refuses what a background response cannot be, and a cancel of one that is not', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const error = await h.client.responses
        .create({ model: 'smart', input: 'hi', background: true, ...body } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      return (error as BadRequestError).param;
    };
    expect(await refused({ store: false })).toBe('store');
    const foreground = await h.client.responses.create({
      model: 'smart',
      input: 'hi',
      max_output_tokens: 16,
    });
    await expect(h.client.responses.cancel(foreground.id)).rejects.toBeInstanceOf(BadRequestError);
  });
});
