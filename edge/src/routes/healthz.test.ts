import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('GET /healthz', () => {
  it('says ok, which config is loaded, and how regional looks from this isolate', async () => {
    const res = await exports.default.fetch('http://edge/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', config: '2026-11-23.1', regional: 'closed' });
  });
});
