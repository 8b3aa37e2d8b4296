import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatProvider,
  type ProviderCallOptions,
  type ProviderKind,
  type ProviderRequest,
  retryAfterMs,
  toUpstreamError,
  UpstreamError,
  type WireRead,
} from '@switchback/router-core';
import type OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionChunk as SdkChunk,
} from 'openai/resources/chat/completions';
import { directWire } from './direct-wire.ts';
import type { UpstreamPost } from './http/pooled-fetch.ts';
import { toChunk, toCompletion } from './openai-wire.ts';
import { readWholeAnswer } from './whole-answer.ts';
import { wireReads } from './wire-reads.ts';

const parseChunk = (data: string): ChatCompletionChunk => toChunk(JSON.parse(data) as SdkChunk);

import { openAiSdk } from './sdk/sdks.ts';

/** What one OpenAI-shaped provider does differently from the plain OpenAI API. */
export type OpenAiShapedOptions = {
  id: string;
  kind: ProviderKind;
  baseURL: string;
  /** The credential; when absent every call fails with a message naming `apiKeyEnv`. */
  apiKey: string | undefined;
  apiKeyEnv?: string | undefined;
  /** The wire body for this provider (drop or rename what it does not take). */
  prepare?: (request: ProviderRequest, options: ProviderCallOptions) => ProviderRequest;
  /** Extra request headers (Workers AI's `x-session-affinity`). */
  headers?: (options: ProviderCallOptions) => Record<string, string>;
  /** Headers on every call (an AI Gateway hop's cache headers). */
  fixedHeaders?: Record<string, string>;
  /** The transport (the provider's own connection pool); the global fetch when absent. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The same pool's POST in Node's types: what `client: 'direct'` speaks the wire over. */
  post?: UpstreamPost | undefined;
  /**
   * `direct` speaks the wire over `post` without the SDK (OpenAI-compatible servers); without a
   * `post` (or a key) the SDK is used.
   */
  client?: 'sdk' | 'direct';
};

const SERVICE_TIERS = ['auto', 'default', 'flex', 'scale', 'priority'] as const;
type ServiceTier = (typeof SERVICE_TIERS)[number];
const isServiceTier = (value: unknown): value is ServiceTier =>
  (SERVICE_TIERS as readonly unknown[]).includes(value);

/** The body in the SDK's types: the one field the router types looser than the SDK is narrowed. */
const sdkParams = (body: ProviderRequest): Omit<ChatCompletionCreateParamsBase, 'stream'> => {
  const { service_tier, ...rest } = body;
  return isServiceTier(service_tier) ? { ...rest, service_tier } : rest;
};

const failure = (
  id: string,
  thrown: unknown,
  context: { signal: AbortSignal; streamed: boolean },
): UpstreamError => {
  if (thrown instanceof UpstreamError || context.signal.aborted) {
    return toUpstreamError(thrown, id, context);
  }
  // Only a call through the SDK throws its errors, so the SDK is loaded whenever this matters.
  const sdk = openAiSdk.loaded();
  if (sdk && thrown instanceof sdk.APIError && !(thrown instanceof sdk.APIConnectionError)) {
    if (thrown.status !== undefined) {
      return toUpstreamError(thrown, id, {
        status: thrown.status,
        retryAfterMs: retryAfterMs(thrown.headers),
        message: `${id} answered ${thrown.message}`,
      });
    }
    // An error event inside the stream: the provider gave up on this answer.
    return toUpstreamError(thrown, id, {
      kind: context.streamed ? 'mid_stream' : 'server',
      message: `${id} sent an error event: ${thrown.message}`,
    });
  }
  return toUpstreamError(thrown, id, context);
};

/**
 * A provider that speaks OpenAI's chat completions: the official SDK with its retries off (the
 * router's runner owns retries), answers mapped to router-core's shapes, failures to
 * `UpstreamError`.
 */
