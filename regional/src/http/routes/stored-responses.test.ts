import { NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import {
  harnessForFile,
  lastSentMessages,
  WEATHER,
  weatherRoundTrip,
} from './responses-testing.ts';

const h = harnessForFile();
const lastSent = () => lastSentMessages(h);

describe('stored responses at the regional front door (the openai SDK)', () => {
  it('stores a response by default: GET answers it as created, input_items lists its input', async () => {
    const created = await h.client.responses.create({
      model: 'smart',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: 'first question' },
        { role: 'user', content: [{ type: 'input_text', text: 'second question' }] },
      ],
    });
    expect(created).toMatchObject({ store: true });
    const read = await h.client.responses.retrieve(created.id);
    expect(read).toEqual({ ...created, output_text: created.output_text });
    const items = await h.client.responses.inputItems.list(created.id, { order: 'asc' });
    expect(items.data).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: 'first question' }],
      },
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: 'second question' }],
      },
    ]);
    const newestFirst = await h.client.responses.inputItems.list(created.id, { limit: 1 });
    expect(newestFirst.data.map((item) => item.id)).toEqual([items.data[1]?.id]);
  });

  it('continues a function-tool round trip with previous_response_id: the call and its output go upstream', async () => {
    const first = await h.client.responses.create({
      model: 'smart',
      instructions: 'Use the tool.',
      input: 'Weather in Lyon?',
      tools: [WEATHER],
    });
    const call = first.output[0];
    if (call?.type !== 'function_call') throw new Error('no function call');
    const second = await h.client.responses.create({
      model: 'smart',
      previous_response_id: first.id,
      tools: [WEATHER],
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output.map((item) => item.type)).toEqual(['message']);
    // The first request's instructions are not carried over (OpenAI's rule); its turns are.
    expect(await lastSent()).toEqual(weatherRoundTrip('Weather in Lyon?', call, 'sunny'));
    // A streamed continuation is stored when its last event arrives.
    const stream = await h.client.responses.create({
      model: 'smart',
      previous_response_id: second.id,
      input: 'And tomorrow?',
      stream: true,
    });
    let id = '';
    for await (const event of stream)
      if (event.type === 'response.completed') id = event.response.id;
    const third = await h.client.responses.retrieve(id);
    expect(third).toMatchObject({
      status: 'completed',
      store: true,
      previous_response_id: second.id,
    });
    expect((await lastSent())?.length).toBe(5);
  });

  it('does not store with store: false, and a deleted response is gone', async () => {
    const unstored = await h.client.responses.create({ model: 'smart', input: 'hi', store: false });
    expect(unstored).toMatchObject({ store: false });
    await expect(h.client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(NotFoundError);
    const stored = await h.client.responses.create({ model: 'smart', input: 'hi' });
    expect(await h.client.responses.delete(stored.id)).toMatchObject({
      id: stored.id,
      object: 'response',
      deleted: true,
    });
    await expect(h.client.responses.retrieve(stored.id)).rejects.toBeInstanceOf(NotFoundError);
    const res = await fetch(`${h.server.url}/v1/responses/${stored.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${(h.client as { apiKey: string }).apiKey}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: `Response with id '${stored.id}' not found.`,
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    });
  });

  it('answers a retry under the same idempotency-key with the same response, stored once', async () => {
    const send = () =>
      h.client.responses
        .create(
          { model: 'smart', input: 'once only' },
          { headers: { 'idempotency-key': 'retry-1' } },
        )
        .withResponse();
    const first = await send();
    const again = await send();
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data.id).toBe(first.data.id);
    expect(again.data.output_text).toBe(first.data.output_text);
    expect((await h.client.responses.retrieve(first.data.id)).id).toBe(first.data.id);
  });

  it('answers an unknown previous_response_id 404 naming the field', async () => {
    const error = await h.client.responses
      .create({ model: 'smart', input: 'hi', previous_response_id: 'resp_nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).param).toBe('previous_response_id');
  });
});
