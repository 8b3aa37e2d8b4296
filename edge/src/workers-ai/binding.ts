/** The part of the `AI` binding the router uses: `run`, streaming or not. */
export type AiRunOptions = {
  /** Sent with the inference request: `x-session-affinity` routes a session to one instance. */
  extraHeaders?: Record<string, string>;
  signal?: AbortSignal;
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
    const response = await fetcher(`${baseUrl.replace(/\/+$/, '')}/run/${model}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiToken}`,
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
