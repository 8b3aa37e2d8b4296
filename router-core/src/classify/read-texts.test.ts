import { describe, expect, it } from 'vitest';
import { benchChats } from '../../test/bench-chats.ts';
import corpusText from '../../test/data/token-corpus.jsonl?raw';
import { exampleConfig, tenantOf } from '../../test/example-config.ts';
import { chat } from '../../test/requests.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { classify } from './classify.ts';
import {
  estimateTextTokens,
  MESSAGE_OVERHEAD_TOKENS,
  REPLY_PRIMING_TOKENS,
} from './estimate-tokens.ts';
import { CONTEXT_WINDOW_CHARS, MIN_CONTEXT_WINDOWS } from './read-budget.ts';
import { scanText } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

const demo = tenantOf('demo');
const run = (request: ChatCompletionRequest) =>
  classify(request, { config: exampleConfig, tenant: demo });
const chatOf = benchChats(corpusText);

/** What reading every character would estimate: each text in full, plus the framing. */
const fullReadTokens = (request: ChatCompletionRequest): number =>
  request.messages.reduce(
    (sum, m) =>
      sum +
      MESSAGE_OVERHEAD_TOKENS +
      estimateTextTokens(typeof m.content === 'string' ? m.content : ''),
    REPLY_PRIMING_TOKENS,
  );

/** English prose from the token corpus, repeated to about `chars` characters. */
const prose = (chars: number): string => {
  const texts = corpusText
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; text: string })
    .filter((t) => /^(prose|news|legal|history|philosophy)/.test(t.kind))
    .map((t) => t.text)
    .join('\n\n');
  return texts.repeat(Math.ceil(chars / texts.length)).slice(0, chars);
};

