import { describe, expect, it } from 'vitest';
import { GatewayCache } from './gateway-cache.ts';

const answer = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{}'),
};

describe("the simulator's gateway cache", () => {
  it('answers within the TTL and forgets after it', () => {
    const cache = new GatewayCache();
    cache.set('k', answer, 1_000, 0);
    expect(cache.get('k', 999)).toMatchObject(answer);
    expect(cache.get('k', 1_000)).toBeUndefined();
  });

  it('keys by path, credential and body', () => {
    const body = Buffer.from('{"a":1}');
    const key = GatewayCache.key('/gateway/v1/a/g/openai/chat/completions', 'Bearer x', body);
    expect(GatewayCache.key('/gateway/v1/a/g/openai/chat/completions', 'Bearer x', body)).toBe(key);
    expect(GatewayCache.key('/gateway/v1/a/h/openai/chat/completions', 'Bearer x', body)).not.toBe(
      key,
    );
    expect(GatewayCache.key('/gateway/v1/a/g/openai/chat/completions', 'Bearer y', body)).not.toBe(
      key,
    );
    expect(
      GatewayCache.key('/gateway/v1/a/g/openai/chat/completions', 'Bearer x', Buffer.from('{}')),
    ).not.toBe(key);
  });

  it('drops the oldest answer when full', () => {
    const cache = new GatewayCache(2);
    cache.set('a', answer, 1_000, 0);
    cache.set('b', answer, 1_000, 0);
    cache.set('c', answer, 1_000, 0);
    expect([
      cache.get('a', 1),
      cache.get('b', 1) !== undefined,
      cache.get('c', 1) !== undefined,
    ]).toEqual([undefined, true, true]);
  });
});