export const openAiShapedProvider = (options: OpenAiShapedOptions): ChatProvider => {
  const { id, kind } = options;
  // Made on the first call that needs it: the SDK itself is only imported then (sdk/sdks.ts).
  let client: Promise<OpenAI> | undefined;
  const sdkClient = (): Promise<OpenAI> => {
    client ??= openAiSdk.load().then(
      ({ default: OpenAiClient }) =>
        new OpenAiClient({
          baseURL: options.baseURL,
          // The SDK refuses to start without a key; `credential()` below turns a missing one
          // into a clear per-call failure instead of a crash at boot.
          apiKey: options.apiKey ?? 'unset',
          maxRetries: 0,
          timeout: 10 * 60_000,
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        }),
    );
    return client;
  };

  const direct =
    options.client === 'direct' && options.apiKey !== undefined && options.post !== undefined
      ? directWire({ id, baseURL: options.baseURL, apiKey: options.apiKey, post: options.post })
      : undefined;
  // A streamed answer passes the upstream's bytes through wherever the pool is there, whatever
  // `client` says: every OpenAI-shaped server, OpenAI's own included, sends the same SSE.
  const passThrough =
    direct ??
    (options.apiKey !== undefined && options.post !== undefined
      ? directWire({ id, baseURL: options.baseURL, apiKey: options.apiKey, post: options.post })
      : undefined);

  const credential = (): void => {
    if (options.apiKey !== undefined) return;
    const name = options.apiKeyEnv ?? 'the provider credential';
    throw new UpstreamError('client', id, `${name} is not set: ${id} cannot be called.`, {
      status: 401,
    });
  };

  const wire = (request: ProviderRequest, call: ProviderCallOptions) => ({
    body: sdkParams(options.prepare ? options.prepare(request, call) : request),
    requestOptions: {
      signal: call.signal,
      headers: {
        'x-request-id': call.requestId,
        ...options.fixedHeaders,
        ...options.headers?.(call),
      },
    },
    onHeaders: call.onResponseHeaders,
  });

  /** The streaming body: usage is always asked for, the router accounts it whatever the client wants. */
  const streamCall = (request: ProviderRequest, call: ProviderCallOptions) => {
    credential();
    const { body, requestOptions, onHeaders } = wire(request, call);
    return {
      body: { ...body, stream: true as const, stream_options: { include_usage: true } },
      requestOptions,
      onHeaders,
    };
  };

  /** The SDK's stream, its response's headers told first. */
  const sdkStream = async (
    body: ReturnType<typeof streamCall>['body'],
    requestOptions: ReturnType<typeof streamCall>['requestOptions'],
    onHeaders: ProviderCallOptions['onResponseHeaders'],
  ) => {
    const { data, response } = await (await sdkClient()).chat.completions
      .create(body, requestOptions)
      .withResponse();
    onHeaders?.(response.headers);
    return data;
  };

  // A stream that closes without a finish reason was cut short, however politely.
  const unfinished = (streamed: boolean) =>
    new UpstreamError(
      streamed ? 'mid_stream' : 'server',
      id,
      `${id} ended its stream without finishing the answer.`,
    );

  return {
    id,
    kind,
    async complete(request, call): Promise<ChatCompletion> {
      credential();
      const { body, requestOptions, onHeaders } = wire(request, call);
      try {
        if (direct) {
          return toCompletion(
            await direct.complete({ ...body, stream: false }, { ...requestOptions, onHeaders }),
          );
        }
        const { data, response } = await (await sdkClient()).chat.completions
          .create({ ...body, stream: false }, requestOptions)
          .withResponse();
        onHeaders?.(response.headers);
        return toCompletion(data);
      } catch (thrown) {
        throw failure(id, thrown, { signal: call.signal, streamed: false });
      }
    },
    async *stream(request, call): AsyncGenerator<ChatCompletionChunk> {
      const { body, requestOptions, onHeaders } = streamCall(request, call);
      let streamed = false;
      let finished = false;
      try {
        const stream = direct
          ? direct.stream(body, { ...requestOptions, onHeaders })
          : await sdkStream(body, requestOptions, onHeaders);
        for await (const raw of stream) {
          const chunk = toChunk(raw);
          if (chunk.choices.some((choice) => choice.finish_reason !== null)) finished = true;
          streamed = true;
          yield chunk;
        }
      } catch (thrown) {
        throw failure(id, thrown, { signal: call.signal, streamed });
      }
      if (!finished) throw unfinished(streamed);
    },
    ...(passThrough === undefined
      ? {}
      : {
          // A whole answer, too, is read off the wire wherever the pool is there: the SDK is not
          // on any serving path of a provider with a key.
          async completeFromStream(request, call): Promise<ChatCompletion> {
            const { body, requestOptions, onHeaders } = streamCall(request, call);
            let streamed = false;
            const onFirstEvent = () => {
              streamed = true;
              call.onFirstEvent();
            };
            try {
              const reply = await passThrough.post(body, { ...requestOptions, onHeaders });
              return await readWholeAnswer(reply, { id, onFirstEvent });
            } catch (thrown) {
              throw failure(id, thrown, { signal: call.signal, streamed });
            }
          },
          streamWire(request, call): AsyncIterable<WireRead> {
            const { body, requestOptions, onHeaders } = streamCall(request, call);
            const opening = passThrough.post(body, { ...requestOptions, onHeaders });
            // One step per upstream read, from the call to the last read (wire-reads.ts).
            let reads: AsyncIterableIterator<WireRead> | undefined;
            const iterator: AsyncIterableIterator<WireRead> = {
              async next() {
                if (reads === undefined) {
                  try {
                    reads = wireReads(await opening, {
                      id,
                      parse: parseChunk,
                      failure: (thrown, streamed) =>
                        failure(id, thrown, { signal: call.signal, streamed }),
                    });
                  } catch (thrown) {
                    throw failure(id, thrown, { signal: call.signal, streamed: false });
                  }
                }
                return reads.next();
              },
              async return() {
                if (reads !== undefined)
                  return reads.return?.() ?? { done: true, value: undefined };
                // Not opened yet: the call's answer is released as soon as it comes.
                opening.then((reply) => reply.release(false)).catch(() => {});
                return { done: true, value: undefined };
              },
              [Symbol.asyncIterator]: () => iterator,
            };
            return iterator;
          },
        }),
  };
};
