import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { createRequestRedactor, promptRedactor } from './redact-request.ts';

const redact = createRequestRedactor();

const request = (messages: ChatCompletionRequest['messages']): ChatCompletionRequest => ({
  model: 'auto',
  messages,
});

describe('prompt PII redaction', () => {
  it('redacts every role’s text, text parts and string values inside tool arguments', () => {
    const out = redact(
      request([
        { role: 'system', content: 'Escalate to ops@example.com.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'My card is 4111 1111 1111 1111.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: {
                name: 'lookup',
                arguments: '{"email":"jane@example.org","since":1700000000123}',
              },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Found jane@example.org' },
      ]),
    );
    expect(out.kinds).toEqual(['card', 'email']);
    expect(out.request.messages).toEqual([
      { role: 'system', content: 'Escalate to [redacted:email].' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'My card is [redacted:card].' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            // The number stays a number: arguments are redacted value by value.
            function: {
              name: 'lookup',
              arguments: '{"email":"[redacted:email]","since":1700000000123}',
            },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Found [redacted:email]' },
    ]);
  });

  it('returns a clean request as the same object, and a redacted one unchanged the second time', () => {
    const clean = request([{ role: 'user', content: 'Order 42 ships on 2026-11-23.' }]);
    expect(redact(clean)).toEqual({ request: clean, kinds: [] });
    const once = redact(request([{ role: 'user', content: 'Mail jane@example.org' }])).request;
    expect(redact(once)).toEqual({ request: once, kinds: [] });
  });

  it('takes the kinds and patterns of the config’s `pii` section, and none when it is off', () => {
    const configured = promptRedactor({
      redactPrompts: true,
      kinds: ['email'],
      custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }],
    });
    const out = configured?.(
      request([{ role: 'user', content: 'EMP-123456 at a@b.io, card 4111111111111111' }]),
    );
    expect(out?.request.messages[0]).toEqual({
      role: 'user',
      content: '[redacted:employee_id] at [redacted:email], card 4111111111111111',
    });
    expect(promptRedactor({ redactPrompts: false, kinds: [], custom: [] })).toBeUndefined();
  });
});
