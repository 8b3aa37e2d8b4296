import type { ProviderConfig } from '../config/schema.ts';

/** Cloudflare's AI Gateway API root. */
export const AI_GATEWAY_ROOT = 'https://gateway.ai.cloudflare.com/v1';

type GatewayEnv = { CLOUDFLARE_ACCOUNT_ID?: string | undefined; AWS_REGION?: string | undefined };

/** A Bedrock provider's region: its config's, else `AWS_REGION`, else us-east-1 (as its client's). */
export const bedrockRegion = (provider: ProviderConfig, env: GatewayEnv): string =>
  provider.region ?? env.AWS_REGION ?? 'us-east-1';

// The gateway's name for each provider kind (an OpenAI-compatible server is a custom provider).
const GATEWAY_PROVIDER = {
  openai: () => 'openai',
  'openai-compatible': (provider: ProviderConfig) => `custom-${provider.id}`,
  'workers-ai': () => 'workers-ai',
  bedrock: (provider: ProviderConfig, env: GatewayEnv) =>
    `aws-bedrock/bedrock-runtime/${bedrockRegion(provider, env)}`,
} satisfies Record<ProviderConfig['kind'], (provider: ProviderConfig, env: GatewayEnv) => string>;

/** Where a provider behind a gateway is called, and the gateway's cache headers. */
export type GatewayEndpoint = {
  /** The provider's API root through the gateway (OpenAI's `/v1` root, Workers AI's `/ai` root). */
  baseUrl: string;
  headers: Record<string, string>;
};

/** The cache headers a gateway hop sends: `cf-aig-cache-ttl`, `cf-aig-skip-cache`. */
export const gatewayHeaders = (
  gateway: NonNullable<ProviderConfig['gateway']>,
): Record<string, string> => ({
  ...(gateway.cacheTtl === undefined ? {} : { 'cf-aig-cache-ttl': String(gateway.cacheTtl) }),
  ...(gateway.skipCache === undefined ? {} : { 'cf-aig-skip-cache': String(gateway.skipCache) }),
});

/**
 * A provider's endpoint through its AI Gateway (`…/v1/{account}/{gateway}/{provider}`), or
 * undefined without one. Throws when no account is known (at startup, not per request).
 */
export const gatewayEndpoint = (
  provider: ProviderConfig,
  env: GatewayEnv,
): GatewayEndpoint | undefined => {
  const { gateway } = provider;
  if (gateway === undefined) return undefined;
  const account = gateway.accountId ?? provider.accountId ?? env.CLOUDFLARE_ACCOUNT_ID;
  if (account === undefined || account === '') {
    throw new Error(
      `provider "${provider.id}" routes through AI Gateway "${gateway.id}" but names no account: set gateway.accountId, accountId or CLOUDFLARE_ACCOUNT_ID`,
    );
  }
  const root = (gateway.baseUrl ?? AI_GATEWAY_ROOT).replace(/\/+$/, '');
  const path = `${encodeURIComponent(account)}/${encodeURIComponent(gateway.id)}/${GATEWAY_PROVIDER[provider.kind](provider, env)}`;
  return { baseUrl: `${root}/${path}`, headers: gatewayHeaders(gateway) };
};
