import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { ProviderKind } from '../provider/chat-provider.ts';
import type { Decision, RouteTarget } from './contracts.ts';

/**
 * Provider kinds that return token log probabilities. OpenAI and OpenAI-compatible servers (vLLM
 * and the like) do; Workers AI and Bedrock (Converse) have no such output at all.
 */
const RETURNS_LOGPROBS: Record<ProviderKind, boolean> = {
  openai: true,
  'openai-compatible': true,
  'workers-ai': false,
  bedrock: false,
};

const PROVIDER_NAMES: Record<ProviderKind, string> = {
  openai: 'OpenAI',
  'openai-compatible': 'an OpenAI-compatible server',
  'workers-ai': 'Workers AI',
  bedrock: 'Bedrock',
};

/** The logprobs parameter a request sets, if any (`top_logprobs` needs them as well). */
const logprobsParam = (request: ChatCompletionRequest): 'logprobs' | 'top_logprobs' | undefined => {
  if (request.logprobs === true) return 'logprobs';
  return (request.top_logprobs ?? 0) > 0 ? 'top_logprobs' : undefined;
};

export const returnsLogprobs = (target: RouteTarget): boolean =>
  RETURNS_LOGPROBS[target.provider.kind];

/**
 * The decision with every target that cannot honour the request's parameters dropped from its
 * chain, or a 400 naming the parameter and the routed model when none can. Today that is
 * `logprobs` / `top_logprobs`, which only OpenAI-shaped providers return.
 *
 * With `model: "auto"` the tier stays the one classification and policy chose, and only its
 * chain is filtered: a parameter never moves a request to another tier, because that would let
 * `logprobs: true` buy a simple request a regional model (cost, and the risk policy's say over
 * where a request may run) behind the operator's back. A request whose tier has no model that
 * can answer it is refused with the primary's name, so the client can name a model that can.
 * A fallback that cannot honour it is skipped rather than answering without: silently dropping
 * a parameter is the one outcome a router must not have. `decide` applies this, so both doors
 * agree.
 */
export const withSupportedTargets = (
  request: ChatCompletionRequest,
  decision: Decision,
): Decision => {
  const param = logprobsParam(request);
  if (param === undefined) return decision;
  const [first, ...rest] = decision.targets.filter(returnsLogprobs);
  if (first !== undefined) {
    return first === decision.targets[0] && rest.length === decision.targets.length - 1
      ? decision
      : { ...decision, targets: [first, ...rest] };
  }
  const routed = decision.targets[0];
  throw new RouterError(
    'invalid_request',
    `'${param}' is not supported by the routed model '${routed.model.id}' (${routed.model.name} on ${PROVIDER_NAMES[routed.provider.kind]}, which returns no log probabilities); name a model on OpenAI or an OpenAI-compatible server.`,
    { param },
  );
};
