import { bedrockAdapter } from './bedrock/bedrock-adapter.ts';
import { bedrockErrors } from './bedrock/bedrock-errors.ts';
import { handleChat } from './chat/handle-chat.ts';
import { handleControl } from './control/control-routes.ts';
import {
  checkedBedrockCall,
  GATEWAY_PREFIX,
  gatewayTarget,
  throughGateway,
} from './gateway/gateway-route.ts';
import { sendJson } from './http/send-json.ts';
import type { SimRequest, SimResponse } from './http/sim-http.ts';
import { sendModelList } from './openai/model-list.ts';
import {
  COMPAT_MODELS,
  compatAdapter,
  OPENAI_MODELS,
  openAiAdapter,
  openAiResponsesAdapter,
} from './openai/openai-adapters.ts';
import { openAiErrors } from './openai/openai-errors.ts';
import type { SimState } from './sim-state.ts';
import { cfErrors } from './workers-ai/cf-errors.ts';
import { workersAiOpenAiAdapter, workersAiRunAdapter } from './workers-ai/workers-ai-adapters.ts';
import { WORKERS_AI_MODELS } from './workers-ai/workers-ai-models.ts';

const WORKERS_AI_PREFIX = '/workers-ai/client/v4/accounts/';
const BEDROCK_PREFIX = '/bedrock/model/';

const notFound = (res: SimResponse, req: SimRequest, path: string): void =>
  openAiErrors.send(res, 404, `Unknown route: ${req.method} ${path}`);

/** `…/accounts/:account/ai/<rest>`: the account id is accepted as is. */
const routeWorkersAi = (
  state: SimState,
  req: SimRequest,
  res: SimResponse,
  path: string,
): Promise<void> | void => {
  const rest = path.slice(WORKERS_AI_PREFIX.length);
  const marker = rest.indexOf('/ai/');
  const tail = marker > 0 ? rest.slice(marker + 4) : '';
  if (req.method === 'POST' && tail.startsWith('run/') && tail.length > 4) {
    // Model ids keep their slashes and `@` raw; decode in case a client escaped them anyway.
    const model = decodeURIComponent(tail.slice(4));
    return handleChat(state, workersAiRunAdapter(model), req, res, path);
  }
  if (req.method === 'POST' && tail === 'v1/chat/completions') {
    return handleChat(state, workersAiOpenAiAdapter, req, res, path);
  }
  if (req.method === 'GET' && tail === 'v1/models') {
    return sendModelList(res, WORKERS_AI_MODELS, 'cloudflare');
  }
  cfErrors.send(res, 404, `No route for that URI: ${req.method} ${path}`);
};

/** `/bedrock/model/{modelId}/converse[-stream]`, the model id URL-encoded by the SDK. */
const routeBedrock = (
  state: SimState,
  req: SimRequest,
  res: SimResponse,
  path: string,
): Promise<void> | void => {
  const rest = path.slice(BEDROCK_PREFIX.length);
  const slash = rest.lastIndexOf('/');
  const operation = rest.slice(slash + 1);
  if (
    req.method === 'POST' &&
    slash > 0 &&
    (operation === 'converse' || operation === 'converse-stream')
  ) {
    const modelId = decodeURIComponent(rest.slice(0, slash));
    return handleChat(
      state,
      bedrockAdapter(modelId, operation === 'converse-stream'),
      req,
      res,
      path,
    );
  }
  bedrockErrors.send(res, 404, `Unknown operation: ${req.method} ${path}`);
};

/** Dispatches one request to its provider route or the control API. */
export const route = (state: SimState, req: SimRequest, res: SimResponse): Promise<void> | void => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const post = req.method === 'POST';
  const get = req.method === 'GET';

  if (post && path === '/openai/v1/chat/completions') {
    return handleChat(state, openAiAdapter, req, res, path);
  }
  if (post && path === '/openai/v1/responses') {
    return handleChat(state, openAiResponsesAdapter, req, res, path);
  }
  if (post && path === '/compat/v1/chat/completions') {
    return handleChat(state, compatAdapter, req, res, path);
  }
  if (path.startsWith(WORKERS_AI_PREFIX)) return routeWorkersAi(state, req, res, path);
  if (path.startsWith(BEDROCK_PREFIX)) return routeBedrock(state, req, res, path);
  if (get && path === '/openai/v1/models') return sendModelList(res, OPENAI_MODELS, 'openai');
  if (get && path === '/compat/v1/models') return sendModelList(res, COMPAT_MODELS, 'vllm');
  if (path.startsWith('/_sim/')) return handleControl(state, req, res, path, query);
  if (path.startsWith(GATEWAY_PREFIX)) {
    const hop = gatewayTarget(path);
    if (hop === undefined) return notFound(res, req, path);
    const url = `${hop.path}${query === '' ? '' : `?${query}`}`;
    const through = (checked: SimRequest) =>
      throughGateway(state.gatewayCache, checked, res, { ...hop, path, url }, (r, w) =>
        route(state, r, w),
      );
    if (hop.aws === undefined) return through(req);
    return checkedBedrockCall(req, res, hop.aws).then((checked) =>
      checked === undefined ? undefined : through(checked),
    );
  }
  if (get && path === '/healthz') return sendJson(res, 200, { ok: true });
  return notFound(res, req, path);
};
