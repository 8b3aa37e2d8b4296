import { describe, expect, it } from 'vitest';
import { foldPlainAnswer } from './plain-answer.ts';
import { foldParsedAnswer } from './whole-answer.ts';

const event = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [{ index: 0, finish_reason: null, ...choice }], ...extra })}\n\n`;
const text = (content: string | null) => event({ delta: { content }, logprobs: null });
const FINISH = event({ delta: {}, finish_reason: 'stop' });
const USAGE = event(
  {},
  { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
);
const DONE = 'data: [DONE]\n\n';

const both = (body: string) => {
  const folded = (fold: () => unknown) => {
    try {
      return fold();
    } catch (error) {
      return { thrown: (error as Error).message };
    }
  };
  return {
    plain: folded(() => foldPlainAnswer(Buffer.from(body), 'p')),
    parsed: folded(() => foldParsedAnswer(body, 'p')),
  };
};

describe('a whole answer folded off its bytes', () => {
  it('is the answer every event parsed would give', () => {
    const bodies = [
      `${event({ delta: { role: 'assistant', content: '' } })}${text('Hel')}${text('lo')}${FINISH}${USAGE}${DONE}`,
      // Escapes and characters outside ASCII, a surrogate pair cut across two events.
      `${text('a "q"\n')}${text('\\ é ')}${text('\ud83d')}${text('\ude00 ok')}${FINISH}${DONE}`,
      // Text after a parsed event and before the finish, no text at all, a last event with no blank line.
      `${text('a')}${text(null)}${event({ delta: { content: 'b' }, logprobs: { content: [] } })}${text('c')}${FINISH.trimEnd()}`,
      `${event({ delta: { role: 'assistant' } })}${event({ delta: { tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'f', arguments: '{"a":' } }] } })}${event({ delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } })}${event({ delta: {}, finish_reason: 'tool_calls' })}${DONE}`,
      `${text('a')}${text('b')}`,
      `${text('a')}data: {"error":{"message":"gone"}}\n\n`,
      `data: {"error":{"message":"overloaded"}}\n\n`,
      '',
    ];
    for (const body of bodies) {
      const { plain, parsed } = both(body);
      expect(plain).toEqual(parsed);
    }
    expect(both(bodies[1] as string).plain).toMatchObject({
      choices: [{ message: { content: 'a "q"\n\\ é 😀 ok' } }],
    });
  });

  it('leaves a body in another form to the parsed read', () => {
    for (const body of [
      `${text('a')}: a comment\n\n${FINISH}`,
      `${text('a').replace('\n\n', '\r\n\r\n')}${FINISH}`,
      `event: chunk\n${text('a')}${FINISH}`,
    ]) {
      expect(foldPlainAnswer(Buffer.from(body), 'p')).toBeUndefined();
    }
  });
});
