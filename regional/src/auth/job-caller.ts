import { budgetFor, type JobSigner, type RouterConfig, RouterError } from '@switchback/router-core';
import type { Exchange } from '../http/front/exchange.ts';
import type { RequestRecord } from '../http/request-record.ts';
import type { NonceStore } from '../state/state-store.ts';
import type { Caller } from './caller.ts';

const unauthorized = (message: string): RouterError => new RouterError('invalid_api_key', message);

/**
 * A background run presenting its job's caller: signed by this door's job signer (timestamp
 * within a minute, nonce never seen), then served as the key that queued it, if that key is
 * still a valid one of its tenant in this config. A key revoked (or removed) since it queued the
 * run is refused here, so the run fails before any upstream call.
 */
export const authenticateJobCaller = async (
  options: { config: RouterConfig; jobs: JobSigner; nonces: NonceStore },
  ex: Exchange,
  record: RequestRecord,
): Promise<Caller> => {
  const { config, jobs, nonces } = options;
  const body = await ex.body(config.limits.maxBodyBytes, budgetFor(config, undefined).totalMs);
  const verdict = await jobs.verify({
    method: ex.method,
    path: ex.target,
    body,
    headers: ex.headers,
  });
  if (!verdict.ok) {
    throw unauthorized(`The background run's caller is not validly signed (${verdict.reason}).`);
  }
  if (!(await nonces.claim(verdict.nonce))) {
    throw unauthorized("The background run's caller was replayed (its nonce was seen before).");
  }
  const { tenantId, keyId, responseId } = verdict.caller;
  const tenant = config.tenants.find((t) => t.id === tenantId);
  const key = tenant?.keys.find((k) => k.id === keyId);
  if (tenant === undefined || key === undefined) {
    throw unauthorized(
      `The API key that queued background response ${responseId} is no longer configured; the run was not served.`,
    );
  }
  if (key.revoked) {
    throw unauthorized(
      `The API key that queued background response ${responseId} (key id ${keyId}) has been revoked; the run was not served.`,
    );
  }
  record.mode = 'front-door';
  record.tenant = tenant.id;
  record.keyId = keyId;
  return { mode: 'front-door', tenant, keyId };
};
