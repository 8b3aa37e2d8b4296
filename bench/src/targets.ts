import type { RequestSpec } from './loadgen-client.ts';

/**
 * The ways the same chat request reaches the simulated provider: directly (the baseline), through
 * a bare node:http proxy (the floor of any Node hop) and through the three routers.
 */
export const TARGET_NAMES = ['direct', 'floor', 'switchback', 'edge', 'portkey'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const TARGET_LABELS: Record<TargetName, string> = {
  direct: 'direct (simulator, baseline)',
  floor: 'floor (bare node:http proxy)',
  switchback: 'switchback serve',
  edge: 'edge Worker (workerd)',
  portkey: 'Portkey 1.15.2',
};

/** The API key of the bench tenant (bench.config.yaml stores its SHA-256 only). */
export const BENCH_KEY = 'sk-local-demo';
/** The model the bench config's edge tier serves, by its provider's own name. */
export const UPSTREAM_MODEL = '@cf/zai-org/glm-4.7-flash';
/** The simulator's Workers AI OpenAI-compatible root: what every target but the edge calls. */
export const WORKERS_AI_V1 = '/workers-ai/client/v4/accounts/local/ai/v1';
export const WORKERS_AI_ROOT = '/workers-ai/client/v4/accounts/local/ai';

const MESSAGES = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'Say hello in one short sentence.' },
];

const body = (model: string, stream: boolean): string =>
  JSON.stringify({ model, messages: MESSAGES, ...(stream ? { stream: true } : {}) });

/**
 * The request each target gets. The routers get `model: "auto"` (they pick glm-flash on the
 * edge tier); the baseline, the floor and Portkey, which do not route, get the model the routers
 * pick. The floor gets the baseline's request byte for byte, only sent to its own port, so the
 * proxy forwards it without reading it.
 */
export const requestFor = (
  name: TargetName,
  baseUrl: string,
  simUrl: string,
  stream: boolean,
): RequestSpec => {
  switch (name) {
    case 'direct':
      return {
        name,
        url: `${simUrl}${WORKERS_AI_V1}/chat/completions`,
        headers: { authorization: 'Bearer sk-bench' },
        body: body(UPSTREAM_MODEL, stream),
      };
    case 'floor':
      return {
        ...requestFor('direct', baseUrl, simUrl, stream),
        name,
        url: `${baseUrl}/v1/chat/completions`,
      };
    case 'portkey':
      return {
        name,
        url: `${baseUrl}/v1/chat/completions`,
        headers: {
          authorization: 'Bearer sk-bench',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${simUrl}${WORKERS_AI_V1}`,
        },
        body: body(UPSTREAM_MODEL, stream),
      };
    case 'switchback':
    case 'edge':
      return {
        name,
        url: `${baseUrl}/v1/chat/completions`,
        headers: { authorization: `Bearer ${BENCH_KEY}` },
        body: body('auto', stream),
      };
  }
};

/** What each target calls upstream, for the report. */
export const UPSTREAM_OF: Record<TargetName, string> = {
  direct: `POST ${WORKERS_AI_V1}/chat/completions`,
  floor: `POST ${WORKERS_AI_V1}/chat/completions (the request piped through as is)`,
  switchback: `POST ${WORKERS_AI_V1}/chat/completions (workers-ai provider, direct wire over a keep-alive pool)`,
  edge: `POST ${WORKERS_AI_ROOT}/run/${UPSTREAM_MODEL} (the AI binding stand-in)`,
  portkey: `POST ${WORKERS_AI_V1}/chat/completions (provider openai, custom host)`,
};
