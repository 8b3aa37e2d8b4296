import { createAuditLog, verifyAuditLog } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { createLocalAuditPipeline } from './local-audit-pipeline.ts';
import { createQueueAuditSink } from './queue-audit-sink.ts';

const SECRET = 'edge-audit-secret';

describe('edge audit events through the Queue → R2 stand-in', () => {
  it('archives batches that join back into a log audit verify accepts, whatever the delivery order', async () => {
    const pipeline = createLocalAuditPipeline({ maxBatch: 40, shuffle: true });
    const log = createAuditLog({ secret: SECRET, sink: createQueueAuditSink(pipeline.queue) });
    for (let i = 0; i < 250; i++) {
      void log.append({
        type: 'request',
        ts: '2026-11-23T12:00:00.000Z',
        request_id: `edge-${i}`,
        tenant: 'demo',
        outcome: 'ok',
        error: i === 7 ? 'caller wrote from ops@example.com' : undefined,
      });
    }
    await log.flush();
    await pipeline.flush();
    expect([...pipeline.objects.keys()].slice(0, 2)).toEqual([
      'audit/demo/000000000001-000000000040.jsonl',
      'audit/demo/000000000041-000000000080.jsonl',
    ]);
    expect(pipeline.objects.size).toBe(7);
    const lines = pipeline.lines('demo');
    expect(lines.join('\n')).not.toContain('ops@example.com');
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({
      ok: true,
      count: 250,
      lastSeq: 250,
    });
    // A lost batch shows as a gap.
    const lost = [...lines.slice(0, 40), ...lines.slice(80)];
    expect(await verifyAuditLog(lost, SECRET)).toMatchObject({
      ok: false,
      line: 41,
      problem: 'deleted',
    });
  });

  it('keeps the chains of tenants whose events share a batch apart, each verifiable', async () => {
    const pipeline = createLocalAuditPipeline({ maxBatch: 25, shuffle: true });
    const logs = {
      north: createAuditLog({ secret: SECRET, sink: createQueueAuditSink(pipeline.queue) }),
      south: createAuditLog({ secret: SECRET, sink: createQueueAuditSink(pipeline.queue) }),
    };
    for (let i = 0; i < 60; i++) {
      const tenant = i % 3 === 0 ? 'south' : 'north';
      await logs[tenant].append({
        type: 'request',
        ts: '2026-11-23T12:00:00.000Z',
        request_id: `${tenant}-${i}`,
        tenant,
        outcome: 'ok',
      });
    }
    await pipeline.flush();
    // Three batches of mixed tenants: one object per tenant and batch.
    expect([...pipeline.objects.keys()].sort()).toEqual([
      'audit/north/000000000001-000000000016.jsonl',
      'audit/north/000000000017-000000000033.jsonl',
      'audit/north/000000000034-000000000040.jsonl',
      'audit/south/000000000001-000000000009.jsonl',
      'audit/south/000000000010-000000000017.jsonl',
      'audit/south/000000000018-000000000020.jsonl',
    ]);
    expect(await verifyAuditLog(pipeline.lines('north'), SECRET)).toMatchObject({
      ok: true,
      count: 40,
    });
    expect(await verifyAuditLog(pipeline.lines('south'), SECRET)).toMatchObject({
      ok: true,
      count: 20,
    });
  });
});
