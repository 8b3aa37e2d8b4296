import {
  bearerKey,
  budgetFor,
  ESCALATION_HEADERS,
  type RouterConfig,
  RouterError,
  tenantOfKey,
  verifyEscalation,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import { sha256HexSync } from '../../crypto/sha256-hex.ts';
import type { NonceStore } from '../../state/state-store.ts';
import type { AppEnv } from '../app-env.ts';
import { readBodyText } from '../read-body.ts';

const unauthorized = (message: string): RouterError => new RouterError('invalid_api_key', message);

const isEscalation = (headers: Headers): boolean =>
  Object.values(ESCALATION_HEADERS).some((name) => headers.has(name));

/**
 * Who is calling. A request carrying any `x-switchback-*` header is an escalation from the edge
 * and must be signed (HMAC, timestamp within a minute, nonce never seen): anything less is a 401,
 * never a fall-through to API keys. Everything else needs an API key of a tenant.
 */
export const authenticate = (options: {
  config: RouterConfig;
  hmacSecret: string | undefined;
  nonces: NonceStore;
}): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const { config, hmacSecret, nonces } = options;
    const record = c.var.record;
    if (isEscalation(c.req.raw.headers)) {
      if (!hmacSecret) {
        throw unauthorized('This service takes no escalations: SWITCHBACK_HMAC_SECRET is not set.');
      }
      const body = await readBodyText(
        c.req.raw,
        config.limits.maxBodyBytes,
        budgetFor(config, undefined).totalMs,
      );
      const url = new URL(c.req.url);
      const verdict = await verifyEscalation(hmacSecret, {
        method: c.req.method,
        path: url.pathname + url.search,
        body,
        headers: c.req.raw.headers,
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
      c.set('caller', { mode: 'escalated', tenant, context: verdict.context, body });
      return next();
    }

    const key = bearerKey(c.req.header('authorization'));
    // node:crypto's hash is synchronous and several times cheaper than WebCrypto's job queue.
    const match = tenantOfKey(config, sha256HexSync(key));
    record.mode = 'front-door';
    record.tenant = match.tenant.id;
    record.keyId = match.keyId;
    c.set('caller', { mode: 'front-door', tenant: match.tenant, keyId: match.keyId });
    return next();
  };
