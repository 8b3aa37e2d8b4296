import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type EscalationContext,
  type GatewayHop,
  parseGatewayHopHeader,
  RouterError,
  retryAfterMs,
  sseDataLines,
  ttftWindowMs,
  UpstreamError,
  waitForFirstChunk,
} from '@switchback/router-core';
import type { Breaker } from '../regional/breaker.ts';
import type { RegionalClient } from '../regional/client.ts';
import type { ServeInput } from './serve-edge.ts';

/** Regional could not take the request before answering: the degrade policy decides what next. */
export class RegionalUnavailable extends Error {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RegionalUnavailable';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Which provider and model regional used, from its `x-router-provider` / `x-router-model`, and
 * the AI Gateway it went through (`x-router-gateway`).
 */
export type RegionalServedBy = {
  provider: string | null;
  model: string | null;
  gateway?: GatewayHop | undefined;
};

export type RegionalAnswer =
  | ({ kind: 'completion'; completion: ChatCompletion } & RegionalServedBy)
  | ({
      kind: 'stream';
      first: ChatCompletionChunk;
      rest: AsyncIterator<ChatCompletionChunk>;
      abort: (reason: unknown) => void;
    } & RegionalServedBy)
  /** Regional is up and refused the request (4xx): its envelope stands. */
  | { kind: 'refused'; response: Response };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isChunk = (value: unknown): value is ChatCompletionChunk =>
  isObject(value) && value.object === 'chat.completion.chunk' && Array.isArray(value.choices);

const isCompletion = (value: unknown): value is ChatCompletion =>
  isObject(value) && value.object === 'chat.completion' && Array.isArray(value.choices);

/** Regional's SSE as chunks; its mid-stream `data: {"error":…}` becomes a thrown error. */
async function* regionalChunks(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ChatCompletionChunk> {
  for await (const data of sseDataLines(body)) {
    if (data === '[DONE]') return;
    const event: unknown = JSON.parse(data);
    if (isObject(event) && isObject(event.error)) {
      throw new UpstreamError('mid_stream', 'regional', String(event.error.message));
    }
    if (isChunk(event)) yield event;
  }
}

/** Regional's refusal as the client sees it: a signature it rejects is the edge's fault, not theirs. */
const refusal = async (response: Response): Promise<Response> => {
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new RouterError('upstream_error', 'The regional service refused the edge’s credentials.');
  }
  const headers = new Headers({ 'content-type': 'application/json' });
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) headers.set('retry-after', retryAfter);
  return new Response(await response.text(), { status: response.status, headers });
};

/**
 * Regional enforces the TTFT budget per provider attempt and fails over itself; the edge waits a
 * little longer so that regional's own deadline fires first and its provider breaker learns of
 * the slow provider. This timer is the safety net for a regional that does not answer at all.
 */
const REGIONAL_TTFT_GRACE_MS = 500;

/**
 * Escalates to regional through its breaker. Headers are held until regional's first token
 * (streaming) or whole answer; until then any failure (breaker open, network, 5xx, no first
 * token within the TTFT budget) is `RegionalUnavailable`, counted by the breaker.
 */
export const serveOnRegional = async (
  input: ServeInput & { context: EscalationContext },
  client: RegionalClient,
  breaker: Breaker,
): Promise<RegionalAnswer> => {
  if (!breaker.tryAcquire()) {
    throw new RegionalUnavailable('The regional circuit breaker is open.', breaker.retryAfterMs());
  }
  const { budgets, request } = input;
  const streaming = request.stream === true;
  const wait = waitForFirstChunk({
    providerId: 'regional',
    // A full TTFT window and the grace, as regional's own first attempt counts from its arrival.
    windowMs: streaming
      ? ttftWindowMs(budgets, { first: false, graceMs: REGIONAL_TTFT_GRACE_MS })
      : undefined,
    totalSignal: budgets.totalSignal,
    clientSignal: input.clientSignal,
  });
  try {
    const response = await client.chat({
      body: JSON.stringify(request),
      context: input.context,
      signal: wait.signal,
    });
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new RegionalUnavailable(
        `The regional service answered ${response.status}.`,
        retryAfterMs(response.headers) ?? 1_000,
      );
    }
    if (!response.ok) {
      breaker.success();
      return { kind: 'refused', response: await refusal(response) };
    }
    const servedBy = {
      provider: response.headers.get('x-router-provider'),
      model: response.headers.get('x-router-model'),
      gateway: parseGatewayHopHeader(response.headers.get('x-router-gateway')),
    };
    if (!streaming) {
      const completion: unknown = await response.json();
      if (!isCompletion(completion)) {
        throw new RegionalUnavailable('The regional service sent no chat completion.', 1_000);
      }
      budgets.firstToken();
      breaker.success();
      return { kind: 'completion', completion, ...servedBy };
    }
    if (response.body === null)
      throw new RegionalUnavailable('The regional stream had no body.', 1_000);
    const rest = regionalChunks(response.body);
    const first = await wait.first(rest.next());
    if (first.done) throw new RegionalUnavailable('The regional stream ended empty.', 1_000);
    budgets.firstToken();
    breaker.success();
    return {
      kind: 'stream',
      first: first.value,
      rest,
      abort: (reason) => wait.abort(reason),
      ...servedBy,
    };
  } catch (error) {
    wait.abort(error);
    // A client that went away says nothing about regional's health.
    if (input.clientSignal?.aborted) {
      breaker.abandon();
      throw error;
    }
    if (budgets.totalSignal.aborted) {
      breaker.failure();
      throw budgets.totalSignal.reason;
    }
    if (error instanceof RouterError) {
      // Regional answered (it refused the edge's signature): it is up.
      breaker.success();
      throw error;
    }
    breaker.failure();
    if (error instanceof RegionalUnavailable) throw error;
    const failure = wait.failure(error);
    throw new RegionalUnavailable(
      `The regional service did not answer: ${failure.message}`,
      1_000,
      failure,
    );
  } finally {
    wait.settle();
  }
};
