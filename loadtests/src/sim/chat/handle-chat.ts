import { Exchange } from '../exchange.ts';
import { readJson } from '../http/read-json.ts';
import type { SimRequest, SimResponse } from '../http/sim-http.ts';
import type { SimState } from '../sim-state.ts';
import { LONG_ANSWER_TOKENS } from '../state/fault-spec.ts';
import type { PrefixCache } from '../state/prefix-cache.ts';
import { LOGGED_HEADERS, type LoggedRequest } from '../state/request-log.ts';
import type { Target } from '../targets.ts';
import type { ChatAdapter, PromptUsage } from './chat-adapter.ts';
import type { ChatInput } from './chat-input.ts';
import { planReply } from './reply-plan.ts';
import { groupTokens } from './reply-words.ts';
import { serveChat } from './serve-chat.ts';
import { isSummaryRequest } from './summary-reply.ts';

const loggedHeaders = (req: SimRequest): LoggedRequest['headers'] => {
  const headers: LoggedRequest['headers'] = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
};

const promptUsage = (cache: PrefixCache, target: Target, input: ChatInput): PromptUsage => {
  let promptTokens = 0;
  for (const segment of input.segments) promptTokens += segment.tokens;
  if (input.cacheScope === null) return { promptTokens, hitTokens: 0, lastBoundaryTokens: 0 };
  const scope = `${target}\u0000${input.model}\u0000${input.cacheScope}`;
  return { promptTokens, ...cache.observe(scope, input.segments) };
};

/** The one pipeline every chat route runs: auth, parse, log, count, fault, plan, deliver. */
export const handleChat = async (
  state: SimState,
  adapter: ChatAdapter,
  req: SimRequest,
  res: SimResponse,
  path: string,
): Promise<void> => {
  if (!adapter.authorized(req)) {
    req.resume();
    adapter.unauthorized(res);
    return;
  }
  const body = await readJson(req);
  if (!body.ok) {
    adapter.errors.send(res, 400, body.error);
    return;
  }
  const parsed = adapter.parse(body.value, req);
  if (!parsed.ok) {
    adapter.errors.send(res, 400, parsed.error);
    return;
  }
  const input = isSummaryRequest(body.value) ? { ...parsed.input, summary: true } : parsed.input;
  const { target } = adapter;
  state.log.add({
    target,
    model: input.model,
    path,
    stream: input.stream,
    headers: loggedHeaders(req),
    body: body.value,
  });
  const counters = state.stats.counters(target, input.model);
  const ex = new Exchange(res, counters);
  if (ex.closed) return;

  const fault = state.faults.take(target, input.model);
  if (fault) counters.faulted++;
  // A request refused up front never reached the model, so it leaves no trace in the cache.
  const refused = (fault?.kind === 'error' || fault?.kind === 'rate_limit') && !fault.midStream;
  const usage: PromptUsage = refused
    ? { promptTokens: 0, hitTokens: 0, lastBoundaryTokens: 0 }
    : promptUsage(state.cache, target, input);
  const planned = planReply(input, {
    target,
    words:
      fault?.kind === 'long_answer' ? (fault.tokens ?? LONG_ANSWER_TOKENS) : state.timing.tokens,
    ...adapter.planOptions?.(input),
  });
  const perToken = fault?.kind === 'long_answer' ? (fault.wordsPerToken ?? 1) : 1;
  const plan =
    perToken === 1 ? planned : { ...planned, content: groupTokens(planned.content, perToken) };
  await serveChat(
    ex,
    input.stream,
    plan.completionTokens,
    adapter.errors,
    state.timing,
    fault,
    (plannedLatencyMs) =>
      adapter.render({ input, plan, usage, startedAt: ex.startedAt, plannedLatencyMs }),
  );
};
