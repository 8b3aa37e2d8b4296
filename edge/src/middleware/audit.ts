import {
  auditTools,
  type RequestAuditEvent,
  type RouterConfig,
  requestTools,
  tenantScopedName,
} from '@switchback/router-core';
import type { Context, MiddlewareHandler } from 'hono';
import { AuditBatcher } from '../audit/audit-batcher.ts';
import { requestAuditEvent } from '../audit/request-audit-event.ts';
import type { AppEnv } from '../env.ts';
import type { StreamEnd } from '../serve/sse-response.ts';

const isStream = (res: Response): boolean =>
  res.headers.get('content-type')?.startsWith('text/event-stream') ?? false;

export type AuditOptions = { config: RouterConfig };

/** One batcher per binding: a batch goes through the namespace of the requests that filled it. */
const batchers = new WeakMap<Env['AUDIT'], AuditBatcher>();

const batcherOf = (namespace: Env['AUDIT']): AuditBatcher => {
  let batcher = batchers.get(namespace);
  if (batcher === undefined) {
    batcher = new AuditBatcher((name) => namespace.getByName(name));
    batchers.set(namespace, batcher);
  }
  return batcher;
};

const appendFailed = (requestIds: readonly string[], error: unknown): void =>
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'audit append failed',
      request_ids: requestIds,
      error: error instanceof Error ? error.message : String(error),
    }),
  );

/**
 * Hands the event to the tenant's chain after the response: auditing never delays or fails it.
 * The `waitUntil` holds only this request's own work: its event, and the send of a batch it
 * opened (see `AuditBatcher`).
 */
const append = (c: Context<AppEnv>, event: Promise<RequestAuditEvent>): void => {
  const name = tenantScopedName(c.var.tenant.id, 'audit');
  // Read now: a Worker deployed without the binding still serves; every event it loses is logged.
  const namespace: Env['AUDIT'] | undefined = c.env.AUDIT;
  c.executionCtx.waitUntil(
    event.then(
      async (e) => {
        if (namespace === undefined) return appendFailed([e.request_id], 'no AUDIT binding');
        const batch = batcherOf(namespace).add(name, e);
        await batch?.sent.catch((error: unknown) =>
          appendFailed(
            batch.events.map((b) => b.request_id),
            error,
          ),
        );
      },
      (error: unknown) => appendFailed([c.var.requestId], error),
    ),
  );
};

/**
 * One audit event per authenticated chat request, whatever became of it: served, escalated,
 * degraded, refused or failed. A streamed answer's event waits for the stream's end, for its
 * usage and whether it broke.
 */
export const audit = ({ config }: AuditOptions): MiddlewareHandler<AppEnv> =>
  async function audit(c, next) {
    c.set('policyTrace', []);
    let ended: StreamEnd | undefined;
    let emitEnd: ((end: StreamEnd) => void) | undefined;
    c.set('streamEnded', (end) => {
      if (emitEnd === undefined) ended = end;
      else emitEnd(end);
    });
    await next();
    // `body` is unset when admission refused the request; tools are read after policy ran.
    const tools = c.var.body === undefined ? undefined : requestTools(c.var.body);
    const price = config.models.find((m) => m.id === c.var.served?.model)?.price;
    const { status } = c.res;
    const { error } = c;
    const event = async (end?: StreamEnd) =>
      requestAuditEvent({
        requestId: c.var.requestId,
        tenant: c.var.tenant,
        keyId: c.var.keyId,
        workflow: c.var.workflow,
        configVersion: config.version,
        budgets: c.var.budgets,
        ...(c.var.decision === undefined ? {} : { decision: c.var.decision }),
        ...(c.var.served === undefined ? {} : { served: c.var.served }),
        ...(price === undefined ? {} : { price }),
        ...(tools === undefined ? {} : { tools: await auditTools(tools) }),
        status,
        ...(error === undefined ? {} : { error }),
        ...(end === undefined ? {} : { end }),
        ...(c.var.compaction === undefined ? {} : { compaction: c.var.compaction }),
        policyTrace: c.var.policyTrace,
        ...(c.var.intent === undefined ? {} : { intent: c.var.intent }),
        ...(c.var.toolResults === undefined ? {} : { toolResults: c.var.toolResults }),
        ...(c.var.toolCalls === undefined ? {} : { toolCalls: c.var.toolCalls }),
        ...(c.var.response === undefined ? {} : { response: c.var.response }),
        clientClosed: c.req.raw.signal.aborted,
      });
    const emit = (end?: StreamEnd) => append(c, event(end));
    if (error !== undefined || !isStream(c.res)) return emit();
    // The stream may (rarely) have ended before this point; else its end emits.
    if (ended !== undefined) emit(ended);
    else emitEnd = emit;
  };
