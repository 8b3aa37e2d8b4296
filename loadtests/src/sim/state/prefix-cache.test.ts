import { describe, expect, it } from 'vitest';
import { openAiCachedTokens, PrefixCache, type PromptSegment } from './prefix-cache.ts';

const message = (text: string, tokens: number): PromptSegment => ({
  tokens,
  value: text,
  boundary: true,
});

describe('prefix cache', () => {
  it('hits the longest boundary seen before, not the first request', () => {
    const cache = new PrefixCache();
    const head = [message('system', 1100), message('turn 1', 200)];
    expect(cache.observe('s', [...head, message('q1', 10)]).hitTokens).toBe(0);
    expect(cache.observe('s', [...head, message('q2', 10)]).hitTokens).toBe(1300);
    expect(cache.observe('other scope', [...head, message('q2', 10)]).hitTokens).toBe(0);
  });

  it('ignores prefixes under 1024 tokens', () => {
    const cache = new PrefixCache();
    const prompt = [message('short', 1000), message('q', 10)];
    cache.observe('s', prompt);
    expect(cache.observe('s', prompt)).toEqual({ hitTokens: 0, lastBoundaryTokens: 0 });
  });

  it('forgets the least recently used prefix beyond its capacity', () => {
    const cache = new PrefixCache(2);
    const prompt = (text: string) => [message(text, 2000)];
    cache.observe('s', prompt('a'));
    cache.observe('s', prompt('b'));
    cache.observe('s', prompt('a'));
    cache.observe('s', prompt('c'));
    expect(cache.size).toBe(2);
    expect(cache.observe('s', prompt('b')).hitTokens).toBe(0);
  });

  it('rounds OpenAI cached tokens down to 128-token blocks from 1024 up', () => {
    expect(openAiCachedTokens(1023)).toBe(0);
    expect(openAiCachedTokens(1024)).toBe(1024);
    expect(openAiCachedTokens(1300)).toBe(1280);
  });
});
