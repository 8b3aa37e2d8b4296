import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { type RequestAuditEvent, tenantScopedName, verifyAuditLog } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { AuditChainObject } from './audit-chain-object.ts';

const TENANT = 'chain-resume';

const event = (n: number): RequestAuditEvent => ({
  type: 'request',
  ts: '2026-11-23T12:00:00.000Z',
  request_id: `${TENANT}-${n}`,
  tenant: TENANT,
  outcome: 'ok',
});

/** The tenant's archived lines, in key order, once the chain has flushed what it holds. */
const archived = async (): Promise<string[]> => {
  await env.AUDIT.getByName(tenantScopedName(TENANT, 'audit')).flush();
  const listed = await env.AUDIT_BUCKET.list({ prefix: `audit/${TENANT}/` });
  const lines: string[] = [];
  for (const key of listed.objects.map((o) => o.key).sort()) {
    const text = (await (await env.AUDIT_BUCKET.get(key))?.text()) ?? '';
    lines.push(...text.split('\n').filter((l) => l !== ''));
  }
  return lines;
};

describe('AuditChainObject', () => {
  it('continues its chain after eviction, from the head it stored', async () => {
    const stub = env.AUDIT.getByName(tenantScopedName(TENANT, 'audit'));
    expect(await Promise.all([1, 2, 3].map((n) => stub.appendAll([event(n)])))).toEqual([
      { seqs: [1] },
      { seqs: [2] },
      { seqs: [3] },
    ]);
    // A new instance over the same storage is what the object is after eviction: no log in memory.
    const resumed = await runInDurableObject(stub, async (_instance, state) => {
      const evicted = new AuditChainObject(state, env);
      const appended = await evicted.appendAll([event(4), event(5)]);
      await evicted.flush();
      return appended;
    });
    expect(resumed).toEqual({ seqs: [4, 5] });
    expect(await verifyAuditLog(await archived(), env.SWITCHBACK_HMAC_SECRET)).toMatchObject({
      ok: true,
      count: 5,
    });
  });
});
