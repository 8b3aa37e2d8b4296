import { describe, expect, it } from 'vitest';
import { linkedController } from './linked-signal.ts';

describe('linkedController', () => {
  it('aborts with the reason of whichever signal aborts first', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkedController([a.signal, b.signal]);
    expect(linked.signal.aborted).toBe(false);
    b.abort('b went');
    a.abort('a went');
    expect(linked.signal.reason).toBe('b went');
  });

  it('starts aborted when a signal already is, and aborts on its own too', () => {
    const done = new AbortController();
    done.abort('early');
    expect(linkedController([done.signal]).signal.reason).toBe('early');
    const own = linkedController([new AbortController().signal]);
    own.abort('mine');
    expect(own.signal.reason).toBe('mine');
  });
});
