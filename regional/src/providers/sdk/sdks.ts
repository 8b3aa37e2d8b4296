import { lazyModule } from './lazy-module.ts';

/** The official openai SDK, for providers of kind `openai`. */
export const openAiSdk = lazyModule(() => import('openai'));

/** The AWS Bedrock runtime SDK, for providers of kind `bedrock`. */
export const bedrockSdk = lazyModule(() => import('@aws-sdk/client-bedrock-runtime'));
