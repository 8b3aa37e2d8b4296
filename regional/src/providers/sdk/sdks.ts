import type { RouterConfig } from '@switchback/router-core';
import { lazyModule } from './lazy-module.ts';

/** The official openai SDK, for providers of kind `openai`. */
export const openAiSdk = lazyModule(() => import('openai'));

/** The AWS Bedrock runtime SDK, for providers of kind `bedrock`. */
export const bedrockSdk = lazyModule(() => import('@aws-sdk/client-bedrock-runtime'));

/**
 * Imports the SDKs the configs' providers serve with (the stable config and, during a canary, the
 * candidate), before they take traffic: an import costs hundreds of milliseconds on a small
 * machine, and on a first request it would eat the TTFT budget and fail over (and count against
 * the breaker) for nothing. Only Bedrock's is on a serving path: an `openai` provider with a key
 * streams and answers over its connection pool (the same wire, no SDK), so its SDK, ≈ 5 MB of
 * an idle service's memory, is imported only if an SDK call is ever made. Kinds no config uses
 * are never imported.
 */
export const preloadSdks = async (live: {
  config: Pick<RouterConfig, 'providers'>;
  candidate?: { config: Pick<RouterConfig, 'providers'> } | undefined;
}): Promise<void> => {
  const configs =
    live.candidate === undefined ? [live.config] : [live.config, live.candidate.config];
  const kinds = new Set(configs.flatMap((config) => config.providers.map((p) => p.kind)));
  if (kinds.has('bedrock')) await bedrockSdk.load();
};
