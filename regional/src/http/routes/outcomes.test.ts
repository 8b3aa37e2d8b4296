import { afterEach, describe, expect, it } from 'vitest';
import { createRegionalApp, type RegionalApp } from '../../create-regional-app.ts';
import { TEST_KEY, testConfig } from '../../testing/test-config.ts';

let regional: RegionalApp | undefined;
afterEach(() => regional?.close());

const app = (): RegionalApp => {
  regional = createRegionalApp({
    // Outcomes never reach a provider: the address only has to parse.
    config: testConfig('http://127.0.0.1:9', {
      budgets: {
        default: { ttftMs: 400, totalMs: 5000, policyMs: 50 },
        workflows: { support: { ttftMs: 400, totalMs: 5000, policyMs: 50 } },
      },
    }),
  });
  return regional;
};

const report = (r: RegionalApp, body: unknown, key = TEST_KEY) =>
  r.fetch(
    new Request('http://regional/v1/outcomes', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

const outcomeLines = async (r: RegionalApp): Promise<string[]> =>
  (await (await r.fetch(new Request('http://regional/metrics'))).text())
    .split('\n')
    .filter((line) => line.startsWith('router_outcomes_total{'));

describe('POST /v1/outcomes', () => {
  it('counts reported outcomes per workflow in /metrics, each request once', async () => {
    const r = app();
    const first = await report(r, { request_id: 'req_1', workflow: 'support', outcome: 'success' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ counted: true, workflow: 'support', outcome: 'success' });
    // A client retrying the same report does not count twice.
    const again = await report(r, { request_id: 'req_1', workflow: 'support', outcome: 'success' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ counted: false });
    await report(r, { session: 'conversation-9', workflow: 'support', outcome: 'failure' });
    // Unconfigured workflows are counted under "default": clients cannot add label values.
    await report(r, { request_id: 'req_2', workflow: 'made-up', outcome: 'success' });
    expect((await outcomeLines(r)).sort()).toEqual([
      'router_outcomes_total{workflow="default",outcome="success"} 1',
      'router_outcomes_total{workflow="support",outcome="failure"} 1',
      'router_outcomes_total{workflow="support",outcome="success"} 1',
    ]);
  });

  it('is authenticated like chat', async () => {
    const r = app();
    const response = await report(
      r,
      { request_id: 'req_1', workflow: 'support', outcome: 'success' },
      'sk-wrong',
    );
    expect(response.status).toBe(401);
    expect(await outcomeLines(r)).toEqual([]);
  });

  it.each([
    [{ workflow: 'support', outcome: 'success' }, 'Invalid outcome: give request_id or session.'],
    [
      { request_id: 'r', workflow: 'support', outcome: 'maybe' },
      'Invalid outcome: outcome must be "success" or "failure".',
    ],
    [
      { request_id: 'r', workflow: 'support', outcome: 'success', cost: 1 },
      'Invalid outcome: unknown field "cost".',
    ],
  ])('refuses a malformed report with a 400 naming the field (%j)', async (body, message) => {
    const response = await report(app(), body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', message },
    });
  });
});
