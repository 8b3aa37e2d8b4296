import {
  type AssistantMessage,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatMessage,
  type ChatProvider,
  type FinishReason,
  type ProviderCallOptions,
  type ProviderRequest,
  sseDataLines,
  type ToolCall,
  type ToolCallDelta,
  toUpstreamError,
  UpstreamError,
  type Usage,
} from '@switchback/router-core';
import { type AiBinding, type AiGatewayOption, AiRunError } from './binding.ts';

/** Models that take `max_completion_tokens` rather than `max_tokens` (Kimi K2.x). */
const takesMaxCompletionTokens = (model: string) => model.startsWith('@cf/moonshotai/kimi');

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const textOf = (content: unknown): string | null => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  return content
    .flatMap((part) => (isObject(part) && part.type === 'text' ? [part.text] : []))
    .join('');
};

const isImagePart = (part: unknown): boolean => isObject(part) && part.type === 'image_url';

// Workers AI chat models take string content: text parts are joined. A message with an image
// keeps its text and image parts, in OpenAI's shape: the router sends images only to a model
// marked `vision` (Kimi K2.6 takes them so), as regional's Workers AI provider does.
const contentOf = (content: unknown): unknown =>
  Array.isArray(content) && content.some(isImagePart)
    ? content.filter((part) => isImagePart(part) || (isObject(part) && part.type === 'text'))
    : textOf(content);

const toAiMessage = (message: ChatMessage): Json => {
  const out: Json = { ...message };
  if (message.content !== undefined && message.content !== null) {
    out.content = contentOf(message.content);
  }
  return out;
};

/** The binding's `inputs` for an OpenAI request: only what Workers AI chat models accept. */
export const toWorkersAiInputs = (request: ProviderRequest, stream: boolean): Json => {
  const inputs: Json = { messages: request.messages.map(toAiMessage) };
  if (stream) inputs.stream = true;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) {
    inputs[takesMaxCompletionTokens(request.model) ? 'max_completion_tokens' : 'max_tokens'] =
      maxTokens;
  }
  const passThrough = [
    'temperature',
    'top_p',
    'seed',
    'stop',
    'frequency_penalty',
    'presence_penalty',
    'tools',
    'tool_choice',
    'parallel_tool_calls',
    'response_format',
    'reasoning_effort',
  ] as const;
  for (const name of passThrough) {
    const value = request[name];
    if (value !== undefined && value !== null) inputs[name] = value;
  }
  return inputs;
};

const toUsage = (value: unknown): Usage | undefined => {
  if (!isObject(value)) return undefined;
  const prompt = Number(value.prompt_tokens ?? 0);
  const completion = Number(value.completion_tokens ?? 0);
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: Number(value.total_tokens ?? prompt + completion),
  };
  const details = value.prompt_tokens_details;
  if (isObject(details) && typeof details.cached_tokens === 'number') {
    usage.prompt_tokens_details = { cached_tokens: details.cached_tokens };
  }
  return usage;
};

const argumentsText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value ?? {});

/** Older models' tool calls (`{name, arguments: object}`) or OpenAI's, as OpenAI's. */
const toToolCalls = (value: unknown, idPrefix: string): ToolCall[] =>
  Array.isArray(value)
    ? value.filter(isObject).map((call, i) => {
        const fn = isObject(call.function) ? call.function : call;
        return {
          id: typeof call.id === 'string' ? call.id : `${idPrefix}_${i}`,
          type: 'function' as const,
          function: { name: String(fn.name ?? ''), arguments: argumentsText(fn.arguments) },
        };
      })
    : [];

const finishReason = (value: unknown, hasTools: boolean): FinishReason =>
  value === 'length' || value === 'content_filter' || value === 'tool_calls' || value === 'stop'
    ? value
    : hasTools
      ? 'tool_calls'
      : 'stop';

/** Either output format of a non-streaming run as an OpenAI completion. */
export const toChatCompletion = (
  output: unknown,
  meta: { id: string; model: string; created: number },
): ChatCompletion => {
  if (!isObject(output)) throw new Error('the model returned no JSON object');
  let message: AssistantMessage;
  let finish: FinishReason;
  const choice = Array.isArray(output.choices) ? output.choices[0] : undefined;
  if (isObject(choice)) {
    const m = isObject(choice.message) ? choice.message : {};
    const toolCalls = toToolCalls(m.tool_calls, meta.id);
    message = { role: 'assistant', content: textOf(m.content) };
    if (typeof m.reasoning_content === 'string') message.reasoning_content = m.reasoning_content;
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    finish = finishReason(choice.finish_reason, toolCalls.length > 0);
  } else {
    const toolCalls = toToolCalls(output.tool_calls, meta.id);
    const response = output.response;
    const content =
      response === undefined || response === null
        ? null
        : typeof response === 'string'
          ? response
          : JSON.stringify(response);
    message = { role: 'assistant', content };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    finish = finishReason(undefined, toolCalls.length > 0);
  }
  const usage = toUsage(output.usage);
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    ...(usage === undefined ? {} : { usage }),
  };
};

const toToolCallDeltas = (value: unknown, idPrefix: string): ToolCallDelta[] =>
  Array.isArray(value)
    ? value.filter(isObject).map((call, i) => {
        const fn = isObject(call.function) ? call.function : call;
        const delta: ToolCallDelta = {
          index: typeof call.index === 'number' ? call.index : i,
          function: {},
        };
        if (typeof call.id === 'string') delta.id = call.id;
        else if (!isObject(call.function)) delta.id = `${idPrefix}_${i}`;
        if (call.type === 'function' || !isObject(call.function)) delta.type = 'function';
        if (fn.name !== undefined && delta.function) delta.function.name = String(fn.name);
        if (fn.arguments !== undefined && delta.function) {
          delta.function.arguments = argumentsText(fn.arguments);
        }
        return delta;
      })
    : [];

