import {
  APPROVAL_HEADER,
  type ChatCompletion,
  type ChatCompletionRequest,
  type GovernedAnswer,
  governAnswerTools,
  governRequestTools,
  type RouterConfig,
  type TenantConfig,
} from '@switchback/router-core';
import type { RequestRecord } from '../http/request-record.ts';

type Governed = {
  config: RouterConfig;
  tenant: TenantConfig;
  record: RequestRecord;
  /** Signs approval tokens and checks approvals; without it no held call can be approved. */
  secret: string | undefined;
};

const governance = (g: Governed) => ({
  tenant: g.tenant,
  sideEffectTools: g.config.risk.sideEffectTools,
  secret: g.secret,
  now: Date.now(),
});

/** Router-core's side-effect checks of the policy phase, into the record (trace, tool results). */
export const governTools = async (
  g: Governed & { request: ChatCompletionRequest; headers: { get(name: string): string | null } },
): Promise<void> => {
  const { trace, results, refusal } = await governRequestTools(
    g.request,
    g.headers.get(APPROVAL_HEADER),
    governance(g),
  );
  g.record.policyTrace.push(...trace);
  if (results !== undefined) g.record.toolResults = results;
  if (refusal !== undefined) throw refusal;
};

/** The answer's tool calls into the record; the approval headers and tokens when a call is held. */
export const governAnswer = async (
  g: Governed & { workflow: string | undefined; completion: ChatCompletion },
): Promise<GovernedAnswer> => {
  const governed = await governAnswerTools(g.completion, {
    ...governance(g),
    workflow: g.workflow,
    requestId: g.record.requestId,
  });
  if (governed.toolCalls !== undefined) g.record.toolCalls = governed.toolCalls;
  return governed;
};
