import { asRouterError, ERROR_CLASS, toErrorResponse } from '@switchback/router-core';
import type { ErrorHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import type { LogSink } from './finish-request.ts';
import { routerHeaders } from './router-headers.ts';

/** The one place a thrown error becomes a response: OpenAI's envelope via `toErrorResponse`. */
export const errorHandler =
  (log: LogSink | undefined): ErrorHandler<AppEnv> =>
  (thrown, c) => {
    const error = asRouterError(thrown);
    const record = c.var.record;
    record.status = error.status;
    record.errorCode = error.code;
    record.outcome = c.req.raw.signal.aborted ? 'client_closed' : ERROR_CLASS[error.code];
    if (error.code === 'internal_error') {
      log?.({
        ts: new Date().toISOString(),
        level: 'error',
        msg: 'unexpected failure',
        request_id: record.requestId,
        error: thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown),
      });
    }
    return toErrorResponse(error, routerHeaders(record, { final: true }));
  };
