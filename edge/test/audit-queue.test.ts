import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { createAuditLog, verifyAuditLog } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';

const SECRET = 'queue-consumer-test-secret';

/** Signed lines of a tenant's chain, as its AuditChainObject sends them to the Queue. */
const chainLines = async (tenant: string, count: number): Promise<string[]> => {
  const lines: string[] = [];
  const log = createAuditLog({ secret: SECRET, sink: { write: (line) => void lines.push(line) } });
  for (let i = 1; i <= count; i++) {
    await log.append({
      type: 'request',
      ts: '2026-11-23T12:00:00.000Z',
      request_id: `${tenant}-${i}`,
      tenant,
      outcome: 'ok',
    });
  }
  return lines;
};

describe('the audit Queue consumer', () => {
  it('archives a batch mixing tenants, out of order, as one R2 object per tenant', async () => {
    const east = await chainLines('queue-east', 3);
    const west = await chainLines('queue-west', 2);
    const delivered = [west[1], east[2], east[0], west[0], east[1]].filter(
      (line): line is string => line !== undefined,
    );
    const batch = createMessageBatch(
      'switchback-audit',
      delivered.map((body, i) => ({ id: `m${i}`, timestamp: 0, attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).outcome).toBe('ok');

    const read = async (tenant: string) => {
      const listed = await env.AUDIT_BUCKET.list({ prefix: `audit/${tenant}/` });
      const keys = listed.objects.map((o) => o.key);
      const text =
        keys.length === 1 ? await (await env.AUDIT_BUCKET.get(keys[0] ?? ''))?.text() : '';
      return { keys, lines: (text ?? '').split('\n').filter((l) => l !== '') };
    };
    const eastArchived = await read('queue-east');
    const westArchived = await read('queue-west');
    expect(eastArchived.keys).toEqual(['audit/queue-east/000000000001-000000000003.jsonl']);
    expect(westArchived.keys).toEqual(['audit/queue-west/000000000001-000000000002.jsonl']);
    expect(eastArchived.lines).toEqual(east);
    expect(await verifyAuditLog(eastArchived.lines, SECRET)).toMatchObject({ ok: true, count: 3 });
    expect(await verifyAuditLog(westArchived.lines, SECRET)).toMatchObject({ ok: true, count: 2 });
  });
});
