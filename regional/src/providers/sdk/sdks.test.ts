import type { RouterConfig } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { bedrockSdk, openAiSdk, preloadSdks } from './sdks.ts';

const providers = (...kinds: RouterConfig['providers'][number]['kind'][]) => ({
  config: { providers: kinds.map((kind, i) => ({ id: `p${i}`, kind })) } as Pick<
    RouterConfig,
    'providers'
  >,
});

describe('preloadSdks', () => {
  it('imports no SDK for OpenAI-shaped providers: they serve over the wire', async () => {
    await preloadSdks(providers('workers-ai', 'openai-compatible', 'openai'));
    expect(openAiSdk.loaded()).toBeUndefined();
    expect(bedrockSdk.loaded()).toBeUndefined();
  });

  it("imports a canary candidate's SDKs too", async () => {
    expect(bedrockSdk.loaded()).toBeUndefined();
    await preloadSdks({ ...providers('workers-ai'), candidate: providers('bedrock') });
    expect(typeof bedrockSdk.loaded()?.BedrockRuntimeClient).toBe('function');
  });
});
