import { createMemoryResponseStore, type KeptResponse } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { instanceIdOf } from './instance-id.ts';
import { settlingStore } from './settle-on-read.ts';

const kept = (id: string, status: string, background = true): KeptResponse =>
  ({
    tenantId: 't',
    response: { id, status, background, error: null },
    inputItems: [],
    history: [],
    expiresAt: Date.now() + 60_000,
  }) as unknown as KeptResponse;

/** A Workflow binding whose instances are in the given statuses; records which it was asked. */
const binding = (statuses: Record<string, InstanceStatus>) => {
  const asked: string[] = [];
  const workflow = {
    get: async (instance: string) => {
      asked.push(instance);
      const status = statuses[instance];
      if (status === undefined) throw new Error('instance.not_found');
      return { status: async () => status };
    },
  } as unknown as Env['BACKGROUND'];
  return { asked, env: { BACKGROUND: workflow } as unknown as Env };
};

const newId = () => `resp_${crypto.randomUUID().replaceAll('-', '')}`;

describe('settling background responses whose instance ended', () => {
  it('an errored instance’s response is failed with its error, stored and answered', async () => {
    const store = createMemoryResponseStore();
    const id = newId();
    await store.put(kept(id, 'in_progress'));
    const error = { code: 'upstream_error', message: 'upstream reset' };
    const { env } = binding({
      [await instanceIdOf('t', id)]: {
        status: 'errored',
        error: { name: 'Error', message: JSON.stringify(error) },
      },
    });
    const read = await settlingStore(store, env).get('t', id);
    expect(read?.response).toMatchObject({ status: 'failed', error });
    expect((await store.get('t', id))?.response).toMatchObject({ status: 'failed', error });
  });

  it('a response left queued by an instance that completed or was terminated is failed', async () => {
    const store = createMemoryResponseStore();
    const [done, stopped] = [newId(), newId()];
    await store.put(kept(done, 'queued'));
    await store.put(kept(stopped, 'in_progress'));
    const { env } = binding({
      [await instanceIdOf('t', done)]: { status: 'complete' },
      [await instanceIdOf('t', stopped)]: { status: 'terminated' },
    });
    const settling = settlingStore(store, env);
    expect((await settling.get('t', done))?.response).toMatchObject({
      status: 'failed',
      error: {
        code: 'upstream_error',
        message: 'The background run ended (complete) without storing its result.',
      },
    });
    expect((await settling.get('t', stopped))?.response.status).toBe('failed');
  });

  it('a running instance, a missing one, an ended or a foreground response are left as they are', async () => {
    const store = createMemoryResponseStore();
    const [running, missing, ended, foreground] = [newId(), newId(), newId(), newId()];
    await store.put(kept(running, 'in_progress'));
    await store.put(kept(missing, 'queued'));
    await store.put(kept(ended, 'completed'));
    await store.put(kept(foreground, 'in_progress', false));
    const { asked, env } = binding({
      [await instanceIdOf('t', running)]: { status: 'running' },
      [await instanceIdOf('t', ended)]: { status: 'errored' },
    });
    const settling = settlingStore(store, env);
    for (const [id, status] of [
      [running, 'in_progress'],
      [missing, 'queued'],
      [ended, 'completed'],
      [foreground, 'in_progress'],
    ] as const) {
      expect((await settling.get('t', id))?.response.status).toBe(status);
    }
    expect(asked).toEqual([await instanceIdOf('t', running), await instanceIdOf('t', missing)]);
  });
});
