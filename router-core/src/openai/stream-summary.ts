import type {
  ChatCompletion,
  ChatCompletionChunk,
  FinishReason,
  ToolCall,
} from './chat-response.ts';

/**
 * What a streamed answer said, put back together from its chunks (first choice): its text, its
 * tool calls (fragments joined by index) and finish reason, as a `ChatCompletion` for the
 * policy and audit code that reads answers whole.
 */
export const createStreamSummary = () => {
  let content = '';
  let finish: FinishReason | null = null;
  let model = '';
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  return {
    add(chunk: ChatCompletionChunk): void {
      if (chunk.model) model = chunk.model;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (choice === undefined) return;
      if (choice.delta.content) content += choice.delta.content;
      if (choice.finish_reason) finish = choice.finish_reason;
      for (const delta of choice.delta.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        if (delta.function?.arguments) call.arguments += delta.function.arguments;
        calls.set(delta.index, call);
      }
    },
    completion(): ChatCompletion {
      const toolCalls: ToolCall[] = [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, c]) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        }));
      return {
        id: '',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: finish ?? 'stop',
            logprobs: null,
          },
        ],
      };
    },
  };
};

export type StreamSummary = ReturnType<typeof createStreamSummary>;
