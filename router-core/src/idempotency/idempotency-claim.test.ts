import { describe, expect, it } from 'vitest';
import { type IdempotencyRecord, idempotencyStep } from './idempotency-claim.ts';

const response = { status: 200, headers: [] as [string, string][], body: '{"id":"a"}' };

describe('one look at an idempotency key (both doors)', () => {
  it.each<{ name: string; record: IdempotencyRecord | undefined; kind: string }>([
    { name: 'a key nobody used runs', record: undefined, kind: 'run' },
    {
      name: 'a stored answer for the same body replays',
      record: { state: 'done', fingerprint: 'f', response },
      kind: 'replay',
    },
    {
      name: 'a stored answer for another body conflicts',
      record: { state: 'done', fingerprint: 'g', response },
      kind: 'conflict',
    },
    {
      name: 'a live run of the same body is waited for',
      record: { state: 'running', fingerprint: 'f', until: 2_000 },
      kind: 'wait',
    },
    {
      name: 'a live run of another body conflicts',
      record: { state: 'running', fingerprint: 'g', until: 2_000 },
      kind: 'conflict',
    },
    {
      name: 'a run past its deadline is presumed lost: the key runs again',
      record: { state: 'running', fingerprint: 'g', until: 1_000 },
      kind: 'run',
    },
  ])('$name', ({ record, kind }) => {
    expect(idempotencyStep(record, 'f', 1_000).kind).toBe(kind);
  });
});
