import { createServer as createHttp1Server } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { SimRequest, SimResponse } from './sim-http.ts';

export type SimHandler = (req: SimRequest, res: SimResponse) => void;

/** A client speaking HTTP/2 without TLS opens with this preface (prior knowledge, h2c). */
const H2_PREFACE_START = 'PRI';

export interface DualProtocolServer {
  server: Server;
  /** Destroys every open connection, idle or not. */
  destroyConnections(): void;
}

/**
 * HTTP/1.1 and cleartext HTTP/2 on one port. The Bedrock runtime SDK's default handler speaks
 * HTTP/2 (prior knowledge on an `http://` endpoint) while the openai SDK, fetch and k6 speak
 * HTTP/1.1; the first bytes of a connection tell them apart.
 */
export const createDualProtocolServer = (handler: SimHandler): DualProtocolServer => {
  const http1 = createHttp1Server({ keepAliveTimeout: 65_000 }, handler);
  const http2 = createHttp2Server({}, handler);
  const sockets = new Set<Socket>();
  // http.createServer turns Nagle off by default; a raw net server must ask for it, or small
  // SSE writes wait on the peer's delayed ACK (~40 ms a chunk).
  const server = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Until a protocol server owns the socket, a reset by the peer must not crash the process.
    const onEarlyError = () => socket.destroy();
    socket.on('error', onEarlyError);
    socket.once('data', (chunk: Buffer) => {
      socket.off('error', onEarlyError);
      socket.pause();
      socket.unshift(chunk);
      const h2 = chunk.subarray(0, 3).toString('latin1') === H2_PREFACE_START;
      (h2 ? http2 : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return {
    server,
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
};
