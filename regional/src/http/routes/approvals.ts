import {
  type AuditLog,
  approveHeldCall,
  type RouterConfig,
  RouterError,
} from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { operatorOf } from '../operator-credential.ts';

export type ApprovalsDeps = {
  config: RouterConfig;
  /** The secret approval tokens are signed with; without it nothing can be approved. */
  secret: string | undefined;
  audit?: AuditLog | undefined;
};

/**
 * `POST /ops/approvals` `{token}` with an operator credential (`authorization: Bearer <key>`,
 * one of the config's `operators`, never a tenant key): approves the held tool call the token
 * names, records an `approval` audit event (before answering, so the chain has it), and answers
 * the approval the client sends back in `x-switchback-approval`.
 */
export const approvals = (deps: ApprovalsDeps): Handler<AppEnv> =>
  async function approvals(c) {
    const operator = operatorOf(deps.config, c.req.header('authorization'));
    if (deps.secret === undefined) {
      throw new RouterError('invalid_request', 'Approvals are off: no approval secret is set.');
    }
    let token: unknown;
    try {
      token = ((await c.req.json()) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    const approved =
      typeof token === 'string'
        ? await approveHeldCall(deps.secret, token, operator, Date.now())
        : undefined;
    if (approved === undefined) {
      throw new RouterError(
        'invalid_request',
        'Not a valid approval token (forged, altered or expired).',
        {
          param: 'token',
        },
      );
    }
    const { call } = approved;
    await deps.audit?.append({
      type: 'approval',
      ts: new Date().toISOString(),
      operator: operator,
      tenant: call.tenant,
      request_id: call.request_id,
      call_id: call.call_id,
      tool: call.name,
      args_sha256: call.args_sha256,
    });
    return c.json({
      approval: approved.approval,
      operator: operator,
      tenant: call.tenant,
      call_id: call.call_id,
      tool: call.name,
    });
  };
