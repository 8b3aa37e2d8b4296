import { describe, expect, it } from 'vitest';
import { createBucketAuditSink } from './audit-sink-from-env.ts';

const line = (seq: number) => JSON.stringify({ seq, event: { tenant: 'north' } });

const memoryBucket = () => {
  const objects = new Map<string, string>();
  return { objects, put: async (key: string, value: string) => void objects.set(key, value) };
};

describe('the local R2 audit sink', () => {
  it('writes the lines that arrive together as one object, at once on flush', async () => {
    const bucket = memoryBucket();
    const sink = createBucketAuditSink(bucket, 60_000);
    for (const seq of [1, 2, 3]) await sink.write(line(seq));
    expect(bucket.objects.size).toBe(0);
    await sink.flush();
    expect([...bucket.objects.keys()]).toEqual(['audit/north/000000000001-000000000003.jsonl']);
    await sink.flush();
    expect(bucket.objects.size).toBe(1);
  });

  it('writes what waits once its time is up, without a flush', async () => {
    const bucket = memoryBucket();
    const sink = createBucketAuditSink(bucket, 5);
    await sink.write(line(7));
    for (let i = 0; i < 200 && bucket.objects.size === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect([...bucket.objects.keys()]).toEqual(['audit/north/000000000007-000000000007.jsonl']);
  });
});
