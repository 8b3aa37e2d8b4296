import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChoiceLogprobs,
  FinishReason,
  ToolCall,
  Usage,
} from '@switchback/router-core';

/** Folds a stream of chunks back into the one completion a non-streaming client expects. */
export const createCompletionAssembler = () => {
  let head:
    | Pick<ChatCompletionChunk, 'id' | 'created' | 'model' | 'system_fingerprint'>
    | undefined;
  let content: string | null = null;
  let reasoning = '';
  let refusal: string | null = null;
  let finish: FinishReason | null = null;
  let usage: Usage | undefined;
  const calls = new Map<number, ToolCall>();
  // Each chunk's logprobs cover its own tokens; the completion's are all of them in order.
  let logprobs:
    | {
        content: NonNullable<ChoiceLogprobs['content']>;
        refusal: NonNullable<ChoiceLogprobs['refusal']>;
      }
    | undefined;

  return {
    add(chunk: ChatCompletionChunk): void {
      head ??= {
        id: chunk.id,
        created: chunk.created,
        model: chunk.model,
        ...(chunk.system_fingerprint ? { system_fingerprint: chunk.system_fingerprint } : {}),
      };
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        const { delta } = choice;
        if (choice.logprobs) {
          logprobs ??= { content: [], refusal: [] };
          logprobs.content.push(...(choice.logprobs.content ?? []));
          logprobs.refusal.push(...(choice.logprobs.refusal ?? []));
        }
        if (typeof delta.content === 'string') content = (content ?? '') + delta.content;
        if (delta.reasoning_content) reasoning += delta.reasoning_content;
        if (typeof delta.refusal === 'string') refusal = (refusal ?? '') + delta.refusal;
        for (const call of delta.tool_calls ?? []) {
          const existing = calls.get(call.index);
          if (existing) {
            existing.function.arguments += call.function?.arguments ?? '';
            if (call.id) existing.id = call.id;
            if (call.function?.name) existing.function.name += call.function.name;
          } else {
            calls.set(call.index, {
              id: call.id ?? '',
              type: 'function',
              function: {
                name: call.function?.name ?? '',
                arguments: call.function?.arguments ?? '',
              },
            });
          }
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    },
    /** Choice 0's text of a chunk that carries nothing else, read without parsing the chunk. */
    addText(text: string): void {
      content = (content ?? '') + text;
    },
    result(): ChatCompletion {
      const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
      const message: ChatCompletion['choices'][number]['message'] = {
        role: 'assistant',
        content: toolCalls.length > 0 && content === '' ? null : content,
      };
      if (refusal !== null) message.refusal = refusal;
      if (reasoning !== '') message.reasoning_content = reasoning;
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      const completion: ChatCompletion = {
        id: head?.id ?? 'chatcmpl-unknown',
        object: 'chat.completion',
        created: head?.created ?? Math.floor(Date.now() / 1000),
        model: head?.model ?? '',
        choices: [
          {
            index: 0,
            message,
            finish_reason: finish ?? 'stop',
            logprobs:
              logprobs === undefined ? null : assembledLogprobs(logprobs, toolCalls.length > 0),
          },
        ],
      };
      if (usage) completion.usage = usage;
      if (head?.system_fingerprint) completion.system_fingerprint = head.system_fingerprint;
      return completion;
    },
  };
};

/** OpenAI's shape: `content` null for an answer that is a tool call, `refusal` null when empty. */
const assembledLogprobs = (
  logprobs: {
    content: NonNullable<ChoiceLogprobs['content']>;
    refusal: NonNullable<ChoiceLogprobs['refusal']>;
  },
  toolCall: boolean,
): ChoiceLogprobs => ({
  content: toolCall && logprobs.content.length === 0 ? null : logprobs.content,
  refusal: logprobs.refusal.length === 0 ? null : logprobs.refusal,
});
