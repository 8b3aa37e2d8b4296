import { createMemoryResponseStore, type KeptResponse } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { instanceIdOf } from './instance-id.ts';
import { REDRIVE_EVENT, redrivingStore } from './redrive.ts';

const kept = (id: string, status: string, background = true): KeptResponse =>
  ({
    tenantId: 't',
    response: { id, status, background },
    inputItems: [],
    history: [],
    expiresAt: Date.now() + 60_000,
  }) as unknown as KeptResponse;

/** A Workflow binding that records the events sent to its instances. */
const recording = () => {
  const sent: { instance: string; type: string }[] = [];
  const binding = {
    get: async (instance: string) => ({
      sendEvent: async (event: { type: string }) => {
        sent.push({ instance, type: event.type });
      },
    }),
  } as unknown as Env['BACKGROUND'];
  return { sent, binding };
};

describe('re-driving local Workflow instances on read', () => {
  it('wakes the instance of an unfinished background response once, and no other', async () => {
    const store = createMemoryResponseStore();
    const { sent, binding } = recording();
    const env = { BACKGROUND: binding, BACKGROUND_REDRIVE: 'on-read' } as unknown as Env;
    const id = `resp_${crypto.randomUUID().replaceAll('-', '')}`;
    await store.put(kept(id, 'in_progress'));
    await store.put(kept(`${id}_done`, 'completed'));
    await store.put(kept(`${id}_fg`, 'in_progress', false));
    const reading = redrivingStore(store, env);
    for (const read of [id, id, `${id}_done`, `${id}_fg`]) await reading.get('t', read);
    expect(sent).toEqual([{ instance: await instanceIdOf('t', id), type: REDRIVE_EVENT }]);
  });

  it('is the store itself where the platform resumes instances (no BACKGROUND_REDRIVE)', () => {
    const store = createMemoryResponseStore();
    const env = { BACKGROUND: recording().binding } as unknown as Env;
    expect(redrivingStore(store, env)).toBe(store);
  });
});
