import { describe, expect, it } from 'vitest';
import { ACME_KEY, callWorker } from '../../test/helpers.ts';

describe('GET /v1/models', () => {
  it('lists auto and only the aliases the tenant may ask for', async () => {
    const res = await callWorker({ key: ACME_KEY, path: '/v1/models' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      object: 'list',
      data: ['auto', 'fast', 'smart'].map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'switchback',
      })),
    });
  });
});
