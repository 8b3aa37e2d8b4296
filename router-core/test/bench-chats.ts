import { estimateTextTokens } from '../src/classify/estimate-tokens.ts';
import type { ChatCompletionRequest, ChatMessage } from '../src/openai/chat-request.ts';

/**
 * Chats of a given size for the classify + decide benchmarks: turns cut from every text of the
 * token corpus (prose, code, data, twenty languages), so each size has the same mix and only the
 * length changes.
 */
export const benchChats = (corpusJsonl: string) => {
  const turns = corpusJsonl
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text.slice(0, 420));
  const unitTokens = turns.reduce((n, t) => n + estimateTextTokens(t) + 3, 0);
  return (tokens: number): ChatCompletionRequest => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a helpful assistant for an engineering team.' },
    ];
    const count = Math.round((turns.length * tokens) / unitTokens);
    for (let i = 0; i < count; i++) {
      messages.push({
        role: i % 2 === 0 ? 'user' : 'assistant',
        content: turns[i % turns.length] ?? '',
      });
    }
    messages.push({
      role: 'user',
      content: 'Given all of that, what should we do first, and why?',
    });
    // A router receives flat strings from JSON.parse, never slices: once V8's string reads have
    // seen the SlicedStrings that `slice` makes, the scanner stays about twice as slow even on
    // flat strings (a plain charCodeAt loop six times), so a benchmark over slices measures the
    // wrong thing.
    return JSON.parse(JSON.stringify({ model: 'auto', messages })) as ChatCompletionRequest;
  };
};

/** Characters of text in a request. */
export const charsOf = (request: ChatCompletionRequest): number =>
  request.messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);

/** The cheapest possible pass over the same text: a yardstick for the machine's speed. */
export const plainPass = (request: ChatCompletionRequest): number => {
  let sum = 0;
  for (const m of request.messages) {
    const text = typeof m.content === 'string' ? m.content : '';
    for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  }
  return sum;
};
