import {
  APPROVAL_HEADER,
  APPROVAL_TOKEN_HEADER,
  answerToolCalls,
  type ChatCompletion,
  type ChatCompletionRequest,
  checkSideEffectStage,
  checkToolResults,
  type RouterConfig,
  type TenantConfig,
} from '@switchback/router-core';
import { traced } from '../audit/policy-trace.ts';
import type { RequestRecord } from '../http/request-record.ts';

type Governed = {
  config: RouterConfig;
  tenant: TenantConfig;
  record: RequestRecord;
  /** Signs approval tokens and checks approvals; without it no held call can be approved. */
  secret: string | undefined;
};

/**
 * The policy phase's side-effect checks (router-core's): the tenant's rollout stage for the tools
 * offered, then the results sent back for earlier calls, each held one only with an operator's
 * approval in `x-switchback-approval` (comma-separated). Both land in the policy trace.
 */
export const governTools = async (
  g: Governed & { request: ChatCompletionRequest; headers: Headers },
): Promise<void> => {
  const { config, tenant, record } = g;
  if (tenant.sideEffects !== undefined) {
    traced(record.policyTrace, `side_effect_stage:${tenant.sideEffects.stage}`, () =>
      checkSideEffectStage(g.request, tenant, config.risk.sideEffectTools),
    );
  }
  const approvals = (g.headers.get(APPROVAL_HEADER) ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const { results, approved, refusal } = await checkToolResults(g.request, {
    tenant,
    sideEffectTools: config.risk.sideEffectTools,
    approvals,
    secret: g.secret,
    now: Date.now(),
  });
  if (results.length > 0) record.toolResults = results;
  if (refusal !== undefined) {
    record.policyTrace.push({ check: 'tool_approval', result: 'deny', detail: refusal.code });
    throw refusal;
  }
  if (approved.length > 0) {
    const detail = approved.map((a) => `${a.call_id}:${a.name} by ${a.operator}`).join(',');
    record.policyTrace.push({ check: 'tool_approval', result: 'pass', detail });
  }
};

/**
 * The tool calls of an answer, recorded as policy decided them; the response headers that say a
 * call is held (`x-switchback-approval: required`) and carry its approval tokens.
 */
export const governAnswer = async (
  g: Governed & { workflow: string | undefined; completion: ChatCompletion },
): Promise<Record<string, string>> => {
  const calls = g.completion.choices.flatMap((choice) => choice.message.tool_calls ?? []);
  if (calls.length === 0) return {};
  const { audit, tokens } = await answerToolCalls(calls, {
    tenant: g.tenant,
    workflow: g.workflow,
    sideEffectTools: g.config.risk.sideEffectTools,
    requestId: g.record.requestId,
    secret: g.secret,
    now: Date.now(),
  });
  g.record.toolCalls = audit;
  if (!audit.some((call) => call.decision === 'held')) return {};
  return {
    [APPROVAL_HEADER]: 'required',
    ...(tokens.length > 0 ? { [APPROVAL_TOKEN_HEADER]: tokens.join(', ') } : {}),
  };
};
