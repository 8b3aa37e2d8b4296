import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { ChatCompletion, ChatCompletionChunk } from '../openai/chat-response.ts';
import type { WireRead } from '../sse/wire-event.ts';

/** The kinds of provider a config can name. */
export const PROVIDER_KINDS = ['workers-ai', 'openai', 'openai-compatible', 'bedrock'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Hints derived from the request's stable head, for providers that can use them. */
export type PrefixHint = {
  /** Tenant-namespaced hash of the stable head; OpenAI's `prompt_cache_key`. */
  key: string;
  /** How many leading messages form the stable head (Bedrock's `cachePoint` goes after them). */
  messageCount: number;
  /** Estimated tokens in the stable head; providers skip cache hints below their minimum. */
  tokens: number;
};

export type ProviderCallOptions = {
  /** Aborts the upstream call: client gone, TTFT or end-to-end deadline. */
  signal: AbortSignal;
  requestId: string;
  /** Tenant-namespaced session key, sent as `x-session-affinity` where the provider honours it. */
  affinityKey?: string;
  prefix?: PrefixHint;
  /**
   * Told the upstream's response headers once they arrive (before the first chunk), where the
   * adapter can read them: the AI Gateway's `cf-aig-cache-status`.
   */
  onResponseHeaders?: (headers: { get(name: string): string | null }) => void;
};

/** A request as a provider receives it: `model` is already the provider's own model name. */
export type ProviderRequest = ChatCompletionRequest;

/** One upstream: every provider answers in OpenAI's shapes whatever its wire format. */
export interface ChatProvider {
  readonly id: string;
  readonly kind: ProviderKind;
  complete(request: ProviderRequest, options: ProviderCallOptions): Promise<ChatCompletion>;
  /** The iterator's first `next()` resolves with the first chunk: time to first token. */
  stream(
    request: ProviderRequest,
    options: ProviderCallOptions,
  ): AsyncIterable<ChatCompletionChunk>;
  /**
   * The same stream as the upstream's own SSE bytes, unparsed, one item per read (whatever came
   * together, scanned for its events), for an upstream that speaks OpenAI's wire: a streamed
   * answer is forwarded as it comes (pass-through). Optional.
   */
  streamWire?(request: ProviderRequest, options: ProviderCallOptions): AsyncIterable<WireRead>;
  /**
   * A whole answer asked for as a stream and read in one piece: `onFirstEvent` when its first
   * event arrived (a non-streamed request's TTFT deadline waits for it), then the completion
   * folded from every event, parsed once. For answers that need the TTFT deadline without a
   * chunk object per event. Optional.
   */
  completeFromStream?(
    request: ProviderRequest,
    options: ProviderCallOptions & { onFirstEvent: () => void },
  ): Promise<ChatCompletion>;
}