describe('reading a request within the read budget', () => {
  it.each([2_000, 10_000, 100_000])(
    'estimates the %i-token bench chat within 10 % of reading every character',
    (tokens) => {
      const request = chatOf(tokens);
      const sampled = run(request).estimatedTokens;
      const full = fullReadTokens(request);
      const error = (sampled - full) / full;
      console.log(
        `${tokens / 1000}k-token bench chat: ${sampled} tokens estimated from the sample, ${full} from a full read (${(error * 100).toFixed(1)} %)`,
      );
      expect(Math.abs(error)).toBeLessThan(0.1);
    },
  );

  it('estimates 300 mixed chats (each message a slice of another corpus text) within 15 %, 5 % on average', () => {
    const texts = corpusText
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { text: string }).text);
    let seed = 1;
    const next = (below: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return Math.floor((seed / 2 ** 32) * below);
    };
    const errors = Array.from({ length: 300 }, () => {
      const messages: ChatCompletionRequest['messages'] = [
        { role: 'system', content: 'You are a helpful assistant.' },
      ];
      const count = 3 + Math.floor(next(400) ** 2 / 400);
      for (let i = 0; i < count; i++) {
        const text = texts[next(texts.length)] ?? '';
        const at = next(Math.floor(text.length / 2));
        const content = text.slice(at, at + 50 + next(800));
        messages.push({ role: i % 2 === 0 ? 'user' : 'assistant', content });
      }
      messages.push({ role: 'user', content: 'What now?' });
      const request = JSON.parse(JSON.stringify(chat(messages))) as ChatCompletionRequest;
      const full = fullReadTokens(request);
      return Math.abs(run(request).estimatedTokens - full) / full;
    });
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    console.log(
      `300 mixed chats: mean |error| ${(mean * 100).toFixed(1)} %, worst ${(Math.max(...errors) * 100).toFixed(1)} %`,
    );
    expect(mean).toBeLessThan(0.05);
    expect(Math.max(...errors)).toBeLessThan(0.15);
  });

  it('reads a context that fits in the windows whole: the estimate is the full read', () => {
    const request = chat([
      { role: 'system', content: 'You are terse. Answer in one line, in English or French.' },
      { role: 'user', content: 'Quelle est la capitale de la Pologne ?' },
      { role: 'assistant', content: 'Varsovie (Warszawa), depuis 1596.' },
      { role: 'user', content: 'And its population, roughly?' },
    ]);
    // Every text scanned whole, rounded once (estimateTextTokens rounds each text).
    const whole = request.messages.reduce((sum, m) => {
      const stats = new TextStats();
      scanText(typeof m.content === 'string' ? m.content : '', stats, 0);
      return sum + MESSAGE_OVERHEAD_TOKENS + stats.tokens;
    }, REPLY_PRIMING_TOKENS);
    expect(run(request).estimatedTokens).toBe(Math.round(whole));
  });

  it('finds PII deep in the unread middle of a long context message', () => {
    const document = prose(60_000);
    const at = Math.floor(document.length * 0.3);
    const withCard = `${document.slice(0, at)} Card 4111 1111 1111 1111 on file. ${document.slice(at)}`;
    expect(document.length).toBeGreaterThan(20 * MIN_CONTEXT_WINDOWS * CONTEXT_WINDOW_CHARS);
    const ask = {
      role: 'user',
      content: 'What does the document say about the lighthouse?',
    } as const;
    const clean = run(
      chat([{ role: 'user', content: document }, { role: 'assistant', content: 'Read.' }, ask]),
    );
    const card = run(
      chat([{ role: 'user', content: withCard }, { role: 'assistant', content: 'Read.' }, ask]),
    );
    expect(clean.riskFactors).toEqual([]);
    expect(card.riskFactors).toEqual(['pii']);
    expect(card.features?.pii).toBe(1);
  });

  it('finds PII in the unread middle of a long ask, once', () => {
    const document = prose(30_000);
    const at = Math.floor(document.length * 0.6);
    const ask = `Summarise this for jane.doe@example.com:\n\n${document.slice(0, at)} Call (415) 555-0132. ${document.slice(at)}`;
    expect(run(chat(ask)).features?.pii).toBe(2);
  });

  it('still counts the cues of the ask behind a 100k-token context', () => {
    const context = chatOf(100_000).messages.slice(0, -1);
    const asking = (content: string) => run(chat([...context, { role: 'user', content }]));
    const plain = asking('Thanks, that is all for today.');
    const hard = asking(
      'Prove that the algorithm terminates, and analyse its complexity step by step.',
    );
    expect(hard.features?.reasoningCues ?? 0).toBeGreaterThan(
      (plain.features?.reasoningCues ?? 0) + 1,
    );
    expect(hard.features?.mathCues ?? 0).toBeGreaterThan(plain.features?.mathCues ?? 0);
  });

  it('counts a cue in the tail of a long ask, not one in its unread middle', () => {
    const document = prose(20_000);
    const middle = Math.floor(document.length / 2);
    const withProof = `${document.slice(0, middle)} Prove it. ${document.slice(middle)}`;
    const tail = run(chat(`${document}\n\nProve that this argument holds.`));
    const buried = run(chat(withProof));
    expect(tail.features?.mathCues).toBeGreaterThan(0);
    expect(buried.features?.mathCues).toBe(0);
  });

  it('reads a long text of another script as that script from its sample', () => {
    const chinese = corpusText
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; text: string })
      .filter((t) => t.kind.startsWith('chinese'))
      .map((t) => t.text)
      .join('')
      .repeat(50);
    const c = run(
      chat([
        { role: 'system', content: chinese },
        { role: 'user', content: '总结一下。' },
      ]),
    );
    expect(chinese.length).toBeGreaterThan(5 * MIN_CONTEXT_WINDOWS * CONTEXT_WINDOW_CHARS);
    expect(c.features?.nonLatinShare).toBeGreaterThan(0.9);
  });

  it('classifies the same long request the same way twice', () => {
    const request = chatOf(100_000);
    expect(run(request)).toEqual(run(request));
  });
});
