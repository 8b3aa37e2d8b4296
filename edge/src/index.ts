import { archiveAuditBatch } from './audit/archive-audit-batch.ts';
import { servedApps } from './served-apps.ts';

export { AuditChainObject } from './objects/audit-chain-object.ts';
export { IdempotencyObject } from './objects/idempotency-object.ts';
export { QuotaObject } from './objects/quota-object.ts';
export { SessionObject } from './objects/session-object.ts';
export { StoredResponseObject } from './objects/stored-response-object.ts';
export { BackgroundResponseWorkflow } from './workflows/background-response-workflow.ts';

export default {
  async fetch(request, env, ctx) {
    const { apps } = await servedApps(env, ctx);
    // Operators' routes are the stable config's (its operators), never a canary's draw.
    const ops = new URL(request.url).pathname.startsWith('/ops/');
    return (ops ? apps.stable : apps.pick(request.headers)).fetch(request, env, ctx);
  },

  // The audit Queue's consumer: a batch that fails to archive is retried whole by the Queue.
  async queue(batch, env) {
    await archiveAuditBatch(
      env.AUDIT_BUCKET,
      batch.messages.map((message) => message.body),
    );
  },
} satisfies ExportedHandler<Env, string>;
