import type { RequestAuditEvent } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { type AuditBatch, AuditBatcher, type AuditChain } from './audit-batcher.ts';

const event = (id: string, tenant = 'north'): RequestAuditEvent => ({
  type: 'request',
  ts: '2026-12-02T12:00:00.000Z',
  request_id: id,
  tenant,
  outcome: 'ok',
});

/** A batcher whose chains record each call as `[name, ...request ids]`. */
const recording = () => {
  const calls: string[][] = [];
  const batcher = new AuditBatcher((name) => ({
    appendAll: async (events) => {
      calls.push([name, ...events.map((e) => e.request_id)]);
    },
  }));
  return { calls, batcher };
};

const ids = (batch: AuditBatch | undefined) => batch?.events.map((e) => e.request_id);

describe('AuditBatcher', () => {
  it('sends the events of one turn to each chain in one call, in order, and later ones in another', async () => {
    const { calls, batcher } = recording();
    const added = [
      batcher.add('north', event('a')),
      batcher.add('south', event('x', 'south')),
      batcher.add('north', event('b')),
      batcher.add('north', event('c')),
    ];
    await Promise.all(added.map((batch) => batch?.sent));
    await batcher.add('north', event('d'))?.sent;
    expect(calls).toEqual([
      ['north', 'a', 'b', 'c'],
      ['south', 'x'],
      ['north', 'd'],
    ]);
  });

  it('leaves the send to the request that opened the batch: the ones that join get nothing to wait on', async () => {
    const { batcher } = recording();
    const [opened, joined, other] = [
      batcher.add('north', event('a')),
      batcher.add('north', event('b')),
      batcher.add('south', event('x', 'south')),
    ];
    expect(joined).toBeUndefined();
    await opened?.sent;
    await other?.sent;
    expect(ids(opened)).toEqual(['a', 'b']);
    expect(ids(other)).toEqual(['x']);
  });

  it('fails the send of a batch its chain refused, naming every event in it, and the next batch goes through', async () => {
    let refuse = true;
    const taken: string[] = [];
    const chain: AuditChain = {
      appendAll: async (events) => {
        if (refuse) throw new Error('no binding');
        taken.push(...events.map((e) => e.request_id));
      },
    };
    const batcher = new AuditBatcher(() => chain);
    const opened = batcher.add('north', event('a'));
    batcher.add('north', event('b'));
    await expect(opened?.sent).rejects.toThrow('no binding');
    expect(ids(opened)).toEqual(['a', 'b']);
    refuse = false;
    await batcher.add('north', event('c'))?.sent;
    expect(taken).toEqual(['c']);
  });
});
