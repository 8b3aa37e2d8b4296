import type { AuditToolCall, AuditToolResult } from '../audit/audit-event.ts';
import { globAny } from '../classify/glob.ts';
import type { TenantConfig } from '../config/schema.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { ToolCall } from '../openai/chat-response.ts';
import {
  type Approval,
  type HeldCall,
  issueApprovalToken,
  readApproval,
} from './approval-token.ts';
import { allowedTools } from './tool-allowlist.ts';

/** The response header that says a call in the answer is held, and the one with its tokens. */
export const APPROVAL_HEADER = 'x-switchback-approval';
export const APPROVAL_TOKEN_HEADER = 'x-switchback-approval-token';

/** A held call of an answer and the token an operator approves it by. */
export type HeldCallToken = { call_id: string; tool: string; token: string };

/**
 * Refuses (403 `policy_denied`) a request offering a side-effect tool its tenant's stage forbids:
 * any at `read-only`, one off the `allow` list at `scoped-write`. `approval` lets them through
 * (each call in the answer is held instead).
 */
export const checkSideEffectStage = (
  request: ChatCompletionRequest,
  tenant: TenantConfig,
  sideEffectTools: readonly string[],
): void => {
  const stage = tenant.sideEffects;
  if (stage === undefined || stage.stage === 'approval') return;
  (request.tools ?? []).forEach((tool, i) => {
    const name = tool.function.name;
    if (!globAny(sideEffectTools, name)) return;
    if (stage.stage === 'scoped-write' && globAny(stage.allow, name)) return;
    throw new RouterError(
      'policy_denied',
      stage.stage === 'read-only'
        ? `Tool '${name}' has side effects, and this tenant is at rollout stage 'read-only'.`
        : `Tool '${name}' has side effects and is not on this tenant's scoped-write allowlist.`,
      { param: `tools[${i}].function.name` },
    );
  });
};

/** The rule that decided a call, as the audit event names it. */
const ruleFor = (
  name: string,
  tenant: TenantConfig,
  workflow: string | undefined,
  sideEffectTools: readonly string[],
): { decision: AuditToolCall['decision']; rule: string } => {
  if (!globAny(allowedTools(tenant, workflow), name)) {
    return { decision: 'denied', rule: 'tools.allowlist' };
  }
  const stage = tenant.sideEffects;
  if (stage === undefined || !globAny(sideEffectTools, name)) {
    return { decision: 'allowed', rule: 'tools.allowlist' };
  }
  if (stage.stage === 'approval') return { decision: 'held', rule: 'side_effects.approval' };
  if (stage.stage === 'scoped-write' && globAny(stage.allow, name)) {
    return { decision: 'allowed', rule: 'side_effects.scoped-write' };
  }
  return { decision: 'denied', rule: `side_effects.${stage.stage}` };
};

/**
 * What policy makes of the tool calls in a model's answer: one audit entry per call (allowed,
 * denied or held, by which rule), and for each held call the approval token the client gets.
 * Without a `secret` a held call gets no token (and so can never be approved).
 */
export const answerToolCalls = async (
  calls: readonly ToolCall[],
  context: {
    tenant: TenantConfig;
    workflow: string | undefined;
    sideEffectTools: readonly string[];
    requestId: string;
    secret: string | undefined;
    now: number;
  },
): Promise<{ audit: AuditToolCall[]; tokens: string[]; held: HeldCallToken[] }> => {
  const audit: AuditToolCall[] = [];
  const tokens: string[] = [];
  const held: HeldCallToken[] = [];
  for (const call of calls) {
    const name = call.function.name;
    const args_sha256 = await sha256Hex(call.function.arguments);
    const { decision, rule } = ruleFor(
      name,
      context.tenant,
      context.workflow,
      context.sideEffectTools,
    );
    audit.push({ name, args_sha256, call_id: call.id, decision, rule });
    if (decision === 'held' && context.secret !== undefined) {
      const heldCall: HeldCall = {
        tenant: context.tenant.id,
        call_id: call.id,
        name,
        args_sha256,
        request_id: context.requestId,
      };
      const token = await issueApprovalToken(context.secret, heldCall, context.now);
      tokens.push(token);
      held.push({ call_id: call.id, tool: name, token });
    }
  }
  return { audit, tokens, held };
};

/** A tool result counts as an error when it is JSON with a truthy `error` or `is_error`. */
const resultOutcome = (text: string): AuditToolResult['outcome'] => {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (record.error || record.is_error === true) return 'error';
    }
  } catch {
    // Plain text: a success as far as the router can tell.
  }
  return 'success';
};

const encoder = new TextEncoder();
const textOf = (content: string | { text: string }[]) =>
  typeof content === 'string' ? content : content.map((part) => part.text).join('');

/**
 * The tool results a request sends back (one entry per `tool` message: outcome and size), and the
 * approvals behind the side-effect ones. At stage `approval` each side-effect result needs an
 * operator's valid approval of that very call (same tenant, call id, tool and arguments) in
 * `approvals`; without one, `refusal` is the 403 `policy_denied` the request must get (the
 * results are still listed, for its audit event).
 */
export const checkToolResults = async (
  request: ChatCompletionRequest,
  context: {
    tenant: TenantConfig;
    sideEffectTools: readonly string[];
    approvals: readonly string[];
    secret: string | undefined;
    now: number;
  },
): Promise<{ results: AuditToolResult[]; approved: Approval[]; refusal?: RouterError }> => {
  const calls = new Map<string, ToolCall['function']>();
  const results: AuditToolResult[] = [];
  const held: { callId: string; name: string; args: string; index: number }[] = [];
  for (const [index, message] of request.messages.entries()) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) calls.set(call.id, call.function);
    }
    if (message.role !== 'tool') continue;
    const text = textOf(message.content);
    const call = calls.get(message.tool_call_id);
    results.push({
      call_id: message.tool_call_id,
      ...(call ? { name: call.name } : {}),
      outcome: resultOutcome(text),
      bytes: encoder.encode(text).length,
    });
    const gated =
      context.tenant.sideEffects?.stage === 'approval' &&
      call !== undefined &&
      globAny(context.sideEffectTools, call.name);
    if (gated)
      held.push({ callId: message.tool_call_id, name: call.name, args: call.arguments, index });
  }
  if (held.length === 0) return { results, approved: [] };
  const valid: Approval[] = [];
  if (context.secret !== undefined) {
    for (const value of context.approvals) {
      const approval = await readApproval(context.secret, value, context.now);
      if (approval && approval.tenant === context.tenant.id) valid.push(approval);
    }
  }
  const approved: Approval[] = [];
  for (const h of held) {
    const args_sha256 = await sha256Hex(h.args);
    const approval = valid.find(
      (a) => a.call_id === h.callId && a.name === h.name && a.args_sha256 === args_sha256,
    );
    if (approval === undefined) {
      const refusal = new RouterError(
        'policy_denied',
        `The result of tool call '${h.callId}' (${h.name}) needs an operator's approval: send it in ${APPROVAL_HEADER}.`,
        { param: `messages[${h.index}]` },
      );
      return { results, approved, refusal };
    }
    approved.push(approval);
  }
  return { results, approved };
};
