import { describe, expect, it } from 'vitest';
import { joinBytes, takeBytes } from './byte-pool.ts';

describe('the bytes SSE writes are cut from', () => {
  it('never hands the same bytes out twice, across slabs', () => {
    const taken = Array.from({ length: 400 }, (_, i) => {
      const bytes = takeBytes(100 + (i % 7));
      bytes.fill(i % 251);
      return { bytes, value: i % 251 };
    });
    for (const { bytes, value } of taken) expect(bytes.every((byte) => byte === value)).toBe(true);
  });

  it('a large write gets an array of its own', () => {
    const large = takeBytes(64 * 1024);
    expect(large.byteLength).toBe(64 * 1024);
    expect(large.byteOffset).toBe(0);
  });

  it('joins parts in order', () => {
    const text = new TextDecoder().decode(
      joinBytes([new TextEncoder().encode('data: '), new TextEncoder().encode('x\n\n')], 9),
    );
    expect(text).toBe('data: x\n\n');
  });
});
