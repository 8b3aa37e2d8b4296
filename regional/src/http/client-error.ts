import type { Socket } from 'node:net';
import { errorEnvelope, RouterError } from '@switchback/router-core';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 413: 'Payload Too Large' };

/**
 * Node's answer to a request it cannot even parse (a bad header, a bare LF, a lying
 * `content-length`), as OpenAI's envelope instead of Node's bare `400 Bad Request`.
 */
export const answerClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const routerError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new RouterError(
          'payload_too_large',
          'The request headers are too large; send fewer or shorter headers.',
        )
      : new RouterError(
          'invalid_request',
          `The HTTP request could not be parsed (${error.code ?? 'malformed'}); check its request line and headers: no control characters, one content-length.`,
        );
  const body = JSON.stringify(errorEnvelope(routerError));
  socket.end(
    `HTTP/1.1 ${routerError.status} ${STATUS_TEXT[routerError.status] ?? 'Bad Request'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
};
