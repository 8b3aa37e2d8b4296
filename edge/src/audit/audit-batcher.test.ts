import type { RequestAuditEvent } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { AuditBatcher } from './audit-batcher.ts';

const event = (id: string, tenant = 'north'): RequestAuditEvent => ({
  type: 'request',
  ts: '2026-12-02T12:00:00.000Z',
  request_id: id,
  tenant,
  outcome: 'ok',
});

describe('AuditBatcher', () => {
  it('sends the events of one turn to each chain in one call, in order, and later ones in another', async () => {
    const calls: string[][] = [];
    const chain = (name: string) => () => ({
      appendAll: async (events: RequestAuditEvent[]) => {
        calls.push([name, ...events.map((e) => e.request_id)]);
      },
    });
    const batcher = new AuditBatcher();
    await Promise.all([
      batcher.send('north', chain('north'), event('a')),
      batcher.send('south', chain('south'), event('x', 'south')),
      batcher.send('north', chain('north'), event('b')),
      batcher.send('north', chain('north'), event('c')),
    ]);
    await batcher.send('north', chain('north'), event('d'));
    expect(calls).toEqual([
      ['north', 'a', 'b', 'c'],
      ['south', 'x'],
      ['north', 'd'],
    ]);
  });

  it('rejects every event of a batch its chain refused, and the next batch goes through', async () => {
    const batcher = new AuditBatcher();
    const refusing = () => ({
      appendAll: async () => {
        throw new Error('no binding');
      },
    });
    const sent = [
      batcher.send('north', refusing, event('a')),
      batcher.send('north', refusing, event('b')),
    ];
    expect(await Promise.allSettled(sent)).toMatchObject([
      { status: 'rejected' },
      { status: 'rejected' },
    ]);
    const taken: string[] = [];
    await batcher.send(
      'north',
      () => ({ appendAll: async (e) => void taken.push(e[0]?.request_id ?? '') }),
      event('c'),
    );
    expect(taken).toEqual(['c']);
  });
});
