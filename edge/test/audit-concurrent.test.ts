import { env, exports } from 'cloudflare:workers';
import { tenantScopedName, verifyAuditLog } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { DEMO_KEY, SHORT } from './helpers.ts';

/** The demo tenant's archived lines (every test file's requests as the demo key), in key order. */
const archived = async (): Promise<string[]> => {
  await env.AUDIT.getByName(tenantScopedName('demo', 'audit')).flush();
  const listed = await env.AUDIT_BUCKET.list({ prefix: 'audit/demo/' });
  const lines: string[] = [];
  for (const key of listed.objects.map((o) => o.key).sort()) {
    const text = (await (await env.AUDIT_BUCKET.get(key))?.text()) ?? '';
    lines.push(...text.split('\n').filter((l) => l !== ''));
  }
  return lines;
};

const requestIdOf = (line: string): string =>
  (JSON.parse(line) as { event: { request_id: string } }).event.request_id;

/** The archived lines once all of `ids` are among them (each append runs after its response). */
const archivedWith = async (ids: string[]): Promise<string[]> => {
  let lines = await archived();
  const missing = () => ids.some((id) => !lines.some((l) => requestIdOf(l) === id));
  for (let i = 0; i < 100 && missing(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    lines = await archived();
  }
  return lines;
};

describe('edge audit across concurrent requests', () => {
  // Each `exports.default.fetch` is a request of its own to the deployed Worker, in the same
  // isolate, so their events share batches: the case where a request's audit work once waited on
  // another request's timer and call, which workerd refuses once that request is done (an
  // unhandled rejection, which fails the run).
  it("lands every one of a tenant's concurrent requests in its chain, once each", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const ids = Array.from({ length: 12 }, (_, i) => `concurrent-${run}-${i}`);
    const responses = await Promise.all(
      ids.map((id) =>
        exports.default.fetch(
          new Request('http://edge/v1/chat/completions', {
            method: 'POST',
            headers: {
              authorization: `Bearer ${DEMO_KEY}`,
              'content-type': 'application/json',
              'x-request-id': id,
            },
            body: JSON.stringify({ model: 'fast', messages: SHORT }),
          }),
        ),
      ),
    );
    const statuses = await Promise.all(
      responses.map(async (res: Response) => {
        await res.text();
        return res.status;
      }),
    );
    expect(statuses).toEqual(ids.map(() => 200));
    const lines = await archivedWith(ids);
    expect(ids.map((id) => lines.filter((l) => requestIdOf(l) === id).length)).toEqual(
      ids.map(() => 1),
    );
    expect(await verifyAuditLog(lines, env.SWITCHBACK_HMAC_SECRET)).toMatchObject({ ok: true });
  });
});
