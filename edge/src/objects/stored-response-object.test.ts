import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import {
  type KeptResponse,
  type ResponseObject,
  type SequencedEvent,
  tenantScopedName,
} from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { PART_CHARS } from './sized-kv.ts';

const TENANT = 'stored-object';
/** What a SQLite-backed object takes under one key, with the key (Cloudflare's limit). */
const KEY_AND_VALUE_LIMIT = 2_000_000;

const longText = (chars: number) => 'amber '.repeat(Math.ceil(chars / 6)).slice(0, chars);

const responseOf = (id: string, text: string): ResponseObject =>
  ({
    id,
    object: 'response',
    status: 'completed',
    output: [{ type: 'message', content: [{ type: 'output_text', text, annotations: [] }] }],
  }) as unknown as ResponseObject;

const keptOf = (id: string, text: string): KeptResponse => ({
  tenantId: TENANT,
  response: responseOf(id, text),
  inputItems: [],
  history: [{ role: 'assistant', content: text }],
  expiresAt: Date.now() + 60_000,
});

/** Every key of the object's storage with its value's size: the JSON length, or a string's. */
const storedSizes = (id: string) =>
  runInDurableObject(env.RESPONSES.getByName(tenantScopedName(TENANT, id)), (_, state) => {
    const sizes: { key: string; size: number }[] = [];
    for (const [key, value] of state.storage.kv.list()) {
      const size = typeof value === 'string' ? value.length : JSON.stringify(value).length;
      sizes.push({ key, size: key.length + size });
    }
    return sizes;
  });

describe('StoredResponseObject', () => {
  it('keeps a response, an outcome and events of megabytes under no key over the 2 MB limit', async () => {
    const id = `resp_${crypto.randomUUID().replaceAll('-', '')}`;
    const stub = env.RESPONSES.getByName(tenantScopedName(TENANT, id));
    const text = longText(1_500_000);
    const kept = keptOf(id, text);
    const done: SequencedEvent = {
      type: 'response.completed',
      sequence_number: 0,
      response: responseOf(id, `${text}${text}`),
    } as SequencedEvent;
    await stub.put(kept);
    await stub.putOutcome(responseOf(id, text));
    await stub.appendEvents([done]);
    expect(await stub.get()).toEqual(kept);
    expect(await stub.outcome()).toEqual(responseOf(id, text));
    expect(await stub.eventsAfter(-1)).toEqual([done]);
    const sizes = await storedSizes(id);
    expect(sizes.filter((entry) => entry.size > KEY_AND_VALUE_LIMIT)).toEqual([]);
    // The response and its conversation (3 MB) in 6 parts, the event (3 MB) in 6, the outcome in 3.
    expect(sizes.filter((entry) => entry.key.startsWith('part\u0000'))).toHaveLength(15);
  });

  it('a value put again smaller drops the parts it had; the run’s end drops its outcome’s', async () => {
    const id = `resp_${crypto.randomUUID().replaceAll('-', '')}`;
    const stub = env.RESPONSES.getByName(tenantScopedName(TENANT, id));
    await stub.put(keptOf(id, longText(PART_CHARS * 3)));
    await stub.putOutcome(responseOf(id, longText(PART_CHARS * 2)));
    expect((await storedSizes(id)).map((entry) => entry.key).sort()).toEqual(
      [
        'kept',
        'outcome',
        ...[0, 1, 2, 3, 4, 5, 6].map((i) => `part\u0000kept\u0000${i}`),
        ...[0, 1, 2].map((i) => `part\u0000outcome\u0000${i}`),
      ].sort(),
    );
    const small = keptOf(id, 'short');
    await stub.put(small);
    await stub.dropJob();
    expect((await storedSizes(id)).map((entry) => entry.key)).toEqual(['kept']);
    expect(await stub.get()).toEqual(small);
    expect(await stub.outcome()).toBeUndefined();
  });
});
