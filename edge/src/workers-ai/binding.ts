/** The part of the `AI` binding the router uses: `run`, streaming or not. */
export type AiRunOptions = {
  /** Sent with the inference request: `x-session-affinity` routes a session to one instance. */
  extraHeaders?: Record<string, string>;
  /** Through this AI Gateway (its cache and logs), as the binding's `gateway` option. */
  gateway?: AiGatewayOption;
  signal?: AbortSignal;
};

/** The binding's `gateway` option. */
export type AiGatewayOption = { id: string; skipCache?: boolean; cacheTtl?: number };

/** The binding's `gateway` option of a provider that routes through an AI Gateway. */
export const gatewayOption = (
  gateway:
    | { id: string; skipCache?: boolean | undefined; cacheTtl?: number | undefined }
    | undefined,
): AiGatewayOption | undefined =>
  gateway === undefined
    ? undefined
    : {
        id: gateway.id,
        ...(gateway.skipCache === undefined ? {} : { skipCache: gateway.skipCache }),
        ...(gateway.cacheTtl === undefined ? {} : { cacheTtl: gateway.cacheTtl }),
      };

/**
 * Where the stand-in sends a call: Workers AI REST, or the same account's gateway-shaped path on
 * the same host (`/gateway/v1/<account>/<gateway>/workers-ai`), with the gateway's cache headers.
 */
const standInRoute = (
  baseUrl: string,
  gateway: AiGatewayOption | undefined,
): { root: string; headers: Record<string, string> } => {
  const root = baseUrl.replace(/\/+$/, '');
  if (gateway === undefined) return { root, headers: {} };
  const url = new URL(root);
  const account = /\/accounts\/([^/]+)\//.exec(url.pathname)?.[1] ?? 'local';
  return {
    root: `${url.origin}/gateway/v1/${account}/${encodeURIComponent(gateway.id)}/workers-ai`,
    headers: {
      ...(gateway.cacheTtl === undefined ? {} : { 'cf-aig-cache-ttl': String(gateway.cacheTtl) }),
      ...(gateway.skipCache === undefined
        ? {}
        : { 'cf-aig-skip-cache': String(gateway.skipCache) }),
    },
  };
};

export interface AiBinding {
  /** A `ReadableStream` of SSE when `inputs.stream` is true, else the model's JSON output. */
  run(model: string, inputs: Record<string, unknown>, options?: AiRunOptions): Promise<unknown>;
}

/** What the binding (and so the stand-in) throws when inference fails; `status` when known. */
export class AiRunError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'AiRunError';
    this.status = status;
  }
}

/**
 * A stand-in for the `AI` binding where there is none (the local stack, tests): the same `run`
 * surface over Workers AI's REST route `…/ai/run/<model>` (here, the simulated provider). It
 * forwards `extraHeaders` (so `x-session-affinity` arrives), passes the SSE stream through and
 * unwraps REST's `{result}` envelope, so callers see exactly what the binding would give them.
 */
export const createAiStandIn = ({
  baseUrl,
  apiToken = 'stand-in',
  fetcher = fetch,
}: {
  baseUrl: string;
  /** REST wants a Cloudflare API token; the simulated provider takes any. */
  apiToken?: string;
  fetcher?: typeof fetch;
}): AiBinding => ({
  async run(model, inputs, options = {}) {
    const route = standInRoute(baseUrl, options.gateway);
    const response = await fetcher(`${route.root}/run/${model}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiToken}`,
        ...route.headers,
        ...options.extraHeaders,
      },
      body: JSON.stringify(inputs),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 500);
      throw new AiRunError(`${response.status}: ${detail}`, response.status);
    }
    if (inputs.stream === true) {
      if (response.body === null) throw new AiRunError('the stream had no body', 502);
      return response.body;
    }
    const json: unknown = await response.json();
    return typeof json === 'object' && json !== null && 'result' in json ? json.result : json;
  },
});
