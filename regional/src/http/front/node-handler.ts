import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Exchange, Reply } from './exchange.ts';
import { type FrontDoorRoute, frontDoorRoute } from './front-door.ts';
import { nodeExchange, pathOf, writeReply } from './node-exchange.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Node's request listener: the front-door routes (chat, models) on Node's own request and
 * response, every other route handed to `fallback` (Hono's adapter, for the slow routes).
 */
export const nodeHandler =
  (
    serve: (ex: Exchange, route: FrontDoorRoute) => Promise<Reply>,
    fallback: (req: IncomingMessage, res: ServerResponse) => unknown,
  ): Listener =>
  (req, res) => {
    const route = frontDoorRoute(req.method ?? 'GET', pathOf(req.url ?? '/'));
    if (route === undefined) {
      void fallback(req, res);
      return;
    }
    // The front door answers every failure itself; what is left is the socket going wrong.
    serve(nodeExchange(req, res), route)
      .then((reply) => writeReply(res, reply))
      .catch(() => res.destroy());
  };
