import type { AuditToolCall, AuditToolResult, PolicyStep } from '../audit/audit-event.ts';
import type { TenantConfig } from '../config/schema.ts';
import type { RouterError } from '../errors/router-error.ts';
import { asRouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { ChatCompletion, ChatCompletionChunk } from '../openai/chat-response.ts';
import {
  APPROVAL_HEADER,
  APPROVAL_TOKEN_HEADER,
  answerToolCalls,
  checkSideEffectStage,
  checkToolResults,
  type HeldCallToken,
} from './side-effect-stage.ts';

/** Who is asking and what governs their side-effect tools. */
export type ToolGovernance = {
  tenant: TenantConfig;
  sideEffectTools: readonly string[];
  /** Signs approval tokens and checks approvals; without it no held call can be approved. */
  secret: string | undefined;
  now: number;
};

/**
 * The policy phase's side-effect checks, as each door runs them: the tenant's rollout stage for
 * the tools offered, then the results sent back for earlier calls (a held one only with an
 * operator's approval; `approvals` is the request's `x-switchback-approval`, comma-separated).
 * The steps go into the policy trace; `refusal` is the 403 the request must get, if any.
 */
export const governRequestTools = async (
  request: ChatCompletionRequest,
  approvals: string | null | undefined,
  g: ToolGovernance,
): Promise<{ trace: PolicyStep[]; results?: AuditToolResult[]; refusal?: RouterError }> => {
  const trace: PolicyStep[] = [];
  const stage = g.tenant.sideEffects?.stage;
  if (stage !== undefined) {
    const check = `side_effect_stage:${stage}`;
    try {
      checkSideEffectStage(request, g.tenant, g.sideEffectTools);
      trace.push({ check, result: 'pass' });
    } catch (error) {
      const refusal = asRouterError(error);
      trace.push({ check, result: 'deny', detail: refusal.code });
      return { trace, refusal };
    }
  }
  const checked = await checkToolResults(request, {
    tenant: g.tenant,
    sideEffectTools: g.sideEffectTools,
    approvals: (approvals ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== ''),
    secret: g.secret,
    now: g.now,
  });
  const results = checked.results.length > 0 ? { results: checked.results } : {};
  if (checked.refusal !== undefined) {
    trace.push({ check: 'tool_approval', result: 'deny', detail: checked.refusal.code });
    return { trace, ...results, refusal: checked.refusal };
  }
  if (checked.approved.length > 0) {
    const detail = checked.approved.map((a) => `${a.call_id}:${a.name} by ${a.operator}`).join(',');
    trace.push({ check: 'tool_approval', result: 'pass', detail });
  }
  return { trace, ...results };
};

/**
 * The tool calls of a non-streamed answer as policy decided them, and the response headers that
 * say a call is held (`x-switchback-approval: required`) and carry its approval tokens.
 */
export const governAnswerTools = async (
  completion: ChatCompletion,
  g: ToolGovernance & { workflow: string | undefined; requestId: string },
): Promise<GovernedAnswer> => {
  const calls = completion.choices.flatMap((choice) => choice.message.tool_calls ?? []);
  if (calls.length === 0) return { headers: {}, held: [] };
  const { audit, tokens, held } = await answerToolCalls(calls, g);
  if (!audit.some((call) => call.decision === 'held')) {
    return { toolCalls: audit, headers: {}, held: [] };
  }
  return {
    toolCalls: audit,
    headers: {
      [APPROVAL_HEADER]: 'required',
      ...(tokens.length > 0 ? { [APPROVAL_TOKEN_HEADER]: tokens.join(', ') } : {}),
    },
    held,
  };
};

/**
 * An answer's tool calls as policy decided them; for a held call, the headers that say so and,
 * in `held`, each call's approval token (a stream carries those in `streamApprovalChunk`).
 */
export type GovernedAnswer = {
  toolCalls?: AuditToolCall[];
  headers: Record<string, string>;
  held: HeldCallToken[];
};

/** The field of a stream's last chunk that carries its held calls' tokens (SDKs ignore it). */
export const STREAM_APPROVAL_FIELD = 'switchback_approval';

/**
 * The event a streamed answer with held side-effect calls ends with, before `data: [DONE]`: its
 * headers went out before the calls were known, so the tokens come as a chunk without choices
 * (as a usage chunk is; the SDKs pass it by) whose `switchback_approval` is `{required: true,
 * calls: [{call_id, tool, token}]}`. None when no call is held with a token.
 */
export const streamApprovalChunk = (
  completion: Pick<ChatCompletion, 'id' | 'created' | 'model'>,
  governed: GovernedAnswer,
): (ChatCompletionChunk & { [STREAM_APPROVAL_FIELD]: object }) | undefined =>
  governed.held.length === 0
    ? undefined
    : {
        id: completion.id,
        object: 'chat.completion.chunk',
        created: completion.created,
        model: completion.model,
        choices: [],
        [STREAM_APPROVAL_FIELD]: { required: true, calls: governed.held },
      };
