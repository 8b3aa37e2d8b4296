import type { IncomingMessage, ServerResponse } from 'node:http';

type Fetch = (request: Request) => Response | Promise<Response>;
type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Hono's Node adapter for the slow routes (admin, outcomes, responses, metrics), imported on the
 * first such request rather than at start-up: the adapter reads the web globals (`Headers`,
 * `Request`, `Response`) when it is imported, which loads Node's bundled undici: a replica
 * serving only chat, models and health checks never needs it. With the bundle's builtins
 * imported through `require` (regional/scripts/lazy-builtins.ts), serve idles 2.4-2.8 MB lower
 * than with the adapter imported at start-up (83.2-83.6 -> 80.8-81.2 MB, bench config).
 */
export const lazyHonoListener = (fetch: Fetch): Listener => {
  let listener: Promise<Listener> | undefined;
  return async (req, res) => {
    listener ??= import('@hono/node-server').then(({ getRequestListener }) =>
      getRequestListener(fetch),
    );
    try {
      await (await listener)(req, res);
    } catch {
      // The adapter answers its own failures; what is left is the socket going wrong.
      res.destroy();
    }
  };
};
