import type { OutgoingHttpHeaders } from 'node:http';
import type { Exchange } from '../exchange.ts';
import type { SimResponse } from '../http/sim-http.ts';

/** One write on the wire: an SSE event or a binary event-stream message. */
export type Frame = string | Uint8Array;

/** A streamed answer: one frame per token (the first may carry a preamble), then the tail. */
export interface StreamScript {
  frames: Frame[];
  tail: Frame;
}

export interface Pacing {
  ttftMs: number;
  itlMs: number;
}

/** How a stream is cut short: the socket destroyed, or a provider error event and a clean end. */
export type Interruption = { kind: 'reset' } | { kind: 'error'; frame: Frame };

/** A stalled upstream answers but then sends nothing; the cap keeps a forgotten client bounded. */
export const STALL_CAP_MS = 120_000;

const writeFlushed = (res: SimResponse, frame: Frame): Promise<void> =>
  new Promise((resolve) => {
    res.write(frame, () => resolve());
  });

/**
 * Streams the frames: the first after the time to first token, the rest one inter-token latency
 * apart. With zero delays the whole answer goes out in one corked write.
 */
export const deliverStream = async (
  ex: Exchange,
  headers: OutgoingHttpHeaders,
  script: StreamScript,
  pacing: Pacing,
  interruption?: Interruption,
): Promise<void> => {
  const { res } = ex;
  const { frames } = script;
  res.writeHead(200, headers);
  if (pacing.ttftMs > 0) res.flushHeaders?.();
  const stopAt = interruption ? Math.ceil(frames.length / 2) : frames.length;
  if (frames.length === 0 && !(await ex.sleep(pacing.ttftMs))) return;
  res.cork();
  for (let i = 0; i < stopAt; i++) {
    const delay = i === 0 ? pacing.ttftMs : pacing.itlMs;
    if (delay > 0) {
      res.uncork();
      if (!(await ex.sleep(delay))) return;
      res.cork();
    }
    const frame = frames[i] as Frame;
    if (interruption?.kind === 'reset' && i === stopAt - 1) {
      res.uncork();
      // Let the partial answer reach the client before the connection is cut.
      await writeFlushed(res, frame);
      if (!ex.closed) ex.reset();
      return;
    }
    res.write(frame);
  }
  res.uncork();
  if (interruption?.kind === 'reset') ex.reset();
  else res.end(interruption?.kind === 'error' ? interruption.frame : script.tail);
};

/**
 * Sends a non-streamed answer once it would have been fully generated. A reset sends the headers
 * and half the body, then cuts the connection.
 */
export const deliverUnary = async (
  ex: Exchange,
  headers: OutgoingHttpHeaders,
  render: () => string,
  tokens: number,
  pacing: Pacing,
  reset: boolean,
): Promise<void> => {
  const generated = reset ? Math.ceil(tokens / 2) : tokens;
  const wait = pacing.ttftMs + pacing.itlMs * Math.max(0, generated - 1);
  if (!(await ex.sleep(wait))) return;
  const { res } = ex;
  const body = Buffer.from(render(), 'utf8');
  res.writeHead(200, { ...headers, 'content-length': body.length });
  if (!reset) {
    res.end(body);
    return;
  }
  await writeFlushed(res, body.subarray(0, Math.floor(body.length / 2)));
  if (!ex.closed) ex.reset();
};

/** Answers 200 with headers, then nothing, until the client gives up (or the safety cap). */
export const stall = async (ex: Exchange, headers: OutgoingHttpHeaders): Promise<void> => {
  ex.res.writeHead(200, headers);
  ex.res.flushHeaders?.();
  if (await ex.sleep(STALL_CAP_MS)) ex.reset();
};
