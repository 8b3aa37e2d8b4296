import type { RouterConfig } from '@switchback/router-core';
import { createApp } from './app.ts';
import { archiveAuditBatch } from './audit/archive-audit-batch.ts';
import { type CanaryApps, canaryApps } from './config/canary.ts';
import { loadConfig } from './config/index.ts';
import { createKvConfig, type KvConfig } from './config/kv-config.ts';

export { AuditChainObject } from './objects/audit-chain-object.ts';
export { IdempotencyObject } from './objects/idempotency-object.ts';
export { QuotaObject } from './objects/quota-object.ts';
export { SessionObject } from './objects/session-object.ts';
export { StoredResponseObject } from './objects/stored-response-object.ts';

type App = ReturnType<typeof createApp>;
const build = (config: RouterConfig): App => createApp({ config });
const canaryRefused = (reason: string) =>
  console.error(JSON.stringify({ level: 'error', msg: 'canary refused', reason }));

const bundled = loadConfig();
let served: { config: RouterConfig; apps: CanaryApps<App> } = {
  config: bundled,
  apps: canaryApps(bundled, build, canaryRefused),
};
let source: KvConfig | undefined;

// The config comes from KV (`CONFIG`, key `router-config`) when it holds a valid one, else the
// bundled one; a request runs to its end on the app of the config it started with. A config with
// an inline `rollout.candidate` serves that share of sessions from the candidate's app.
export default {
  async fetch(request, env, ctx) {
    source ??= createKvConfig({
      kv: env.CONFIG,
      bundled,
      onRefused: (reason) =>
        console.error(JSON.stringify({ level: 'error', msg: 'config from KV refused', reason })),
    });
    const { config } = await source.get((promise) => ctx.waitUntil(promise));
    if (config !== served.config) {
      served = { config, apps: canaryApps(config, build, canaryRefused) };
      console.log(
        JSON.stringify({ level: 'info', msg: 'config from KV', config_version: config.version }),
      );
    }
    // Operators' routes are the stable config's (its operators), never a canary's draw.
    const ops = new URL(request.url).pathname.startsWith('/ops/');
    return (ops ? served.apps.stable : served.apps.pick(request.headers)).fetch(request, env, ctx);
  },

  // The audit Queue's consumer: a batch that fails to archive is retried whole by the Queue.
  async queue(batch, env) {
    await archiveAuditBatch(
      env.AUDIT_BUCKET,
      batch.messages.map((message) => message.body),
    );
  },
} satisfies ExportedHandler<Env, string>;
