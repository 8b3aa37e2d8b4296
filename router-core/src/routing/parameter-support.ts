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

/** A parameter some targets cannot honour: which, who can, and why the others cannot. */
type Limit = { param: string; supports: (target: RouteTarget) => boolean; why: string };

const limitsOf = (request: ChatCompletionRequest): Limit[] => {
  const limits: Limit[] = [];
  const logprobs = logprobsParam(request);
  if (logprobs !== undefined) {
    limits.push({
      param: logprobs,
      supports: returnsLogprobs,
      why: 'which returns no log probabilities); name a model on OpenAI or an OpenAI-compatible server.',
    });
  }
  // Bedrock's structured output is a forced tool call (regional's to-converse.ts), which would
  // leave the model no way to call the client's own tools.
  const format = request.response_format?.type;
  if ((format === 'json_object' || format === 'json_schema') && (request.tools?.length ?? 0) > 0) {
    limits.push({
      param: 'response_format',
      supports: (target) => target.provider.kind !== 'bedrock',
      why: 'where structured output is a forced tool call, so it cannot be combined with tools); drop the tools or name another model.',
    });
  }
  return limits;
};

/**
 * The decision with every target that cannot honour the request's parameters dropped from its
 * chain, or a 400 naming the parameter and the routed model when none can: `logprobs` /
 * `top_logprobs`, which only OpenAI-shaped providers return, and `response_format` together with
 * tools, which Bedrock cannot do.
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
  const limits = limitsOf(request);
  if (limits.length === 0) return decision;
  const routed = decision.targets[0];
  const supported = decision.targets.filter((target) => limits.every((l) => l.supports(target)));
  const [first, ...rest] = supported;
  // With no target left, the primary fails one of the limits: that is the one the 400 names.
  const limit = first === undefined ? limits.find((l) => !l.supports(routed)) : undefined;
  if (limit !== undefined) {
    throw new RouterError(
      'invalid_request',
      `'${limit.param}' is not supported by the routed model '${routed.model.id}' (${routed.model.name} on ${PROVIDER_NAMES[routed.provider.kind]}, ${limit.why}`,
      { param: limit.param },
    );
  }
  return first === undefined || supported.length === decision.targets.length
    ? decision
    : { ...decision, targets: [first, ...rest] };
};
