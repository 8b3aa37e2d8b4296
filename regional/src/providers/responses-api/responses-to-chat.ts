import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChunkDelta,
  FinishReason,
  TokenLogprob,
  ToolCall,
  Usage,
} from '@switchback/router-core';

/** What the router reads of an OpenAI Response object (`POST /v1/responses`). */
export type ResponsesAnswer = {
  id: string;
  created_at: number;
  model: string;
  status: string;
  incomplete_details?: { reason?: string } | null;
  error?: { code?: string; message?: string } | null;
  output: (
    | {
        type: 'message';
        content: (
          | { type: 'output_text'; text: string; logprobs?: TokenLogprob[] }
          | { type: 'refusal'; refusal: string }
        )[];
      }
    | { type: 'function_call'; call_id: string; name: string; arguments: string }
    | { type: string }
  )[];
  usage?: {
    input_tokens: number;
    input_tokens_details?: { cached_tokens?: number };
    output_tokens: number;
    output_tokens_details?: { reasoning_tokens?: number };
    total_tokens: number;
  } | null;
};

/** One typed event of a Responses stream, as far as the router reads it. */
export type ResponsesEvent = {
  type: string;
  response?: ResponsesAnswer;
  item?: { type: string; id?: string; call_id?: string; name?: string };
  item_id?: string;
  delta?: string;
  /** A text delta's tokens' logprobs (`[]` unless `include` asked for them). */
  logprobs?: TokenLogprob[];
  message?: string;
  code?: string | null;
};

/** Usage in chat's terms. */
export const chatUsage = (usage: ResponsesAnswer['usage']): Usage | undefined =>
  usage == null
    ? undefined
    : {
        prompt_tokens: usage.input_tokens,
        completion_tokens: usage.output_tokens,
        total_tokens: usage.total_tokens,
        prompt_tokens_details: { cached_tokens: usage.input_tokens_details?.cached_tokens ?? 0 },
        completion_tokens_details: {
          reasoning_tokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
        },
      };

/** Why the answer ended, in chat's terms: its calls, its cut at the limit, a filter, or done. */
export const finishReason = (answer: ResponsesAnswer, calledTools: boolean): FinishReason => {
  if (answer.status === 'incomplete') {
    return answer.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return calledTools ? 'tool_calls' : 'stop';
};

/** A whole Response as the chat completion it amounts to (one choice). */
export const chatCompletionOf = (answer: ResponsesAnswer): ChatCompletion => {
  let text = '';
  let refusal: string | undefined;
  const logprobs: TokenLogprob[] = [];
  const calls: ToolCall[] = [];
  for (const item of answer.output) {
    if (item.type === 'message' && 'content' in item) {
      for (const part of item.content) {
        if (part.type === 'output_text') {
          text += part.text;
          logprobs.push(...(part.logprobs ?? []));
        } else refusal = (refusal ?? '') + part.refusal;
      }
    } else if (item.type === 'function_call' && 'call_id' in item) {
      calls.push({
        id: item.call_id,
        type: 'function',
        function: { name: item.name, arguments: item.arguments },
      });
    }
  }
  const usage = chatUsage(answer.usage);
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created_at,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: calls.length > 0 && text === '' ? null : text,
          ...(refusal === undefined ? {} : { refusal }),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: finishReason(answer, calls.length > 0),
        logprobs: logprobs.length === 0 ? null : { content: logprobs, refusal: null },
      },
    ],
    ...(usage === undefined ? {} : { usage }),
  };
};

/** Why a Responses stream gave up: its `error` event, or `response.failed`. */
export class ResponsesStreamError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'ResponsesStreamError';
    this.code = code;
  }
}

/**
 * A Responses event stream as chat completion chunks: the role rides on the first delta (text,
 * refusal or a function call's start), a function call's arguments follow as `tool_calls`
 * deltas at its index, the final event gives the finish reason, then a usage chunk with no
 * choices (as chat streams do with `include_usage`). An `error` event or `response.failed`
 * throws `ResponsesStreamError`.
 */
export async function* chatChunksOf(
  events: AsyncIterable<ResponsesEvent>,
): AsyncGenerator<ChatCompletionChunk> {
  let id = '';
  let model = '';
  let created = 0;
  let started = false;
  const callIndex = new Map<string, number>();
  const chunk = (
    delta: ChunkDelta,
    finish: FinishReason | null = null,
    logprobs: TokenLogprob[] = [],
  ): ChatCompletionChunk => {
    const first = !started;
    started = true;
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [
        {
          index: 0,
          delta: first ? { role: 'assistant', ...delta } : delta,
          finish_reason: finish,
          ...(logprobs.length === 0 ? {} : { logprobs: { content: logprobs, refusal: null } }),
        },
      ],
    };
  };
  for await (const event of events) {
    switch (event.type) {
      case 'response.created':
        id = event.response?.id ?? id;
        model = event.response?.model ?? model;
        created = event.response?.created_at ?? created;
        break;
      case 'response.output_text.delta':
        yield chunk({ content: event.delta ?? '' }, null, event.logprobs);
        break;
      case 'response.refusal.delta':
        yield chunk({ refusal: event.delta ?? '' });
        break;
      case 'response.output_item.added':
        if (event.item?.type === 'function_call') {
          const index = callIndex.size;
          callIndex.set(event.item.id ?? '', index);
          yield chunk({
            tool_calls: [
              {
                index,
                id: event.item.call_id ?? '',
                type: 'function',
                function: { name: event.item.name ?? '', arguments: '' },
              },
            ],
          });
        }
        break;
      case 'response.function_call_arguments.delta':
        yield chunk({
          tool_calls: [
            {
              index: callIndex.get(event.item_id ?? '') ?? 0,
              function: { arguments: event.delta ?? '' },
            },
          ],
        });
        break;
      case 'response.completed':
      case 'response.incomplete': {
        const answer = event.response;
        if (answer === undefined) break;
        yield chunk({}, finishReason(answer, callIndex.size > 0));
        const usage = chatUsage(answer.usage);
        if (usage !== undefined) {
          yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage };
        }
        return;
      }
      case 'response.failed':
        throw new ResponsesStreamError(
          event.response?.error?.message ?? 'The response failed.',
          event.response?.error?.code,
        );
      case 'error':
        throw new ResponsesStreamError(
          event.message ?? 'The stream sent an error.',
          event.code ?? undefined,
        );
    }
  }
}
