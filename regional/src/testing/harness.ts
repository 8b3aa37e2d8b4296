import { type SimOptions, type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { RouterConfig, RouterConfigInput } from '@switchback/router-core';
import OpenAI from 'openai';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { simControl } from './sim-control.ts';
import { TEST_KEY, testConfig } from './test-config.ts';

export type Harness = {
  sim: Simulator;
  server: RegionalServer;
  config: RouterConfig;
  control: ReturnType<typeof simControl>;
  /** The official SDK against regional, retries off so every request is one request. */
  client: OpenAI;
  close(): Promise<void>;
};

/** A simulator and a regional server in front of it, both on port 0. */
export const startHarness = async (
  options: { sim?: SimOptions; config?: Partial<RouterConfigInput>; hmacSecret?: string } = {},
): Promise<Harness> => {
  const sim = await startSimulator({ port: 0, ...options.sim });
  const config = testConfig(sim.url, options.config);
  const server = await startRegionalServer({
    config,
    port: 0,
    env: {},
    ...(options.hmacSecret === undefined ? {} : { hmacSecret: options.hmacSecret }),
  });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
  return {
    sim,
    server,
    config,
    control: simControl(sim.url),
    client,
    async close() {
      await server.close();
      await sim.close();
    },
  };
};

/** The text of a streamed answer and the raw chunks, read with the official SDK. */
export const collectStream = async (
  stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
): Promise<{ text: string; chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] }> => {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  let text = '';
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return { text, chunks };
};

/** Polls `check` every 10 ms until it holds or `timeoutMs` passes; returns whether it held. */
export const eventually = async (check: () => boolean | Promise<boolean>, timeoutMs: number) => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
