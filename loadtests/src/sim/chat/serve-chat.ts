import type { Exchange } from '../exchange.ts';
import type { Timing } from '../sim-options.ts';
import { DEFAULT_DELAY_MS } from '../state/fault-spec.ts';
import type { Fault } from '../state/fault-store.ts';
import type { ChatRender, ProviderErrors } from './chat-adapter.ts';
import { deliverStream, deliverUnary, type Interruption, type Pacing, stall } from './deliver.ts';

const faultMessage = (status: number): string =>
  status === 429
    ? 'Rate limit reached for requests (simulated). Please try again later.'
    : `The server had an error while processing your request (simulated fault, HTTP ${status}).`;

/** Serves a planned answer, bent by the fault that hit the request, if any. */
export const serveChat = async (
  ex: Exchange,
  stream: boolean,
  tokens: number,
  errors: ProviderErrors,
  timing: Timing,
  fault: Fault | undefined,
  render: (plannedLatencyMs: number) => ChatRender,
): Promise<void> => {
  let pacing: Pacing = { ttftMs: timing.ttftMs, itlMs: timing.itlMs };
  let interruption: Interruption | undefined;
  let headerDelayMs = 0;
  switch (fault?.kind) {
    case undefined:
      break;
    case 'error':
    case 'rate_limit': {
      const status = fault.kind === 'rate_limit' ? 429 : (fault.status ?? 500);
      const message = faultMessage(status);
      if (fault.midStream && stream) {
        interruption = { kind: 'error', frame: errors.streamFrame(status, message) };
        break;
      }
      const retryAfterS = Math.ceil((fault.delayMs ?? DEFAULT_DELAY_MS) / 1000);
      const headers = fault.kind === 'rate_limit' ? { 'retry-after': String(retryAfterS) } : {};
      errors.send(ex.res, status, message, headers);
      return;
    }
    case 'slow_first_token':
      headerDelayMs = fault.delayMs ?? DEFAULT_DELAY_MS;
      if (!(await ex.sleep(headerDelayMs))) return;
      break;
    case 'stall': {
      const rendered = render(0);
      await stall(ex, stream ? rendered.streamHeaders : rendered.unaryHeaders);
      return;
    }
    case 'reset_mid_stream':
      interruption = { kind: 'reset' };
      break;
    case 'slow_tokens':
      pacing = { ...pacing, itlMs: fault.delayMs ?? DEFAULT_DELAY_MS };
      break;
    case 'long_answer':
      // Only the answer's length, planned before (handle-chat.ts).
      break;
  }
  const latency = headerDelayMs + pacing.ttftMs + pacing.itlMs * Math.max(0, tokens - 1);
  const rendered = render(latency);
  if (stream) {
    await deliverStream(ex, rendered.streamHeaders, rendered.stream(), pacing, interruption);
  } else {
    const reset = interruption?.kind === 'reset';
    await deliverUnary(ex, rendered.unaryHeaders, rendered.unary, tokens, pacing, reset);
  }
};
