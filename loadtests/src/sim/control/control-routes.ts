import { readJson } from '../http/read-json.ts';
import { sendJson } from '../http/send-json.ts';
import type { SimRequest, SimResponse } from '../http/sim-http.ts';
import type { SimState } from '../sim-state.ts';
import { parseFaultSpec } from '../state/fault-spec.ts';
import { isTarget, TARGETS } from '../targets.ts';

const fail = (res: SimResponse, status: number, message: string): void =>
  sendJson(res, status, { error: { message } });

const parseLimit = (query: string): number | undefined | null => {
  const raw = new URLSearchParams(query).get('limit');
  if (raw === null) return undefined;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 0 ? limit : null;
};

/** Resets everything a test may have changed: faults, stats, the request log and the caches. */
export const resetState = (state: SimState): void => {
  state.faults.clear();
  state.stats.clear();
  state.log.clear();
  state.cache.clear();
  state.gatewayCache.clear();
};

/** `/_sim/*`: faults, stats, the request log and reset. */
export const handleControl = async (
  state: SimState,
  req: SimRequest,
  res: SimResponse,
  path: string,
  query: string,
): Promise<void> => {
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'POST /_sim/faults': {
      const body = await readJson(req);
      if (!body.ok) return fail(res, 400, body.error);
      const parsed = parseFaultSpec(body.value);
      if (!parsed.ok) return fail(res, 400, parsed.error);
      return sendJson(res, 201, { id: state.faults.add(parsed.spec).id });
    }
    case 'GET /_sim/faults':
      return sendJson(res, 200, { faults: state.faults.list() });
    case 'DELETE /_sim/faults':
      state.faults.clear();
      return sendJson(res, 200, { ok: true });
    case 'GET /_sim/stats':
      return sendJson(res, 200, state.stats.snapshot());
    case 'GET /_sim/requests': {
      const limit = parseLimit(query);
      if (limit === null) return fail(res, 400, 'limit must be a non-negative integer');
      const target = new URLSearchParams(query).get('target') ?? undefined;
      if (target !== undefined && !isTarget(target)) {
        return fail(res, 400, `target must be one of ${TARGETS.join(', ')}`);
      }
      return sendJson(res, 200, { requests: state.log.recent(limit, target) });
    }
    case 'DELETE /_sim/requests':
      state.log.clear();
      return sendJson(res, 200, { ok: true });
    case 'POST /_sim/reset':
      resetState(state);
      return sendJson(res, 200, { ok: true });
  }
  if (req.method === 'DELETE' && path.startsWith('/_sim/faults/')) {
    const id = decodeURIComponent(path.slice('/_sim/faults/'.length));
    return state.faults.remove(id)
      ? sendJson(res, 200, { ok: true })
      : fail(res, 404, `no fault with id "${id}"`);
  }
  return fail(res, 404, `unknown control route ${route}`);
};
