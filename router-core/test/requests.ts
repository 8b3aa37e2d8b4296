import type { ChatCompletionRequest, ChatMessage } from '../src/index.ts';

/** A chat request with one user message (or the given messages) and extra fields. */
export const chat = (
  content: string | ChatMessage[],
  extra: Partial<ChatCompletionRequest> = {},
): ChatCompletionRequest => ({
  model: 'auto',
  messages: typeof content === 'string' ? [{ role: 'user', content }] : content,
  ...extra,
});

/** A function tool with the given name. */
export const tool = (name: string, description = `Calls ${name}.`) =>
  ({
    type: 'function',
    function: {
      name,
      description,
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    },
  }) as const;
