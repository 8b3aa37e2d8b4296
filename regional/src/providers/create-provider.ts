import {
  bedrockRegion,
  type ChatProvider,
  gatewayEndpoint,
  type ProviderConfig,
} from '@switchback/router-core';
import { bedrockProvider } from './bedrock/bedrock-provider.ts';
import { gatewaySigning } from './bedrock/gateway-signing.ts';
import { createUpstreamPool } from './http/pooled-fetch.ts';
import { openAiCompatibleProvider } from './openai-compatible-provider.ts';
import { openAiProvider } from './openai-provider.ts';
import { workersAiProvider, workersAiRoot } from './workers-ai-provider.ts';

export type Env = Record<string, string | undefined>;

/** A provider adapter that owns connections: `close()` ends them with the service. */
export type ManagedProvider = ChatProvider & { close(): void };

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a URL points at this machine (the simulated providers, a local vLLM). */
export const isLocalUrl = (url: string | undefined): boolean => {
  if (url === undefined) return false;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
};

// Local servers (the simulator, a vLLM on the box) take any key; a placeholder keeps them usable
// without credentials in the environment. Remote ones get exactly what the environment holds.
const apiKeyFor = (config: ProviderConfig, env: Env, baseUrl: string | undefined) => {
  const fromEnv = config.apiKeyEnv === undefined ? undefined : env[config.apiKeyEnv];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (isLocalUrl(baseUrl)) return 'sk-switchback-local';
  // vLLM and friends run without auth unless told otherwise.
  if (config.kind === 'openai-compatible' && config.apiKeyEnv === undefined) return 'EMPTY';
  return undefined;
};

const bedrockCredentials = (env: Env, endpoint: string | undefined) => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    return {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  // The simulator checks only that a SigV4 signature is there; real AWS uses the default chain.
  return isLocalUrl(endpoint) ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
};

/**
 * The adapter for one provider at one base URL (a provider with `backends` gets one per backend).
 * Throws at startup, not per request, when the config lacks what the kind needs.
 */
export const createProvider = (
  config: ProviderConfig,
  env: Env,
  ownBaseUrl: string | undefined = config.baseUrl,
): ManagedProvider => {
  // Behind an AI Gateway the provider is called at the gateway's URL for it, with its cache
  // headers; the credential stays the provider's own.
  const gateway = gatewayEndpoint(config, env);
  const baseUrl = gateway?.baseUrl ?? ownBaseUrl;
  const managed = (provider: ChatProvider, close: () => void): ManagedProvider => ({
    id: provider.id,
    kind: provider.kind,
    complete: (request, options) => provider.complete(request, options),
    stream: (request, options) => provider.stream(request, options),
    ...(provider.streamWire === undefined ? {} : { streamWire: provider.streamWire }),
    ...(provider.completeFromStream === undefined
      ? {}
      : { completeFromStream: provider.completeFromStream }),
    close,
  });
  if (config.kind === 'bedrock') {
    const credentials = bedrockCredentials(env, baseUrl);
    const region = bedrockRegion(config, env);
    return bedrockProvider({
      id: config.id,
      region,
      endpoint: baseUrl,
      ...(credentials === undefined ? {} : { credentials }),
      ...(gateway === undefined
        ? {}
        : { gateway: gatewaySigning(gateway.baseUrl, region, gateway.headers) }),
    });
  }
  const pool = createUpstreamPool();
  const setup = {
    id: config.id,
    apiKey: apiKeyFor(config, env, baseUrl),
    apiKeyEnv: config.apiKeyEnv,
    ...(gateway === undefined ? {} : { fixedHeaders: gateway.headers }),
    fetch: pool.fetch,
    post: pool.post,
  };
  switch (config.kind) {
    case 'openai':
      return managed(
        openAiProvider({
          ...setup,
          baseURL: baseUrl ?? 'https://api.openai.com/v1',
          responsesApi: config.responsesApi,
        }),
        pool.close,
      );
    case 'openai-compatible':
      if (baseUrl === undefined) {
        throw new Error(`provider "${config.id}" (openai-compatible) needs a baseUrl or backends`);
      }
      return managed(openAiCompatibleProvider({ ...setup, baseURL: baseUrl }), pool.close);
    case 'workers-ai': {
      const accountId = config.accountId ?? env.CLOUDFLARE_ACCOUNT_ID;
      if (baseUrl === undefined && accountId === undefined) {
        throw new Error(
          `provider "${config.id}" (workers-ai) needs a baseUrl or an accountId (or CLOUDFLARE_ACCOUNT_ID)`,
        );
      }
      return managed(
        workersAiProvider({ ...setup, baseURL: baseUrl ?? workersAiRoot(accountId ?? '') }),
        pool.close,
      );
    }
  }
};
