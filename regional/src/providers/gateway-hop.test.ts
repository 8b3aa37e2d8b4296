import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

type Logged = { target: string; path: string; headers: Record<string, string> };

let sim: Simulator;
let server: RegionalServer;
let client: OpenAI;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  const gatewayRoot = `${sim.url}/gateway/v1`;
  const config = testConfig(sim.url, {
    providers: [
      {
        id: 'workers-ai',
        kind: 'workers-ai',
        baseUrl: `${sim.url}/workers-ai/client/v4/accounts/local/ai`,
        gateway: { id: 'gw-edge', accountId: 'local', skipCache: true, baseUrl: gatewayRoot },
      },
      {
        id: 'openai',
        kind: 'openai',
        baseUrl: `${sim.url}/openai/v1`,
        apiKeyEnv: 'OPENAI_API_KEY',
        gateway: { id: 'gw-main', accountId: 'local', cacheTtl: 60, baseUrl: gatewayRoot },
      },
      { id: 'vllm', kind: 'openai-compatible', baseUrl: `${sim.url}/compat/v1` },
      { id: 'bedrock', kind: 'bedrock', baseUrl: `${sim.url}/bedrock`, region: 'us-east-1' },
    ],
  });
  server = await startRegionalServer({ config, port: 0, env: {} });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

const lastRequest = async (target: string): Promise<Logged | undefined> =>
  (
    (await (await fetch(`${sim.url}/_sim/requests?target=${target}&limit=1`)).json()) as {
      requests: Logged[];
    }
  ).requests[0];

describe('AI Gateway as a hop, one switch per provider', () => {
  it('calls OpenAI at the gateway’s provider URL with its cache TTL', async () => {
    const reply = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'hello through the gateway' }],
    });
    expect(reply.choices[0]?.message.role).toBe('assistant');
    const sent = await lastRequest('openai');
    expect(sent?.headers).toMatchObject({ 'x-sim-gateway': 'gw-main', 'cf-aig-cache-ttl': '60' });
    expect(sent?.headers['cf-aig-skip-cache']).toBeUndefined();
  });

  it('calls Workers AI REST through its gateway, skipping the cache, streaming too', async () => {
    const stream = await client.chat.completions.create({
      model: 'fast',
      stream: true,
      messages: [{ role: 'user', content: 'hi via the gateway' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    const sent = await lastRequest('workers-ai');
    expect(sent?.headers).toMatchObject({
      'x-sim-gateway': 'gw-edge',
      'cf-aig-skip-cache': 'true',
    });
  });

  it('leaves a provider without a gateway on its own URL', async () => {
    await client.chat.completions.create({
      model: 'qwen',
      messages: [{ role: 'user', content: 'direct' }],
    });
    const sent = await lastRequest('compat');
    expect(sent?.headers['x-sim-gateway']).toBeUndefined();
  });
});
