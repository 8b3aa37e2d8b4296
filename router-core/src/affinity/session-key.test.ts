import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from './session-key.ts';

const headers = (value?: string, id?: string) =>
  new Headers({
    ...(value === undefined ? {} : { 'x-session-affinity': value }),
    ...(id === undefined ? {} : { 'x-session-id': id }),
  });

describe('sessionKeyOf', () => {
  it.each([
    { name: 'the header wins over user', header: 'sess-1', user: 'u-1', key: 'sess-1' },
    { name: 'user is the fallback', header: undefined, user: 'u-1', key: 'u-1' },
    { name: 'a blank header falls back to user', header: '   ', user: 'u-1', key: 'u-1' },
    { name: 'neither gives no key', header: undefined, user: undefined, key: undefined },
    { name: 'whitespace is trimmed', header: '  abc  ', user: undefined, key: 'abc' },
    {
      name: 'a huge key is cut to 256 chars',
      header: 'x'.repeat(1000),
      user: undefined,
      key: 'x'.repeat(256),
    },
  ])('$name', ({ header, user, key }) => {
    expect(sessionKeyOf(user === undefined ? {} : { user }, headers(header))).toBe(key);
  });

  it.each([
    {
      name: 'x-session-affinity wins over x-session-id',
      header: 'a',
      id: 'b',
      user: 'u',
      key: 'a',
    },
    { name: 'x-session-id wins over user', header: undefined, id: 'b', user: 'u', key: 'b' },
    {
      name: 'a blank x-session-id falls back to user',
      header: undefined,
      id: ' ',
      user: 'u',
      key: 'u',
    },
    { name: 'x-session-id alone', header: undefined, id: 'b', user: undefined, key: 'b' },
  ])('$name', ({ header, id, user, key }) => {
    expect(sessionKeyOf(user === undefined ? {} : { user }, headers(header, id))).toBe(key);
  });
});
