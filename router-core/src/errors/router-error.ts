import { ERROR_STATUS, ERROR_TYPE, ERROR_WIRE_CODE, type RouterErrorCode } from './error-codes.ts';

export type RouterErrorOptions = {
  /** The request field at fault, in OpenAI's `param` (e.g. `messages[2].role`). */
  param?: string;
  /** Seconds a client should wait before retrying (429, 503). */
  retryAfterSeconds?: number;
  cause?: unknown;
};

/** The one error type of the router; `toErrorResponse` turns it into OpenAI's envelope. */
export class RouterError extends Error {
  readonly code: RouterErrorCode;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: RouterErrorCode, message: string, options: RouterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RouterError';
    this.code = code;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export type ErrorEnvelope = {
  error: { message: string; type: string; param: string | null; code: string };
};

/** OpenAI's error envelope for a router error. */
export const errorEnvelope = (error: RouterError): ErrorEnvelope => ({
  error: {
    message: error.message,
    type: ERROR_TYPE[error.code],
    param: error.param,
    code: ERROR_WIRE_CODE[error.code],
  },
});

/** The answer to a method and path neither door serves: 404 in OpenAI's envelope. */
export const unknownRoute = (method: string, path: string): RouterError =>
  new RouterError('not_found', `Unknown route: ${method} ${path}.`);

/** Any thrown value as a RouterError; unknown failures become a 500 without leaking details. */
export const asRouterError = (thrown: unknown): RouterError =>
  thrown instanceof RouterError
    ? thrown
    : new RouterError(
        'internal_error',
        'The router failed unexpectedly; the request was not served.',
        {
          cause: thrown,
        },
      );

/** The complete HTTP response for an error: status, envelope and `retry-after` when set. */
export const toErrorResponse = (thrown: unknown, headers: HeadersInit = {}): Response => {
  const parts = errorAnswer(thrown);
  const out = new Headers(headers);
  for (const [name, value] of Object.entries(parts.headers)) out.set(name, value);
  return new Response(parts.body, { status: parts.status, headers: out });
};

/**
 * What `toErrorResponse` answers, as plain parts (status, the headers it sets, the JSON body), for
 * a door that writes its own response (regional's node:http handler).
 */
export const errorAnswer = (
  thrown: unknown,
): { error: RouterError; status: number; headers: Record<string, string>; body: string } => {
  const error = asRouterError(thrown);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  }
  return { error, status: error.status, headers, body: JSON.stringify(errorEnvelope(error)) };
};
