import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('edge health', () => {
  it('answers /healthz with ok', async () => {
    const res = await exports.default.fetch('http://edge/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