/**
 * Either stream format as OpenAI chunks: older models' `{"response":"tok"}` events and the large
 * models' `chat.completion.chunk`s (whose running usage is held back). Ends with a finish chunk
 * if the model sent none, then one `choices: []` chunk with the usage, when there is usage.
 */
export async function* toChatCompletionChunks(
  body: ReadableStream<Uint8Array>,
  meta: { id: string; model: string; created: number },
): AsyncGenerator<ChatCompletionChunk> {
  const chunk = (choices: ChatCompletionChunk['choices']): ChatCompletionChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices,
  });
  let usage: Usage | undefined;
  let finished = false;
  let sawTools = false;
  let first = true;
  const role = (): { role?: 'assistant' } => {
    if (!first) return {};
    first = false;
    return { role: 'assistant' };
  };
  for await (const data of sseDataLines(body)) {
    if (data === '[DONE]') break;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      throw new UpstreamError('mid_stream', 'workers-ai', 'Workers AI sent an unreadable event.');
    }
    if (!isObject(event)) continue;
    if (event.error !== undefined) {
      const message = isObject(event.error) ? String(event.error.message) : String(event.error);
      throw new UpstreamError(
        'mid_stream',
        'workers-ai',
        `Workers AI failed mid-stream: ${message}`,
      );
    }
    usage = toUsage(event.usage) ?? usage;
    if (Array.isArray(event.choices)) {
      for (const raw of event.choices) {
        if (!isObject(raw)) continue;
        const d = isObject(raw.delta) ? raw.delta : {};
        const delta: ChatCompletionChunk['choices'][number]['delta'] = { ...role() };
        if (typeof d.content === 'string') delta.content = d.content;
        if (typeof d.reasoning_content === 'string') delta.reasoning_content = d.reasoning_content;
        const toolCalls = toToolCallDeltas(d.tool_calls, meta.id);
        if (toolCalls.length > 0) {
          delta.tool_calls = toolCalls;
          sawTools = true;
        }
        const reason =
          raw.finish_reason === null || raw.finish_reason === undefined
            ? null
            : finishReason(raw.finish_reason, sawTools);
        if (reason !== null) finished = true;
        yield chunk([{ index: 0, delta, finish_reason: reason }]);
      }
      continue;
    }
    const toolCalls = toToolCallDeltas(event.tool_calls, meta.id);
    const text = typeof event.response === 'string' ? event.response : '';
    if (text !== '' || toolCalls.length > 0) {
      const delta: ChatCompletionChunk['choices'][number]['delta'] = { ...role() };
      if (text !== '') delta.content = text;
      if (toolCalls.length > 0) {
        delta.tool_calls = toolCalls;
        sawTools = true;
      }
      yield chunk([{ index: 0, delta, finish_reason: null }]);
    }
  }
  if (!finished) {
    yield chunk([{ index: 0, delta: role(), finish_reason: sawTools ? 'tool_calls' : 'stop' }]);
  }
  if (usage !== undefined) yield { ...chunk([]), usage };
}

/** A binding failure in provider-neutral terms: its status, and the capacity error as a 429. */
const failure = (error: unknown, providerId: string, signal: AbortSignal): UpstreamError => {
  const status = error instanceof AiRunError ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const capacity = status === 429 || /\b3040\b|capacity/i.test(message);
  return toUpstreamError(error, providerId, {
    signal,
    status,
    message: `Workers AI: ${message}`,
    // A binding error without a status is the model's failure, not the network's.
    ...(capacity
      ? { kind: 'rate_limit' as const }
      : status === undefined && error instanceof AiRunError
        ? { kind: 'server' as const }
        : {}),
  });
};

const affinityHeaders = (options: ProviderCallOptions): Record<string, string> =>
  options.affinityKey === undefined ? {} : { 'x-session-affinity': options.affinityKey };

/** Workers AI through the `AI` binding (or its stand-in), answering in OpenAI's shapes. */
export const createWorkersAiProvider = (
  id: string,
  ai: AiBinding,
  /** Through this AI Gateway, when the provider's config names one. */
  gateway?: AiGatewayOption,
): ChatProvider => ({
  id,
  kind: 'workers-ai',
  async complete(request, options) {
    const meta = {
      id: `chatcmpl-${options.requestId}`,
      model: request.model,
      created: nowSeconds(),
    };
    try {
      const output = await ai.run(request.model, toWorkersAiInputs(request, false), {
        extraHeaders: affinityHeaders(options),
        ...(gateway === undefined ? {} : { gateway }),
        signal: options.signal,
      });
      return toChatCompletion(output, meta);
    } catch (error) {
      throw failure(error, id, options.signal);
    }
  },
  async *stream(request, options) {
    const meta = {
      id: `chatcmpl-${options.requestId}`,
      model: request.model,
      created: nowSeconds(),
    };
    let body: unknown;
    try {
      body = await ai.run(request.model, toWorkersAiInputs(request, true), {
        extraHeaders: affinityHeaders(options),
        ...(gateway === undefined ? {} : { gateway }),
        signal: options.signal,
      });
    } catch (error) {
      throw failure(error, id, options.signal);
    }
    if (!(body instanceof ReadableStream)) {
      throw new UpstreamError('server', id, 'Workers AI did not answer with a stream.');
    }
    try {
      yield* toChatCompletionChunks(body, meta);
    } catch (error) {
      throw failure(error, id, options.signal);
    }
  },
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
