import { UpstreamError, type UpstreamErrorKind } from '@switchback/router-core';

/** The failure kind an HTTP status stands for: the runner's retry and failover key on it. */
export const kindForStatus = (status: number): UpstreamErrorKind =>
  status === 429 ? 'rate_limit' : status === 408 || status >= 500 ? 'server' : 'client';

/** Longest wait a provider may ask for that we take literally; beyond it the value is noise. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Milliseconds a provider asked us to wait: OpenAI's `retry-after-ms`, else `retry-after` in
 * seconds or as an HTTP date.
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

/** An error for a failure with an HTTP status. */
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

/** The error for a call we aborted ourselves (client gone, deadline): the runner knows which. */
export const upstreamAborted = (providerId: string, signal: AbortSignal): UpstreamError =>
  new UpstreamError('aborted', providerId, `The call to ${providerId} was aborted.`, {
    cause: signal.reason,
  });

const messageOf = (thrown: unknown): string =>
  thrown instanceof Error ? thrown.message : String(thrown);

/**
 * A failure that is not an HTTP status: aborted if we aborted, else `mid_stream` once chunks went
 * out (the answer is cut short) or `network` before (nothing was lost yet).
 */
export const upstreamTransportError = (
  providerId: string,
  thrown: unknown,
  context: { signal: AbortSignal; streamed: boolean },
): UpstreamError => {
  if (thrown instanceof UpstreamError) return thrown;
  if (context.signal.aborted) return upstreamAborted(providerId, context.signal);
  const kind: UpstreamErrorKind = context.streamed ? 'mid_stream' : 'network';
  const what = context.streamed ? 'broke off mid-answer' : 'could not be reached';
  return new UpstreamError(kind, providerId, `${providerId} ${what}: ${messageOf(thrown)}`, {
    cause: thrown,
  });
};
