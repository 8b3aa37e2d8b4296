import { UpstreamError, type UpstreamErrorKind } from './upstream-error.ts';

/** The failure kind an HTTP status stands for: retry and failover key on it (`failureAction`). */
export const kindForStatus = (status: number): UpstreamErrorKind =>
  status === 429 ? 'rate_limit' : status === 408 || status >= 500 ? 'server' : 'client';

/** Longest wait a provider may ask for that we take literally; beyond it the value is noise. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Milliseconds an upstream asked us to wait: OpenAI's `retry-after-ms`, else `retry-after` in
 * seconds or as an HTTP date. The one parser both tiers read.
 */
export const retryAfterMs = (
  headers: { get(name: string): string | null } | undefined,
  now: number = Date.now(),
): number | undefined => {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
};

/** An error for an answer with an HTTP failure status. */
export const upstreamHttpError = (
  providerId: string,
  status: number,
  message: string,
  details: { retryAfterMs?: number | undefined; cause?: unknown } = {},
): UpstreamError =>
  new UpstreamError(kindForStatus(status), providerId, message, {
    status,
    ...(details.retryAfterMs === undefined ? {} : { retryAfterMs: details.retryAfterMs }),
    cause: details.cause,
  });

/** What an adapter knows about a failed call besides the thrown value. */
export type FailureContext = {
  /** The call's signal: once aborted, the failure is the abort (its reason when that says why). */
  signal?: AbortSignal | undefined;
  /** Chunks already went out: a transport failure cuts the answer short (`mid_stream`). */
  streamed?: boolean;
  /** The HTTP status the failure carries, when the adapter could read one. */
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  /** The kind, when the adapter knows better than the status (Workers AI's capacity error). */
  kind?: UpstreamErrorKind;
  /** The message for the client and the log; a generic one naming the provider otherwise. */
  message?: string;
};

const messageOf = (thrown: unknown): string =>
  thrown instanceof Error ? thrown.message : String(thrown);

/**
 * The one converter from a thrown value to `UpstreamError`, for every adapter of both tiers: an
 * `UpstreamError` stands; an aborted call is `aborted` (or the abort's own `UpstreamError`
 * reason, e.g. a TTFT timeout); a status decides by `kindForStatus`; anything else is
 * `mid_stream` once chunks went out, `network` before.
 */
export const toUpstreamError = (
  thrown: unknown,
  providerId: string,
  context: FailureContext = {},
): UpstreamError => {
  if (thrown instanceof UpstreamError) return thrown;
  const { signal } = context;
  if (signal?.aborted) {
    return signal.reason instanceof UpstreamError
      ? signal.reason
      : new UpstreamError('aborted', providerId, `The call to ${providerId} was aborted.`, {
          cause: signal.reason,
        });
  }
  const streamed = context.streamed === true;
  const kind: UpstreamErrorKind =
    context.kind ??
    (context.status !== undefined
      ? kindForStatus(context.status)
      : streamed
        ? 'mid_stream'
        : 'network');
  const message =
    context.message ??
    `${providerId} ${streamed ? 'broke off mid-answer' : 'could not be reached'}: ${messageOf(thrown)}`;
  return new UpstreamError(kind, providerId, message, {
    ...(context.status === undefined ? {} : { status: context.status }),
    ...(context.retryAfterMs === undefined ? {} : { retryAfterMs: context.retryAfterMs }),
    cause: thrown,
  });
};
