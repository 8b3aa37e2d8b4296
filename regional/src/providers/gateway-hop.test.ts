import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { eventually } from '../testing/harness.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

type Logged = { target: string; path: string; headers: Record<string, string> };

let sim: Simulator;
let server: RegionalServer;
let client: OpenAI;
let dir: string;
let auditFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchback-gateway-audit-'));
  auditFile = join(dir, 'audit.jsonl');
  sim = await startSimulator({ port: 0 });
  const gatewayRoot = `${sim.url}/gateway/v1`;
  const config = testConfig(sim.url, {
    // What these tests check is the hop, not speed: a loaded machine must not fail over first.
    budgets: { default: { ttftMs: 10_000, totalMs: 20_000, policyMs: 1_000 } },
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
      {
        id: 'bedrock',
        kind: 'bedrock',
        baseUrl: `${sim.url}/bedrock`,
        region: 'us-east-1',
        gateway: { id: 'gw-bedrock', accountId: 'local', cacheTtl: 30, baseUrl: gatewayRoot },
      },
    ],
  });
  server = await startRegionalServer({
    config,
    port: 0,
    env: { SWITCHBACK_AUDIT_SECRET: 'gateway-audit-secret', SWITCHBACK_AUDIT_FILE: auditFile },
  });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

type AuditLine = { event: { request_id: string; gateway?: { id: string; cache: string } } };
const auditGateway = async (requestId: string) => {
  const text = await readFile(auditFile, 'utf8').catch(() => '');
  const line = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditLine)
    .find((l) => l.event.request_id === requestId);
  return line?.event.gateway;
};

/** How many requests whose body holds `text` reached the provider behind the gateway. */
const reached = async (target: string, text: string): Promise<number> =>
  (
    (await (await fetch(`${sim.url}/_sim/requests?target=${target}`)).json()) as {
      requests: { body: unknown }[];
    }
  ).requests.filter((r) => JSON.stringify(r.body).includes(text)).length;

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

  it('answers a repeated identical request from the gateway’s cache within its TTL: MISS, then HIT, in the header and the audit event', async () => {
    const text = `cache me ${crypto.randomUUID()}`;
    const ask = (requestId: string) =>
      client.chat.completions
        .create(
          { model: 'smart', messages: [{ role: 'user', content: text }] },
          { headers: { 'x-request-id': requestId } },
        )
        .withResponse();
    const first = await ask(`gw-miss-${text.slice(9, 17)}`);
    const second = await ask(`gw-hit-${text.slice(9, 17)}`);
    expect(first.response.headers.get('x-router-gateway')).toBe('gw-main; cache=MISS');
    expect(second.response.headers.get('x-router-gateway')).toBe('gw-main; cache=HIT');
    expect(second.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
    // The hit never reached OpenAI.
    expect(await reached('openai', text)).toBe(1);
    const missId = `gw-miss-${text.slice(9, 17)}`;
    const hitId = `gw-hit-${text.slice(9, 17)}`;
    await eventually(async () => (await auditGateway(hitId)) !== undefined, 10_000);
    expect(await auditGateway(missId)).toEqual({ id: 'gw-main', cache: 'MISS' });
    expect(await auditGateway(hitId)).toEqual({ id: 'gw-main', cache: 'HIT' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^router_gateway_cache_total\{provider="openai",gateway="gw-main",status="HIT"\} [1-9]\d*$/m,
    );
  });

  it('a streamed repeat is a HIT too; another prompt is a MISS', async () => {
    const text = `stream me ${crypto.randomUUID()}`;
    const streamed = async (content: string) => {
      const { data, response } = await client.chat.completions
        .create({ model: 'smart', stream: true, messages: [{ role: 'user', content }] })
        .withResponse();
      let answer = '';
      for await (const chunk of data) answer += chunk.choices[0]?.delta.content ?? '';
      return { answer, gateway: response.headers.get('x-router-gateway') };
    };
    const first = await streamed(text);
    const again = await streamed(text);
    const other = await streamed(`${text} and more`);
    expect([first.gateway, again.gateway, other.gateway]).toEqual([
      'gw-main; cache=MISS',
      'gw-main; cache=HIT',
      'gw-main; cache=MISS',
    ]);
    expect(again.answer).toBe(first.answer);
    expect(await reached('openai', text)).toBe(2);
  });

  it('a provider that skips the cache is told BYPASS every time, and no header without a gateway', async () => {
    const text = `skip ${crypto.randomUUID()}`;
    const gatewayOf = async (model: string) =>
      (
        await client.chat.completions
          .create({ model, messages: [{ role: 'user', content: text }] })
          .withResponse()
      ).response.headers.get('x-router-gateway');
    expect(await gatewayOf('fast')).toBe('gw-edge; cache=BYPASS');
    expect(await gatewayOf('fast')).toBe('gw-edge; cache=BYPASS');
    expect(await reached('workers-ai', text)).toBe(2);
    expect(await gatewayOf('qwen')).toBeNull();
  });

  it('signs Bedrock for its own host and sends it to the gateway, which AWS behind it would accept', async () => {
    for (const stream of [false, true]) {
      const text = `bedrock via the gateway ${stream} ${crypto.randomUUID()}`;
      const { data, response } = await client.chat.completions
        .create({ model: 'claude', stream, messages: [{ role: 'user', content: text }] })
        .withResponse();
      if (stream) for await (const _ of data as AsyncIterable<unknown>) void _;
      expect(response.status).toBe(200);
      expect(response.headers.get('x-router-provider')).toBe('bedrock');
      expect(response.headers.get('x-router-gateway')).toBe('gw-bedrock; cache=MISS');
      const sent = (await lastRequest('bedrock')) as Logged & { body?: unknown };
      expect(JSON.stringify(sent.body)).toContain(text);
      // The simulator's gateway checked the SigV4 for bedrock-runtime.us-east-1.amazonaws.com
      // and the path after the gateway's prefix, as AWS will (a mismatch is a 403).
      expect(sent.headers).toMatchObject({ 'x-sim-gateway': 'gw-bedrock', 'x-sim-sigv4': 'valid' });
      expect(sent.path).toMatch(/^\/bedrock\/model\/[^/]+\/converse(-stream)?$/);
    }
  });
});
