import { type RequestAuditEvent, tenantScopedName } from '@switchback/router-core';
import type { Context, MiddlewareHandler } from 'hono';
import { requestAuditEvent } from '../audit/request-audit-event.ts';
import type { AppEnv } from '../env.ts';
import type { StreamEnd } from '../serve/sse-response.ts';

const isStream = (res: Response): boolean =>
  res.headers.get('content-type')?.startsWith('text/event-stream') ?? false;

/** Hands the event to the tenant's chain after the response: auditing never delays or fails it. */
const append = (c: Context<AppEnv>, event: RequestAuditEvent): void => {
  const chain = c.env.AUDIT.getByName(tenantScopedName(event.tenant ?? '', 'audit'));
  c.executionCtx.waitUntil(
    chain.append(event).then(
      () => undefined,
      (error: unknown) =>
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'audit append failed',
            request_id: event.request_id,
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
    ),
  );
};

/**
 * One audit event per authenticated chat request, whatever became of it: served, escalated,
 * degraded, refused or failed. A streamed answer's event waits for the stream's end, for its
 * usage and whether it broke.
 */
export const audit = (): MiddlewareHandler<AppEnv> =>
  async function audit(c, next) {
    let ended: StreamEnd | undefined;
    let emitEnd: ((end: StreamEnd) => void) | undefined;
    c.set('streamEnded', (end) => {
      if (emitEnd === undefined) ended = end;
      else emitEnd(end);
    });
    await next();
    const emit = (end?: StreamEnd) =>
      append(
        c,
        requestAuditEvent({
          requestId: c.var.requestId,
          tenant: c.var.tenant,
          keyId: c.var.keyId,
          workflow: c.var.workflow,
          budgets: c.var.budgets,
          ...(c.var.decision === undefined ? {} : { decision: c.var.decision }),
          ...(c.var.served === undefined ? {} : { served: c.var.served }),
          status: c.res.status,
          ...(c.error === undefined ? {} : { error: c.error }),
          ...(end === undefined ? {} : { end }),
          clientClosed: c.req.raw.signal.aborted,
        }),
      );
    if (c.error !== undefined || !isStream(c.res)) return emit();
    // The stream may (rarely) have ended before this point; else its end emits.
    if (ended !== undefined) emit(ended);
    else emitEnd = emit;
  };
