import { requestIdFrom } from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { HeaderView } from '../front/exchange.ts';
import { newRequestRecord, type RequestRecord } from '../request-record.ts';

/** The record (and id) of a request that just arrived. */
export const openRecord = (method: string, path: string, headers: HeaderView): RequestRecord =>
  newRequestRecord(requestIdFrom(headers.get('x-request-id') ?? undefined), method, path);

/** Hands the record to `onFinish` once the request is really over: a stream once its body ended. */
export const closeRecord = (
  record: RequestRecord,
  status: number,
  onFinish: (record: RequestRecord) => void,
): void => {
  record.status ??= status;
  if (record.streamEnded) void record.streamEnded.then(() => onFinish(record));
  else onFinish(record);
};

/**
 * Opens the request's record (and its id), and hands it to `onFinish` once the request is really
 * over: when the response is returned, or for a stream when its body has ended.
 */
export const recordRequest = (options: {
  onFinish: (record: RequestRecord) => void;
}): MiddlewareHandler<AppEnv> =>
  async function recordRequest(c, next) {
    const record = openRecord(c.req.method, c.req.path, c.req.raw.headers);
    c.set('record', record);
    await next();
    c.res.headers.set('x-request-id', record.requestId);
    closeRecord(record, c.res.status, options.onFinish);
  };
