import {
  asRouterError,
  ERROR_CLASS,
  errorAnswer,
  type RouterError,
  toErrorResponse,
} from '@switchback/router-core';
import type { ErrorHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import type { LogSink } from './finish-request.ts';
import type { Reply } from './front/exchange.ts';
import type { RequestRecord } from './request-record.ts';
import { routerHeaders } from './router-headers.ts';

/** A thrown error into the request's record (status, code, outcome); an unexpected one logged. */
const noteFailure = (
  thrown: unknown,
  record: RequestRecord,
  clientGone: boolean,
  log: LogSink | undefined,
): RouterError => {
  const error = asRouterError(thrown);
  record.status = error.status;
  record.errorCode = error.code;
  record.outcome = clientGone ? 'client_closed' : ERROR_CLASS[error.code];
  if (error.code === 'internal_error') {
    log?.({
      ts: new Date().toISOString(),
      level: 'error',
      msg: 'unexpected failure',
      request_id: record.requestId,
      error: thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown),
    });
  }
  return error;
};

/** The one place a thrown error becomes an answer: OpenAI's envelope via `errorAnswer`. */
export const errorReply = (
  thrown: unknown,
  record: RequestRecord,
  clientGone: boolean,
  log: LogSink | undefined,
): Reply => {
  const { status, headers, body } = errorAnswer(noteFailure(thrown, record, clientGone, log));
  return {
    kind: 'body',
    status,
    headers: { ...routerHeaders(record, { final: true }), ...headers },
    body,
  };
};

/** `errorReply` for the routes Hono serves: OpenAI's envelope via `toErrorResponse`. */
export const errorHandler =
  (log: LogSink | undefined): ErrorHandler<AppEnv> =>
  (thrown, c) => {
    const record = c.var.record;
    const error = noteFailure(thrown, record, c.req.raw.signal.aborted, log);
    return toErrorResponse(error, routerHeaders(record, { final: true }));
  };
