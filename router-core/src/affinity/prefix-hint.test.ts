import { describe, expect, it } from 'vitest';
import { chat, tool } from '../../test/requests.ts';
import type { ChatMessage } from '../openai/chat-request.ts';
import { prefixHint } from './prefix-hint.ts';

const config = { prefix: { headTurns: 1, minTokens: 50 } };
const system = `You are a support agent for Acme. ${'Follow the refund policy carefully. '.repeat(20)}`;
const conversation = (question: string): ChatMessage[] => [
  { role: 'system', content: system },
  { role: 'user', content: 'I want to return my order.' },
  { role: 'assistant', content: 'Sure, what is the order number?' },
  { role: 'user', content: question },
];

describe('prefixHint', () => {
  it('is the same for two requests that share system prompt, tools and first turn', () => {
    const a = prefixHint(
      chat(conversation('It is 1234.'), { tools: [tool('lookup_order')] }),
      'demo',
      config,
    );
    const b = prefixHint(
      chat(conversation('Actually 9876.'), { tools: [tool('lookup_order')] }),
      'demo',
      config,
    );
    expect(a?.key).toMatch(/^pfx-[0-9a-f]{16}$/);
    expect(a).toEqual(b);
    expect(a?.messageCount).toBe(2);
  });

  it.each([
    { name: 'another tenant', change: { tenant: 'acme' } },
    { name: 'another system prompt', change: { system: `${system} Be brief.` } },
    { name: 'another tool set', change: { tools: [tool('refund_order')] } },
    { name: 'another first turn', change: { first: 'I want to cancel my order.' } },
  ])('changes with $name', ({ change }) => {
    const build = (c: {
      tenant?: string;
      system?: string;
      tools?: ReturnType<typeof tool>[];
      first?: string;
    }) => {
      const messages = conversation('It is 1234.');
      messages[0] = { role: 'system', content: c.system ?? system };
      messages[1] = { role: 'user', content: c.first ?? 'I want to return my order.' };
      return prefixHint(
        chat(messages, { tools: c.tools ?? [tool('lookup_order')] }),
        c.tenant ?? 'demo',
        config,
      );
    };
    expect(build(change)?.key).not.toBe(build({})?.key);
  });

  it('covers more turns when headTurns says so', () => {
    const hint = prefixHint(chat(conversation('x')), 'demo', {
      prefix: { headTurns: 3, minTokens: 0 },
    });
    expect(hint?.messageCount).toBe(4);
  });

  it('sends no hint for a head under minTokens', () => {
    expect(
      prefixHint(chat('hello'), 'demo', { prefix: { headTurns: 1, minTokens: 1024 } }),
    ).toBeUndefined();
  });

  it('estimates the head tokens', () => {
    const hint = prefixHint(chat(conversation('x')), 'demo', config);
    // ~150 tokens of system prompt, ~7 of first turn, plus framing.
    expect(hint?.tokens).toBeGreaterThan(140);
    expect(hint?.tokens).toBeLessThan(200);
  });
});
