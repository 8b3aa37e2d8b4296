// Plain JavaScript on purpose: a .ts entry makes Node load its type stripper, which adds about
// 17 MB of RSS to an idle process, and the floor must not carry what any hop could avoid.
// Type-checked all the same (checkJs in bench/tsconfig.json).
import { Agent, createServer, request } from 'node:http';
import { pipeline } from 'node:stream';

const TO_UPSTREAM = ['content-type', 'content-length', 'authorization'];
/** content-length too, so a plain answer goes back as it came rather than re-chunked. */
const TO_CLIENT = ['content-type', 'content-length'];

/**
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {readonly string[]} names
 */
const pick = (headers, names) => {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
};

/**
 * The floor, not a router: the cheapest Node hop there is, so every bench run shows what one
 * keep-alive `node:http` proxy costs on this machine beside what the routers cost. It forwards
 * each `POST /v1/chat/completions` body untouched to `upstream` over one pooled agent and pipes
 * the status, content type and body back (a stream streams). No parsing, no routing, no policy,
 * no logging; 502 when the upstream fails; `GET /healthz` answers 200 for the harness.
 *
 * @param {string} upstream the full chat-completions URL to forward to
 * @returns {import('node:http').Server}
 */
export const createBareProxy = (upstream) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  return createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      const headers = pick(req.headers, TO_UPSTREAM);
      const up = request(upstream, { method: 'POST', agent, headers });
      up.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, pick(answer.headers, TO_CLIENT));
        // pipeline, not pipe: an upstream cut mid-stream reaches the client as a cut, not a hang.
        pipeline(answer, res, () => {});
      });
      up.on('error', () => {
        if (res.headersSent) res.destroy();
        else res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream failed\n');
      });
      // A client that hangs up before the answer must not leave the upstream request open.
      res.on('close', () => {
        if (!res.writableFinished) up.destroy();
      });
      req.pipe(up);
      return;
    }
    res.writeHead(req.method === 'GET' && req.url === '/healthz' ? 200 : 404).end();
  });
};
