import { replyText } from '@switchback/loadtests/sim';
import { BadRequestError, PermissionDeniedError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, type Harness, startHarness } from '../../testing/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('POST /v1/chat/completions at the front door', () => {
  it('answers with the router headers: request id, tier, provider, model, reasons, server-timing', async () => {
    const { data, response } = await h.client.chat.completions
      .create(
        { model: 'smart', messages: [{ role: 'user', content: 'hello' }] },
        { headers: { 'x-request-id': 'client-id-42' } },
      )
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(replyText('openai', 'gpt-4.1', 'hello', 16));
    expect(response.headers.get('x-request-id')).toBe('client-id-42');
    expect(response.headers.get('x-router-tier')).toBe('regional');
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(response.headers.get('x-router-model')).toBe('gpt');
    expect(response.headers.get('x-router-reasons')).toBe('explicit_tier');
    expect(response.headers.get('server-timing')).toMatch(
      /^policy;dur=[\d.]+, classify;dur=[\d.]+, ttft;dur=[\d.]+, total;dur=[\d.]+$/,
    );
  });

  it('serves the edge tier through Workers AI REST, with a tenant-namespaced x-session-affinity', async () => {
    const { data, response } = await h.client.chat.completions
      .create(
        { model: 'fast', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-session-affinity': 'user-7' } },
      )
      .withResponse();
    expect(response.headers.get('x-router-tier')).toBe('edge');
    expect(response.headers.get('x-router-provider')).toBe('workers-ai');
    expect(data.choices[0]?.message.content).toBe(
      replyText('workers-ai', '@cf/zai-org/glm-4.7-flash', 'hi', 16),
    );
    const { requests } = (await (await fetch(`${h.sim.url}/_sim/requests?limit=1`)).json()) as {
      requests: { path: string; headers: Record<string, string> }[];
    };
    expect(requests[0]?.path).toBe('/workers-ai/client/v4/accounts/local/ai/v1/chat/completions');
    // The client's session id never leaves the router: an HMAC of tenant and session goes out.
    expect(requests[0]?.headers['x-session-affinity']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes x-session-id as the session when there is no x-session-affinity: the same key goes upstream', async () => {
    const sentFor = async (headers: Record<string, string>) => {
      await h.client.chat.completions.create(
        { model: 'fast', messages: [{ role: 'user', content: 'hi' }] },
        { headers },
      );
      const { requests } = (await (await fetch(`${h.sim.url}/_sim/requests?limit=1`)).json()) as {
        requests: { headers: Record<string, string> }[];
      };
      return requests[0]?.headers['x-session-affinity'];
    };
    const byAffinity = await sentFor({ 'x-session-affinity': 'sess-id-1' });
    expect(byAffinity).toMatch(/^[0-9a-f]{64}$/);
    expect(await sentFor({ 'x-session-id': 'sess-id-1' })).toBe(byAffinity);
    // x-session-affinity wins when both are sent.
    expect(await sentFor({ 'x-session-affinity': 'sess-id-1', 'x-session-id': 'other' })).toBe(
      byAffinity,
    );
  });

  it('streams without usage unless asked, and with it when stream_options.include_usage is set', async () => {
    const plain = await collectStream(
      await h.client.chat.completions.create({
        model: 'smart',
        stream: true,
        messages: [{ role: 'user', content: 'a' }],
      }),
    );
    expect(plain.chunks.some((c) => c.usage)).toBe(false);
    expect(plain.chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const counted = await collectStream(
      await h.client.chat.completions.create({
        model: 'smart',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'a' }],
      }),
    );
    expect(counted.chunks.at(-1)?.choices).toEqual([]);
    expect(counted.chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 16 });
  });

  it('an unknown model gets 400 model_not_found; a tool outside the tenant’s allowlist gets 403', async () => {
    const unknown = await h.client.chat.completions
      .create({ model: 'gpt-17', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect((unknown as BadRequestError).code).toBe('model_not_found');

    const denied = await h.client.chat.completions
      .create({
        model: 'auto',
        messages: [{ role: 'user', content: 'refund it' }],
        tools: [
          { type: 'function', function: { name: 'lookup_order' } },
          { type: 'function', function: { name: 'refund_order' } },
        ],
      })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect((denied as PermissionDeniedError).param).toBe('tools[1].function.name');
    expect((denied as PermissionDeniedError).code).toBe('policy_denied');
  });
});

describe('the other endpoints', () => {
  it('GET /healthz reports the config version and every breaker', async () => {
    const health = (await (await fetch(`${h.server.url}/healthz`)).json()) as {
      status: string;
      version: string;
      breakers: { provider: string; model: string; state: string }[];
    };
    expect(health.status).toBe('ok');
    expect(health.version).toBe('test-1');
    expect(health.breakers.map((b) => `${b.provider}/${b.model}:${b.state}`).sort()).toEqual([
      'bedrock/claude:closed',
      'openai/gpt:closed',
      'vllm/qwen:closed',
      'workers-ai/glm:closed',
    ]);
  });

  it('GET /metrics exposes the router_ series of DESIGN.md', async () => {
    const response = await fetch(`${h.server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    for (const name of [
      'router_ttft_seconds',
      'router_request_duration_seconds',
      'router_policy_check_seconds',
      'router_budget_exceeded_total',
      'router_route_total',
      'router_breaker_state',
      'router_upstream_errors_total',
      'router_cached_tokens_total',
      'router_prompt_tokens_total',
      'router_cost_usd_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(
      /router_route_total\{tier="regional",model="gpt",reason="explicit_tier"\} \d+/,
    );
  });
});
