// The failover cases of failover.test.ts for a non-streamed request whose primary reads its
// whole answer off the upstream stream in one piece (an OpenAI-compatible server on the direct
// wire): the TTFT window still cuts a silent primary, a slow but steady one still answers.
import { type FaultSpec, replyText } from '@switchback/loadtests/sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { total } from '../testing/sim-control.ts';

const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
const CLAUDE = 'anthropic.claude-sonnet-4-5-v1:0';
const messages = [{ role: 'user' as const, content: 'hello' }];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: { routes: { edge: { models: ['glm'] }, regional: { models: ['qwen', 'claude'] } } },
  });
});
afterEach(async () => {
  await h.control.clearFaults();
});
afterAll(async () => {
  await h.close();
});

const fromFallback = replyText('bedrock', CLAUDE, 'hello', 16);
const fromPrimary = replyText('compat', QWEN, 'hello', 16);

const cases: { label: string; fault: FaultSpec; provider: string; primaryCalls: number }[] = [
  {
    label: 'error 500',
    fault: { target: 'compat', kind: 'error', status: 500 },
    provider: 'bedrock',
    primaryCalls: 3,
  },
  {
    label: 'slow_first_token',
    fault: { target: 'compat', kind: 'slow_first_token', delayMs: 3000 },
    provider: 'bedrock',
    primaryCalls: 1,
  },
  {
    label: 'stall',
    fault: { target: 'compat', kind: 'stall' },
    provider: 'bedrock',
    primaryCalls: 1,
  },
  // Cut mid-answer, retried (the client saw nothing), cut again each time: the fallback answers.
  {
    label: 'reset_mid_stream',
    fault: { target: 'compat', kind: 'reset_mid_stream' },
    provider: 'bedrock',
    primaryCalls: 3,
  },
  // 16 tokens 30 ms apart outlast the 400 ms TTFT budget, but the first came at once.
  {
    label: 'slow_tokens',
    fault: { target: 'compat', kind: 'slow_tokens', delayMs: 30 },
    provider: 'vllm',
    primaryCalls: 1,
  },
];

describe('a non-streamed answer read whole off the primary’s stream', () => {
  it('is the primary’s, usage included, when nothing goes wrong', async () => {
    const { data, response } = await h.client.chat.completions
      .create({ model: 'smart', messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(fromPrimary);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.completion_tokens).toBe(16);
    expect(response.headers.get('x-router-provider')).toBe('vllm');
  });

  it.each(cases)('$label: answered by $provider', async ({ fault, provider, primaryCalls }) => {
    const before = total(await h.control.stats(), 'calls', 'compat');
    await h.control.fault(fault);
    const { data, response } = await h.client.chat.completions
      .create({ model: 'smart', messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(provider === 'vllm' ? fromPrimary : fromFallback);
    expect(response.headers.get('x-router-provider')).toBe(provider);
    expect(total(await h.control.stats(), 'calls', 'compat') - before).toBe(primaryCalls);
  });
});
