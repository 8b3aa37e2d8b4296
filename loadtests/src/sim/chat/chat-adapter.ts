import type { OutgoingHttpHeaders } from 'node:http';
import type { SimRequest, SimResponse } from '../http/sim-http.ts';
import type { Target } from '../targets.ts';
import type { ChatInput, ParseResult } from './chat-input.ts';
import type { Frame, StreamScript } from './deliver.ts';
import type { PlanOptions, ReplyPlan } from './reply-plan.ts';

/** The provider's error shapes. */
export interface ProviderErrors {
  /** An HTTP error response. */
  send(res: SimResponse, status: number, message: string, headers?: OutgoingHttpHeaders): void;
  /** An error event inside an already started stream. */
  streamFrame(status: number, message: string): Frame;
}

/** Prompt size and what the prefix cache made of it; each format reports it its own way. */
export interface PromptUsage {
  promptTokens: number;
  /** Tokens up to the longest prefix seen before (0 on a miss). */
  hitTokens: number;
  /** Tokens up to the last cacheable boundary of this request. */
  lastBoundaryTokens: number;
}

export interface RenderContext {
  input: ChatInput;
  plan: ReplyPlan;
  usage: PromptUsage;
  /** For latency figures in the body (Bedrock `metrics.latencyMs`). */
  startedAt: number;
  plannedLatencyMs: number;
}

export interface ChatRender {
  unaryHeaders: OutgoingHttpHeaders;
  unary(): string;
  streamHeaders: OutgoingHttpHeaders;
  stream(): StreamScript;
}

/** What a provider route brings to the shared chat pipeline; everything else is common. */
export interface ChatAdapter {
  target: Target;
  errors: ProviderErrors;
  authorized(req: SimRequest): boolean;
  /** The 401/403 a provider gives a request without credentials. */
  unauthorized(res: SimResponse): void;
  parse(body: unknown, req: SimRequest): ParseResult;
  planOptions?(input: ChatInput): Pick<PlanOptions, 'reasoning' | 'toolCallIdPrefix'>;
  render(context: RenderContext): ChatRender;
}

export const bearerToken = (req: SimRequest): string | undefined => {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
};
