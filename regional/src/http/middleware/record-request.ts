import { requestIdFrom } from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { newRequestRecord, type RequestRecord } from '../request-record.ts';

/**
 * Opens the request's record (and its id), and hands it to `onFinish` once the request is really
 * over: when the response is returned, or for a stream when its body has ended.
 */
export const recordRequest = (options: {
  onFinish: (record: RequestRecord) => void;
}): MiddlewareHandler<AppEnv> =>
  async function recordRequest(c, next) {
    const record = newRequestRecord(
      requestIdFrom(c.req.header('x-request-id')),
      c.req.method,
      c.req.path,
    );
    c.set('record', record);
    await next();
    c.res.headers.set('x-request-id', record.requestId);
    record.status ??= c.res.status;
    if (record.streamEnded) void record.streamEnded.then(() => options.onFinish(record));
    else options.onFinish(record);
  };
