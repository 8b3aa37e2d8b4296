import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { parseConfig, type RouterConfig, type RouterConfigInput } from '@switchback/router-core';
import { inject } from 'vitest';
import { type AppOptions, createApp } from '../src/app.ts';
import generated from '../src/config/router-config.generated.json' with { type: 'json' };

export const DEMO_KEY = 'sk-local-demo';
export const ACME_KEY = 'sk-local-acme';
export const REVOKED_KEY = 'sk-local-revoked';

export const SHORT = [{ role: 'user', content: 'Say hello in one short sentence.' }];
const LONG_CONTEXT = Array.from(
  { length: 400 },
  (_, i) =>
    `Section ${i}: the quarterly ledger reconciles invoices, refunds and chargebacks across regions.`,
).join('\n');
/** Escalates under `auto`: long, and asks for step-by-step reasoning. Low risk. */
export const LONG = [
  { role: 'system', content: 'You are a careful financial analyst.' },
  {
    role: 'user',
    content: `${LONG_CONTEXT}\n\nStep by step, reconcile the sections above, prove the totals balance, and explain each discrepancy.`,
  },
];

/** The example config (the Worker's own), changed by `edit` on a structured copy. */
export const configWith = (edit: (input: RouterConfigInput) => void = () => {}): RouterConfig => {
  const input: RouterConfigInput = structuredClone(generated) as RouterConfigInput;
  edit(input);
  const result = parseConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
};

/**
 * The example config with a regional threshold low enough that `LONG` escalates under `auto`
 * (and `SHORT` does not), whatever the classifier's fine tuning.
 */
export const ESCALATING = configWith((c) => {
  // LONG scores 1 and the short asks of these tests under 0.3: a margin either side.
  c.classification = { ...c.classification, regionalThreshold: 0.6 };
});

export const sha256Hex = async (text: string): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
};

export type Call = {
  key?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  method?: string;
  path?: string;
};

export const requestOf = ({
  key = DEMO_KEY,
  headers = {},
  body,
  method,
  path = '/v1/chat/completions',
}: Call) =>
  new Request(`http://edge${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

/** A request to the Worker as deployed (its default export, the example config). */
export const callWorker = (call: Call): Promise<Response> => exports.default.fetch(requestOf(call));

/** An app of its own (own config, own regional breaker) on the test bindings, `env` overridable. */
export const appWith = (
  config: RouterConfig,
  overrides: Partial<Env> = {},
  options: Omit<AppOptions, 'config'> = {},
) => {
  const app = createApp({ config, ...options });
  return async (call: Call): Promise<Response> => {
    const ctx = createExecutionContext();
    const res = await app.fetch(requestOf(call), { ...env, ...overrides }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
};

export type SimLogged = {
  target: string;
  model: string;
  stream: boolean;
  headers: Record<string, string>;
  body: unknown;
};

/** The simulated providers' latest requests, oldest first. */
export const simRequests = async (limit = 50): Promise<SimLogged[]> => {
  const res = await fetch(`${inject('simUrl')}/_sim/requests?limit=${limit}`);
  const { requests } = (await res.json()) as { requests: SimLogged[] };
  return requests;
};

/** The `data:` payloads of an SSE body, `[DONE]` kept as a string. */
export const sseEvents = async (res: Response): Promise<unknown[]> =>
  (await res.text())
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));

// Letters only: digit runs read as maths to the classifier and would change the route.
export const uniqueText = (label: string) =>
  `${label} ref ${crypto
    .randomUUID()
    .replace(/[^0-9a-f]/g, '')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)] ?? 'g')}`;
