import { MAX_CLOCK_SKEW_MS, type StateConfig } from '@switchback/router-core';
import { Redis } from 'ioredis';
import { createStateFailures, type RegionalState } from '../state-store.ts';
import { createRedisAdmission } from './redis-admission.ts';
import { createRedisAuditHead } from './redis-audit-head.ts';
import { createRedisBreakerBus } from './redis-breaker-bus.ts';
import { createRedisCheckpointStore } from './redis-checkpoint-store.ts';
import { createRedisEventLog } from './redis-event-log.ts';
import { createRedisIdempotencyStore } from './redis-idempotency-store.ts';
import { createRedisJobQueue } from './redis-job-queue.ts';
import { createRedisQuotaStore } from './redis-quota-store.ts';
import { createRedisResponseStore } from './redis-response-store.ts';
import { createRedisSessionStore } from './redis-session-store.ts';

/**
 * The ioredis client: every command has the config's deadline (`commandTimeout`), nothing is
 * queued while disconnected (a call fails at once instead of waiting for a reconnect), no
 * command is retried, and the connection is re-dialled in the background.
 */
export const createRedisClient = (
  config: Extract<StateConfig, { kind: 'redis' }>,
  env: Record<string, string | undefined>,
): Redis => {
  const client = new Redis(config.url, {
    password: config.passwordEnv === undefined ? undefined : env[config.passwordEnv],
    commandTimeout: config.timeoutMs,
    connectTimeout: Math.max(1_000, config.timeoutMs),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    lazyConnect: true,
  });
  // Failures surface per call, with the concern's policy; the connection's own errors are noise.
  client.on('error', () => {});
  return client;
};

/** The state of a replica among many, in Redis. Resolves once connected (or given up waiting). */
export const createRedisState = async (
  config: Extract<StateConfig, { kind: 'redis' }>,
  env: Record<string, string | undefined> = process.env,
): Promise<RegionalState & { client: Redis }> => {
  const client = createRedisClient(config, env);
  // Start even when Redis is down: every concern has its policy, and the client keeps dialling.
  await client.connect().catch(() => {});
  const prefix = config.keyPrefix;
  const failures = createStateFailures();
  // Shared breakers fail open: a lost message leaves the other replicas deciding locally.
  const breakerBus =
    config.breakers === 'shared'
      ? await createRedisBreakerBus(client, prefix, (error) =>
          failures.report({
            concern: 'breakers',
            policy: 'fail_open',
            error: error instanceof Error ? error.message : String(error),
          }),
        )
      : undefined;
  return {
    kind: 'redis',
    client,
    quotas: createRedisQuotaStore(client, prefix),
    sessions: createRedisSessionStore(client, prefix),
    nonces: {
      async claim(nonce) {
        // Twice the clock skew: a nonce is remembered as long as its timestamp could be accepted.
        const ttl = 2 * MAX_CLOCK_SKEW_MS;
        return (await client.set(`${prefix}nonce:${nonce}`, '1', 'PX', ttl, 'NX')) === 'OK';
      },
    },
    idempotency: createRedisIdempotencyStore(client, prefix),
    admission: createRedisAdmission(client, prefix),
    auditHead: createRedisAuditHead(client, prefix),
    breakerBus,
    failures,
    checkpoints: createRedisCheckpointStore(client, prefix),
    responses: createRedisResponseStore(client, prefix),
    jobs: createRedisJobQueue(client, prefix),
    events: createRedisEventLog(client, prefix),
    async close() {
      breakerBus?.close();
      client.disconnect();
    },
  };
};
