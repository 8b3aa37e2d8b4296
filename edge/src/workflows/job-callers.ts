import {
  type BackgroundJob,
  type RouterConfig,
  RouterError,
  type TenantConfig,
} from '@switchback/router-core';

/**
 * The caller of each background run's chat request, by the request object itself: the run calls
 * the Worker's own pipeline in process, so its caller needs no credential on the wire (the job
 * keeps none) and a request from outside can never carry one.
 */
const callers = new WeakMap<Request, { tenantId: string; keyId: string }>();

/** Marks `request` as the run of `job`, served as the key that queued it. */
export const presentJobCaller = (request: Request, job: BackgroundJob): Request => {
  callers.set(request, { tenantId: job.tenantId, keyId: job.keyId });
  return request;
};

/**
 * The tenant and key a run's request is served as, while that key is valid (a key revoked or
 * removed since is refused as the client's would be); undefined for any other request.
 */
export const jobCallerOf = (
  config: RouterConfig,
  request: Request,
): { tenant: TenantConfig; keyId: string } | undefined => {
  const caller = callers.get(request);
  if (caller === undefined) return undefined;
  const tenant = config.tenants.find((t) => t.id === caller.tenantId);
  const key = tenant?.keys.find((k) => k.id === caller.keyId);
  if (tenant === undefined || key === undefined || key.revoked) {
    throw new RouterError(
      'invalid_api_key',
      'The API key that queued this response is no longer valid.',
    );
  }
  return { tenant, keyId: key.id };
};
