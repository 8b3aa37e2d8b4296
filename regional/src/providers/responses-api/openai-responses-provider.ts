import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatProvider,
  type ProviderCallOptions,
  type ProviderRequest,
  retryAfterMs,
  toUpstreamError,
  UpstreamError,
} from '@switchback/router-core';
import { responsesBody } from './chat-to-responses.ts';
import { responsesEvents } from './responses-events.ts';
import {
  chatChunksOf,
  chatCompletionOf,
  type ResponsesAnswer,
  ResponsesStreamError,
} from './responses-to-chat.ts';

export type OpenAiResponsesOptions = {
  id: string;
  baseURL: string;
  /** The credential; when absent every call fails with a message naming `apiKeyEnv`. */
  apiKey: string | undefined;
  apiKeyEnv?: string | undefined;
  /** The wire request for OpenAI (the prefix hint as `prompt_cache_key`). */
  prepare?: (request: ProviderRequest, options: ProviderCallOptions) => ProviderRequest;
  /** Headers on every call (an AI Gateway hop's cache headers). */
  fixedHeaders?: Record<string, string>;
  /** The transport (the provider's own connection pool); the global fetch when absent. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
};

/** The message of an OpenAI error envelope, else the body's first characters. */
const errorMessage = (text: string): string => {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: said as it came
  }
  return text.slice(0, 200);
};

/**
 * OpenAI on its native Responses endpoint (`POST /v1/responses`, `responsesApi: native`): the
 * router's chat request sent as a Responses body, the Response (or its typed event stream)
 * answered as chat completions (chunks), failures as `UpstreamError` as every adapter's are,
 * so routing, retries, failover and budgets treat it as any OpenAI-shaped provider.
 */
export const openAiResponsesProvider = (options: OpenAiResponsesOptions): ChatProvider => {
  const { id } = options;
  const send = options.fetch ?? fetch;
  const url = `${options.baseURL.replace(/\/+$/, '')}/responses`;

  /** The call's answer once its status is 200; any other status an `UpstreamError`. */
  const call = async (
    request: ProviderRequest,
    opts: ProviderCallOptions,
    stream: boolean,
  ): Promise<Response> => {
    if (options.apiKey === undefined) {
      const name = options.apiKeyEnv ?? 'the provider credential';
      throw new UpstreamError('client', id, `${name} is not set: ${id} cannot be called.`, {
        status: 401,
      });
    }
    const prepared = options.prepare ? options.prepare(request, opts) : request;
    let answer: Response;
    try {
      answer = await send(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          'content-type': 'application/json',
          accept: stream ? 'text/event-stream' : 'application/json',
          'x-request-id': opts.requestId,
          ...options.fixedHeaders,
        },
        body: JSON.stringify(responsesBody(prepared, stream)),
        signal: opts.signal,
      });
    } catch (thrown) {
      throw toUpstreamError(thrown, id, { signal: opts.signal });
    }
    opts.onResponseHeaders?.(answer.headers);
    if (answer.status === 200) return answer;
    const text = await answer.text().catch(() => '');
    throw toUpstreamError(new Error(text), id, {
      status: answer.status,
      retryAfterMs: retryAfterMs(answer.headers),
      message: `${id} answered ${answer.status} ${errorMessage(text)}`,
    });
  };

  const midStream = (thrown: unknown, opts: ProviderCallOptions, streamed: boolean) =>
    thrown instanceof ResponsesStreamError
      ? toUpstreamError(thrown, id, {
          kind: streamed ? 'mid_stream' : 'server',
          message: `${id} sent an error event: ${thrown.message}`,
        })
      : toUpstreamError(thrown, id, { signal: opts.signal, streamed });

  return {
    id,
    kind: 'openai',
    async complete(request, opts): Promise<ChatCompletion> {
      const answer = await call(request, opts, false);
      try {
        return chatCompletionOf((await answer.json()) as ResponsesAnswer);
      } catch (thrown) {
        throw toUpstreamError(thrown, id, { signal: opts.signal });
      }
    },
    async *stream(request, opts): AsyncGenerator<ChatCompletionChunk> {
      const answer = await call(request, opts, true);
      if (answer.body === null) {
        throw new UpstreamError('server', id, `${id} answered a stream without a body.`);
      }
      let streamed = false;
      let finished = false;
      try {
        for await (const chunk of chatChunksOf(responsesEvents(answer.body))) {
          if (chunk.choices.some((choice) => choice.finish_reason !== null)) finished = true;
          streamed = true;
          yield chunk;
        }
      } catch (thrown) {
        throw midStream(thrown, opts, streamed);
      }
      // A stream that closes without its final event was cut short, however politely.
      if (!finished) {
        throw new UpstreamError(
          streamed ? 'mid_stream' : 'server',
          id,
          `${id} ended its stream without finishing the answer.`,
        );
      }
    },
  };
};
