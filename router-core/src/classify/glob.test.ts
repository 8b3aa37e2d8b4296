import { describe, expect, it } from 'vitest';
import { globAny, globMatch } from './glob.ts';

describe('globMatch', () => {
  it.each([
    ['refund_*', 'refund_order', true],
    ['refund_*', 'refund_', true],
    ['refund_*', 'order_refund', false],
    ['*_order', 'refund_order', true],
    ['*', 'anything', true],
    ['get_weather', 'get_weather', true],
    ['get_weather', 'get_weather2', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['', '', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(globMatch(pattern, name)).toBe(expected);
  });

  it('does not blow up on many stars', () => {
    expect(globMatch(`${'*a'.repeat(30)}b`, 'a'.repeat(5_000))).toBe(false);
  });

  it('matches any of several patterns', () => {
    expect(globAny(['delete_*', 'send_*'], 'send_email')).toBe(true);
    expect(globAny([], 'send_email')).toBe(false);
  });
});
