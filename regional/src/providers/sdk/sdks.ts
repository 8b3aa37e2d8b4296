import type { RouterConfig } from '@switchback/router-core';
import { lazyModule } from './lazy-module.ts';

/** The official openai SDK, for providers of kind `openai`. */
export const openAiSdk = lazyModule(() => import('openai'));

/** The AWS Bedrock runtime SDK, for providers of kind `bedrock`. */
export const bedrockSdk = lazyModule(() => import('@aws-sdk/client-bedrock-runtime'));

/**
 * Imports the SDKs the config's providers need, before the service takes traffic: an import
 * costs hundreds of milliseconds on a small machine, and on a first request it would eat the
 * TTFT budget and fail over (and count against the breaker) for nothing. Kinds the config does
 * not use are never imported.
 */
export const preloadSdks = async (config: Pick<RouterConfig, 'providers'>): Promise<void> => {
  const kinds = new Set(config.providers.map((provider) => provider.kind));
  await Promise.all([
    kinds.has('openai') ? openAiSdk.load() : undefined,
    kinds.has('bedrock') ? bedrockSdk.load() : undefined,
  ]);
};
