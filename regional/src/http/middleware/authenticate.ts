import {
  bearerKey,
  budgetFor,
  ESCALATION_HEADERS,
  isJobCaller,
  type JobSigner,
  type RouterConfig,
  RouterError,
  tenantOfKey,
  verifyEscalation,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { Caller } from '../../auth/caller.ts';
import { authenticateJobCaller } from '../../auth/job-caller.ts';
import { sha256HexSync } from '../../crypto/sha256-hex.ts';
import type { NonceStore } from '../../state/state-store.ts';
import type { AppEnv } from '../app-env.ts';
import type { Exchange, HeaderView } from '../front/exchange.ts';
import { webExchange } from '../front/web-exchange.ts';
import type { RequestRecord } from '../request-record.ts';

const unauthorized = (message: string): RouterError => new RouterError('invalid_api_key', message);

const isEscalation = (headers: HeaderView): boolean =>
  Object.values(ESCALATION_HEADERS).some((name) => headers.get(name) !== null);

type AuthOptions = {
  config: RouterConfig;
  hmacSecret: string | undefined;
  nonces: NonceStore;
  /** Checks the callers background runs present (`x-switchback-job-*`). */
  jobs: JobSigner;
};

/**
 * Who is calling. A request carrying any `x-switchback-*` header is an escalation from the edge
 * and must be signed (HMAC, timestamp within a minute, nonce never seen): anything less is a 401,
 * never a fall-through to API keys. A background run presents its job's caller, signed
 * likewise (`authenticateJobCaller`). Everything else needs an API key of a tenant.
 */
export const authenticateCaller =
  (options: AuthOptions) =>
  async (ex: Exchange, record: RequestRecord): Promise<Caller> => {
    const { config, hmacSecret, nonces } = options;
    if (isJobCaller(ex.headers)) return authenticateJobCaller(options, ex, record);
    if (isEscalation(ex.headers)) {
      if (!hmacSecret) {
        throw unauthorized('This service takes no escalations: SWITCHBACK_HMAC_SECRET is not set.');
      }
      const body = await ex.body(config.limits.maxBodyBytes, budgetFor(config, undefined).totalMs);
      const verdict = await verifyEscalation(hmacSecret, {
        method: ex.method,
        path: ex.target,
        body,
        headers: ex.headers,
      });
      if (!verdict.ok) {
        throw unauthorized(`The escalation is not validly signed (${verdict.reason}).`);
      }
      if (!(await nonces.claim(verdict.nonce))) {
        throw unauthorized('The escalation was replayed (its nonce was seen before).');
      }
      const tenant = config.tenants.find((t) => t.id === verdict.context.tenantId);
      if (!tenant) throw unauthorized(`The escalation names an unknown tenant.`);
      record.mode = 'escalated';
      record.tenant = tenant.id;
      return { mode: 'escalated', tenant, context: verdict.context, body };
    }

    const key = bearerKey(ex.headers.get('authorization') ?? undefined);
    const match = tenantOfKey(config, sha256HexSync(key));
    record.mode = 'front-door';
    record.tenant = match.tenant.id;
    record.keyId = match.keyId;
    return { mode: 'front-door', tenant: match.tenant, keyId: match.keyId };
  };

/** `authenticateCaller` as Hono middleware, for the routes Hono still serves (`/v1/outcomes`). */
export const authenticate = (options: AuthOptions): MiddlewareHandler<AppEnv> => {
  const callerOf = authenticateCaller(options);
  return async function authenticate(c, next) {
    c.set('caller', await callerOf(webExchange(c.req.raw), c.var.record));
    return next();
  };
};
