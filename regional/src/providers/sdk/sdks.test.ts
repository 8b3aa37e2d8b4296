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
  it('imports the SDK of each kind the config uses, and no other', async () => {
    expect(openAiSdk.loaded()).toBeUndefined();
    await preloadSdks(providers('workers-ai', 'openai-compatible'));
    expect(openAiSdk.loaded()).toBeUndefined();
    expect(bedrockSdk.loaded()).toBeUndefined();
    await preloadSdks(providers('workers-ai', 'openai'));
    expect(typeof openAiSdk.loaded()?.default).toBe('function');
    expect(bedrockSdk.loaded()).toBeUndefined();
  });

  it("imports a canary candidate's SDKs too", async () => {
    expect(bedrockSdk.loaded()).toBeUndefined();
    await preloadSdks({ ...providers('workers-ai'), candidate: providers('bedrock') });
    expect(typeof bedrockSdk.loaded()?.BedrockRuntimeClient).toBe('function');
  });
});
