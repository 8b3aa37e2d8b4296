import { sseDataLines, UpstreamError } from '@switchback/router-core';
import type {
  ChatCompletionChunk as SdkChunk,
  ChatCompletion as SdkCompletion,
} from 'openai/resources/chat/completions';
import { retryAfterMs, upstreamHttpError } from './upstream-failure.ts';

export type DirectWireOptions = {
  id: string;
  baseURL: string;
  apiKey: string;
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
};

export type WireCall = { signal: AbortSignal; headers: Record<string, string> };

const messageOf = (text: string): string => {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  return text.slice(0, 200) || '(no body)';
};

/**
 * OpenAI's chat-completions wire spoken directly over the provider's connection pool, without
 * the SDK: for the OpenAI-compatible servers on the hot path, where the SDK's request building
 * and SSE decoding were a fifth of the router's CPU (bench/README.md). Answers come back in the
 * SDK's shapes so the same mapping applies; failures are `UpstreamError`s.
 */
export const directWire = (options: DirectWireOptions) => {
  const url = `${options.baseURL.replace(/\/+$/, '')}/chat/completions`;
  const post = async (body: unknown, call: WireCall): Promise<Response> => {
    const response = await options.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...call.headers,
      },
      body: JSON.stringify(body),
      signal: call.signal,
    });
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    throw upstreamHttpError(
      options.id,
      response.status,
      `${options.id} answered ${response.status} ${messageOf(text)}`,
      { retryAfterMs: retryAfterMs(response.headers) },
    );
  };

  return {
    async complete(body: unknown, call: WireCall): Promise<SdkCompletion> {
      const response = await post(body, call);
      return (await response.json()) as SdkCompletion;
    },
    async *stream(body: unknown, call: WireCall): AsyncGenerator<SdkChunk> {
      const response = await post(body, call);
      if (response.body === null) {
        throw new UpstreamError('server', options.id, `${options.id} sent no stream body.`);
      }
      let streamed = false;
      for await (const data of sseDataLines(response.body)) {
        if (data === '[DONE]') return;
        const event = JSON.parse(data) as SdkChunk & { error?: { message?: string } };
        if (event.error !== undefined) {
          throw new UpstreamError(
            streamed ? 'mid_stream' : 'server',
            options.id,
            `${options.id} sent an error event: ${event.error.message ?? 'unknown error'}`,
          );
        }
        streamed = true;
        yield event;
      }
    },
  };
};
