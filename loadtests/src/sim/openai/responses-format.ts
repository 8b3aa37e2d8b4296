import type { ChatRender, ProviderErrors, RenderContext } from '../chat/chat-adapter.ts';
import type { Frame } from '../chat/deliver.ts';
import { newId } from '../chat/ids.ts';
import { sendJson } from '../http/send-json.ts';
import { openAiCachedTokens } from '../state/prefix-cache.ts';
import { simLogprobs } from './logprobs.ts';
import { openAiError } from './openai-errors.ts';
import { JSON_HEADERS, SSE_HEADERS } from './openai-format.ts';

/** One typed event as OpenAI's Responses stream frames it: `event: <type>` and its JSON. */
const typed = (event: { type: string } & Record<string, unknown>): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * OpenAI's errors on `/v1/responses`: the envelope for an HTTP error; inside a started stream a
 * typed `error` event (its `sequence_number` left out: the simulator cuts a stream without
 * counting the events before the cut).
 */
export const responsesErrors: ProviderErrors = {
  send: (res, status, message, headers) =>
    sendJson(res, status, openAiError(status, message), headers),
  streamFrame: (status, message) => {
    const { error } = openAiError(status, message);
    return typed({ type: 'error', code: error.code ?? error.type, message, param: null });
  },
};

/**
 * Renders a planned answer as OpenAI's Responses API does: a `response` object, or its stream
 * of typed events (`response.created` … `response.completed`, or `response.incomplete` when
 * `max_output_tokens` cut it), one output item (a message, or a function call).
 */
export const renderOpenAiResponses = (context: RenderContext): ChatRender => {
  const { input, plan, usage } = context;
  const id = newId('resp_');
  const itemId = newId(plan.toolCall ? 'fc_' : 'msg_');
  const createdAt = Math.floor(context.startedAt / 1000);
  const incomplete = plan.finish === 'length';
  const itemStatus = incomplete ? 'incomplete' : 'completed';
  const text = plan.content.join('');
  const args = plan.toolCall?.fragments.join('') ?? '';
  // Each text token's logprobs when `include` asked for them; `[]` otherwise, as OpenAI sends.
  const tokenLogprobs =
    input.logprobs === undefined || plan.toolCall ? [] : simLogprobs(plan.content, input.logprobs);
  const logprobsAt = (i: number) => {
    const entry = tokenLogprobs[i];
    return entry === undefined ? [] : [entry];
  };
  const part = (value: string, done = false) => ({
    type: 'output_text',
    text: value,
    annotations: [],
    logprobs: done ? tokenLogprobs : [],
  });
  const item = (status: string, done: boolean) =>
    plan.toolCall
      ? {
          id: itemId,
          type: 'function_call',
          status,
          call_id: plan.toolCall.id,
          name: plan.toolCall.name,
          arguments: done ? args : '',
        }
      : {
          id: itemId,
          type: 'message',
          status,
          role: 'assistant',
          content: done ? [part(text, true)] : [],
        };
  const response = (done: boolean) => ({
    id,
    object: 'response',
    created_at: createdAt,
    status: done ? (incomplete ? 'incomplete' : 'completed') : 'in_progress',
    error: null,
    incomplete_details: done && incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    max_output_tokens: input.maxTokens ?? null,
    model: input.model,
    output: done ? [item(itemStatus, true)] : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: input.jsonMode ? 'json_object' : 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: usage.promptTokens,
          input_tokens_details: { cached_tokens: openAiCachedTokens(usage.hitTokens) },
          output_tokens: plan.completionTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: usage.promptTokens + plan.completionTokens,
        }
      : null,
    user: null,
    metadata: {},
  });

  const stream = () => {
    let sequence = 0;
    const event = (type: string, fields: Record<string, unknown>) =>
      typed({ type, sequence_number: sequence++, ...fields });
    const at = { item_id: itemId, output_index: 0 };
    const preamble =
      event('response.created', { response: response(false) }) +
      event('response.in_progress', { response: response(false) }) +
      event('response.output_item.added', { output_index: 0, item: item('in_progress', false) }) +
      (plan.toolCall
        ? ''
        : event('response.content_part.added', { ...at, content_index: 0, part: part('') }));
    const frames: Frame[] = plan.toolCall
      ? plan.toolCall.fragments.map((delta) =>
          event('response.function_call_arguments.delta', { ...at, delta }),
        )
      : plan.content.map((delta, i) =>
          event('response.output_text.delta', {
            ...at,
            content_index: 0,
            delta,
            logprobs: logprobsAt(i),
          }),
        );
    // The preamble rides with the first token, so it arrives at the time to first token.
    if (frames.length === 0) frames.push(preamble);
    else frames[0] = preamble + frames[0];
    const closing = plan.toolCall
      ? event('response.function_call_arguments.done', { ...at, arguments: args })
      : event('response.output_text.done', {
          ...at,
          content_index: 0,
          text,
          logprobs: tokenLogprobs,
        }) +
        event('response.content_part.done', { ...at, content_index: 0, part: part(text, true) });
    const tail =
      closing +
      event('response.output_item.done', { output_index: 0, item: item(itemStatus, true) }) +
      event(incomplete ? 'response.incomplete' : 'response.completed', {
        response: response(true),
      });
    return { frames, tail };
  };

  return {
    unaryHeaders: JSON_HEADERS,
    unary: () => JSON.stringify(response(true)),
    streamHeaders: SSE_HEADERS,
    stream,
  };
};
