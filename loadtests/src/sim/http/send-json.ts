import type { OutgoingHttpHeaders } from 'node:http';
import type { SimResponse } from './sim-http.ts';

/** Sends a complete JSON response (no-op if the connection is already gone). */
export const sendJson = (
  res: SimResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void => {
  if (res.writableEnded || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};
