import { toUpstreamError, UpstreamError, upstreamHttpError } from '@switchback/router-core';

/** The HTTP status each Bedrock runtime exception stands for (in-stream ones carry none). */
const STATUS_BY_NAME: Record<string, number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ConflictException: 409,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const isServiceError = (
  thrown: unknown,
): thrown is Error & { $metadata?: { httpStatusCode?: number }; $fault?: string } =>
  thrown instanceof Error && '$metadata' in thrown;

/** Any failure of a Bedrock call as an `UpstreamError`. */
export const bedrockFailure = (
  providerId: string,
  thrown: unknown,
  context: { signal: AbortSignal; streamed: boolean },
): UpstreamError => {
  if (thrown instanceof UpstreamError || context.signal.aborted) {
    return toUpstreamError(thrown, providerId, context);
  }
  const named = thrown instanceof Error ? STATUS_BY_NAME[thrown.name] : undefined;
  if (isServiceError(thrown) || named !== undefined) {
    const httpStatus = isServiceError(thrown) ? thrown.$metadata?.httpStatusCode : undefined;
    const status = httpStatus !== undefined && httpStatus >= 400 ? httpStatus : (named ?? 500);
    const message = `${providerId} answered ${status} ${(thrown as Error).name}: ${(thrown as Error).message}`;
    return toUpstreamError(thrown, providerId, {
      status,
      message,
      ...(context.streamed ? { kind: 'mid_stream' as const } : {}),
    });
  }
  return toUpstreamError(thrown, providerId, context);
};

/** An in-stream exception event, thrown as the error its name stands for. */
export const streamExceptionError = (
  providerId: string,
  exception: { name: string; message: string },
  streamed: boolean,
): UpstreamError => {
  const status = STATUS_BY_NAME[exception.name] ?? 500;
  const message = `${providerId} sent ${exception.name}: ${exception.message}`;
  return streamed
    ? new UpstreamError('mid_stream', providerId, message, { status })
    : upstreamHttpError(providerId, status, message);
};
