import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChoiceLogprobs,
  ChunkDelta,
  FinishReason,
  ToolCall,
  ToolCallDelta,
  Usage,
} from '@switchback/router-core';
import type {
  ChatCompletionChunk as SdkChunk,
  ChatCompletion as SdkCompletion,
  ChatCompletionTokenLogprob as SdkTokenLogprob,
} from 'openai/resources/chat/completions';
import type { CompletionUsage as SdkUsage } from 'openai/resources/completions';

// The OpenAI-shaped providers differ in what they add (Workers AI's `reasoning_content`, vLLM's
// `reasoning`): read those through this view rather than widening the SDK's types.
type Extras = { reasoning_content?: unknown; reasoning?: unknown };

const reasoningOf = (value: object): string | undefined => {
  const { reasoning_content, reasoning } = value as Extras;
  if (typeof reasoning_content === 'string') return reasoning_content;
  return typeof reasoning === 'string' ? reasoning : undefined;
};

/** OpenAI's legacy `function_call` is a tool call too; anything unknown ends like a normal stop. */
export const toFinishReason = (reason: string | null | undefined): FinishReason | null => {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
};

export const toUsage = (usage: SdkUsage | null | undefined): Usage | undefined => {
  if (!usage) return undefined;
  const out: Usage = {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') out.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number')
    out.completion_tokens_details = { reasoning_tokens: reasoning };
  return out;
};

const toTokenLogprobs = (
  entries: SdkTokenLogprob[] | null | undefined,
): ChoiceLogprobs['content'] =>
  entries == null
    ? null
    : entries.map((entry) => ({
        token: entry.token,
        logprob: entry.logprob,
        bytes: entry.bytes ?? null,
        top_logprobs: (entry.top_logprobs ?? []).map((top) => ({
          token: top.token,
          logprob: top.logprob,
          bytes: top.bytes ?? null,
        })),
      }));

/** A choice's logprobs as the provider sent them (null when none were asked for or sent). */
export const toLogprobs = (
  logprobs:
    | { content?: SdkTokenLogprob[] | null; refusal?: SdkTokenLogprob[] | null }
    | null
    | undefined,
): ChoiceLogprobs | null =>
  logprobs == null
    ? null
    : {
        content: toTokenLogprobs(logprobs.content),
        refusal: toTokenLogprobs(logprobs.refusal),
      };

const toToolCallDelta = (call: SdkChunk.Choice.Delta.ToolCall): ToolCallDelta => {
  const out: ToolCallDelta = { index: call.index };
  if (call.id) out.id = call.id;
  if (call.type === 'function' || call.id) out.type = 'function';
  if (call.function) {
    out.function = {};
    if (call.function.name !== undefined) out.function.name = call.function.name;
    if (call.function.arguments !== undefined) out.function.arguments = call.function.arguments;
  }
  return out;
};

const toDelta = (delta: SdkChunk.Choice.Delta): ChunkDelta => {
  const out: ChunkDelta = {};
  if (delta.role === 'assistant') out.role = 'assistant';
  if (delta.content !== undefined) out.content = delta.content;
  const reasoning = reasoningOf(delta);
  if (reasoning !== undefined) out.reasoning_content = reasoning;
  if (delta.refusal !== undefined) out.refusal = delta.refusal;
  if (delta.tool_calls && delta.tool_calls.length > 0) {
    out.tool_calls = delta.tool_calls.map(toToolCallDelta);
  }
  return out;
};

/** An SDK chunk in router-core's shape (only the fields the router speaks). */
export const toChunk = (chunk: SdkChunk): ChatCompletionChunk => {
  const out: ChatCompletionChunk = {
    id: chunk.id,
    object: 'chat.completion.chunk',
    created: chunk.created,
    model: chunk.model,
    choices: chunk.choices.map((choice) => {
      const logprobs = toLogprobs(choice.logprobs);
      return {
        index: choice.index,
        delta: toDelta(choice.delta ?? {}),
        finish_reason: toFinishReason(choice.finish_reason),
        ...(logprobs === null ? {} : { logprobs }),
      };
    }),
  };
  const usage = toUsage(chunk.usage);
  if (usage) out.usage = usage;
  if (chunk.system_fingerprint) out.system_fingerprint = chunk.system_fingerprint;
  return out;
};

const toToolCalls = (message: SdkCompletion.Choice['message']): ToolCall[] | undefined => {
  const calls: ToolCall[] = [];
  for (const call of message.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    calls.push({
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    });
  }
  return calls.length > 0 ? calls : undefined;
};

/** An SDK completion in router-core's shape. */
export const toCompletion = (completion: SdkCompletion): ChatCompletion => {
  const out: ChatCompletion = {
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model,
    choices: completion.choices.map((choice) => {
      const message: ChatCompletion['choices'][number]['message'] = {
        role: 'assistant',
        content: choice.message.content ?? null,
      };
      if (choice.message.refusal) message.refusal = choice.message.refusal;
      const reasoning = reasoningOf(choice.message);
      if (reasoning !== undefined) message.reasoning_content = reasoning;
      const toolCalls = toToolCalls(choice.message);
      if (toolCalls) message.tool_calls = toolCalls;
      return {
        index: choice.index,
        message,
        finish_reason: toFinishReason(choice.finish_reason) ?? 'stop',
        logprobs: toLogprobs(choice.logprobs),
      };
    }),
  };
  const usage = toUsage(completion.usage);
  if (usage) out.usage = usage;
  if (completion.system_fingerprint) out.system_fingerprint = completion.system_fingerprint;
  return out;
};
