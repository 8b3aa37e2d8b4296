import {
  retryAfterMs,
  sseDataBatches,
  UpstreamError,
  upstreamHttpError,
} from '@switchback/router-core';
import type {
  ChatCompletionChunk as SdkChunk,
  ChatCompletion as SdkCompletion,
} from 'openai/resources/chat/completions';
import type { UpstreamPost, UpstreamReply } from './http/pooled-fetch.ts';

export type DirectWireOptions = {
  id: string;
  baseURL: string;
  apiKey: string;
  /** The provider's connection pool. */
  post: UpstreamPost;
};

const ERROR_KEY = /"error":/;

export type WireCall = {
  signal: AbortSignal;
  headers: Record<string, string>;
  /** Told the response's headers once they arrive (the AI Gateway's cache status). */
  onHeaders?: ((headers: { get(name: string): string | null }) => void) | undefined;
};

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
 * OpenAI's chat-completions wire spoken directly over the provider's connection pool, in Node's
 * own types: for the OpenAI-compatible servers on the hot path, where the SDK's request building
 * and SSE decoding were a fifth of the router's CPU, and a web `Response` and stream around each
 * answer a few per cent more (bench/README.md). Answers come back in the SDK's shapes so the
 * same mapping applies; failures are `UpstreamError`s.
 */
export const directWire = (options: DirectWireOptions) => {
  const url = new URL(`${options.baseURL.replace(/\/+$/, '')}/chat/completions`);
  const authorization = `Bearer ${options.apiKey}`;
  const post = async (body: unknown, call: WireCall): Promise<UpstreamReply> => {
    const reply = await options.post(url, {
      headers: {
        authorization,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...call.headers,
      },
      body: JSON.stringify(body),
      signal: call.signal,
    });
    call.onHeaders?.(reply.headers);
    if (reply.status >= 200 && reply.status < 300) return reply;
    const text = await reply.text().catch(() => '');
    throw upstreamHttpError(
      options.id,
      reply.status,
      `${options.id} answered ${reply.status} ${messageOf(text)}`,
      { retryAfterMs: retryAfterMs(reply.headers) },
    );
  };

  /**
   * The SSE events' JSON as text, a batch per read (router-core's `sseDataBatches`), `[DONE]`
   * and error events handled; nothing else parsed.
   */
  async function* events(body: unknown, call: WireCall): AsyncGenerator<string[]> {
    const reply = await post(body, call);
    // After `[DONE]` or the body's end the connection goes back to the pool; after anything
    // else (a bad event, the consumer leaving) it is closed, since its state is unknown.
    let reuse = false;
    try {
      let streamed = false;
      for await (const batch of sseDataBatches(reply.body)) {
        const done = batch.indexOf('[DONE]');
        const events = done === -1 ? batch : batch.slice(0, done);
        for (const data of events) {
          // A key `"error":` can only be the event's own: inside strings quotes are escaped.
          const error = ERROR_KEY.test(data)
            ? (JSON.parse(data) as { error?: { message?: string } }).error
            : undefined;
          if (error !== undefined) {
            throw new UpstreamError(
              streamed ? 'mid_stream' : 'server',
              options.id,
              `${options.id} sent an error event: ${error.message ?? 'unknown error'}`,
            );
          }
        }
        if (events.length > 0) {
          streamed = true;
          yield events;
        }
        if (done !== -1) {
          reuse = true;
          return;
        }
      }
      reuse = true;
    } finally {
      reply.release(reuse);
    }
  }

  return {
    /** The POST itself: a 2xx reply, or the failure its status and body say. */
    post,
    async complete(body: unknown, call: WireCall): Promise<SdkCompletion> {
      const reply = await post(body, call);
      return JSON.parse(await reply.text()) as SdkCompletion;
    },
    events,
    async *stream(body: unknown, call: WireCall): AsyncGenerator<SdkChunk> {
      for await (const batch of events(body, call)) {
        for (const data of batch) yield JSON.parse(data) as SdkChunk;
      }
    },
  };
};
