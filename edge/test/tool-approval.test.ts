import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import {
  type AuditEvent,
  type RequestAuditEvent,
  type SignedAuditEvent,
  verifyAuditLog,
} from '@switchback/router-core';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { heldCallOfStream } from '../../router-core/test/approval/held-calls.ts';
import { createApp } from '../src/app.ts';
import { archivedCount, archivedEventOf } from './audit-archive.ts';
import { appWith, configWith, sha256Hex } from './helpers.ts';

// A tenant of this file alone (its own audit chain), on the edge tier only, at stage approval.
const KEY = 'sk-test-approval-edge';
const TENANT = 'approval-edge';

const REFUND = {
  type: 'function',
  function: { name: 'refund_order', parameters: { type: 'object' } },
};
const ASK = { role: 'user', content: 'Refund order 42, please.' };

const KEY_SHA256 = await sha256Hex(KEY);
const OPERATOR_KEY = 'sk-ops-alice-edge';
const OPERATOR_SHA256 = await sha256Hex(OPERATOR_KEY);

describe('a side-effect tool call at rollout stage approval, at the edge', () => {
  const config = configWith((c) => {
    c.tenants.push({
      id: TENANT,
      keys: [{ id: 'approval-edge-key', sha256: KEY_SHA256 }],
      allowedTiers: ['edge'],
      tools: { default: ['*'] },
      sideEffects: { stage: 'approval' },
    });
    c.operators = [{ id: 'ops-alice', sha256: OPERATOR_SHA256 }];
  });
  const call = appWith(config);
  const chat = (messages: unknown[], headers: Record<string, string> = {}) =>
    call({ key: KEY, headers, body: { model: 'auto', messages, tools: [REFUND] } });

  it('is held, refused without an operator’s approval and passed with it, each step in the chain', async () => {
    const first = await chat([ASK]);
    expect([first.status, first.headers.get('x-switchback-approval')]).toEqual([200, 'required']);
    const token = first.headers.get('x-switchback-approval-token') ?? '';
    const answer = (await first.json()) as {
      choices: {
        message: { tool_calls: { id: string; function: { name: string; arguments: string } }[] };
      }[];
    };
    const held = answer.choices[0]?.message.tool_calls[0];
    expect(held?.function.name).toBe('refund_order');

    const turn2 = [
      ASK,
      { role: 'assistant', content: null, tool_calls: [{ ...held, type: 'function' }] },
      { role: 'tool', tool_call_id: held?.id, content: '{"refunded":true}' },
    ];
    const refused = await chat(turn2);
    expect(refused.status).toBe(403);
    expect(
      ((await refused.json()) as { error: { code: string; param: string } }).error,
    ).toMatchObject({
      code: 'policy_denied',
      param: 'messages[2]',
    });

    // An operator approves it at the edge's /ops/approvals (a tenant key may not).
    const secret = inject('hmacSecret');
    const approve = (key: string) => call({ key, path: '/ops/approvals', body: { token } });
    expect((await approve(KEY)).status).toBe(401);
    const approvedRes = await approve(OPERATOR_KEY);
    expect(approvedRes.status).toBe(200);
    const approved = (await approvedRes.json()) as { approval: string; operator: string };
    expect(approved.operator).toBe('ops-alice');
    const accepted = await chat(turn2, { 'x-switchback-approval': approved.approval });
    expect([accepted.status, accepted.headers.get('x-switchback-approval')]).toEqual([200, null]);
    await accepted.arrayBuffer();

    const lines = await archivedCount(TENANT, 4);
    expect(await verifyAuditLog(lines, secret)).toMatchObject({ ok: true, count: 4 });
    const [one, two, approval, three] = lines.map(
      (line) => (JSON.parse(line) as SignedAuditEvent).event,
    ) as [RequestAuditEvent, RequestAuditEvent, AuditEvent, RequestAuditEvent, ...AuditEvent[]];
    expect(approval).toMatchObject({
      type: 'approval',
      operator: 'ops-alice',
      tenant: TENANT,
      call_id: held?.id,
      tool: 'refund_order',
    });
    const hash = await sha256Hex(held?.function.arguments ?? '');
    expect(one.tool_calls).toEqual([
      {
        name: 'refund_order',
        args_sha256: hash,
        call_id: held?.id,
        decision: 'held',
        rule: 'side_effects.approval',
      },
    ]);
    expect(one.intent).toEqual({
      requested_model: 'auto',
      ask_sha256: await sha256Hex(ASK.content),
    });
    expect(one.model_version).toMatch(/./);
    expect(one.policy_trace?.map((s) => `${s.check}:${s.result}`)).toEqual([
      'model_allowlist:pass',
      'tool_allowlist:pass',
      'side_effect_stage:approval:pass',
      'pii_redaction:pass',
      'quota:pass',
    ]);
    expect([two.status, two.policy_trace?.at(-1)]).toEqual([
      403,
      { check: 'tool_approval', result: 'deny', detail: 'policy_denied' },
    ]);
    expect(two.tool_results).toEqual([
      { call_id: held?.id, name: 'refund_order', outcome: 'success', bytes: 17 },
    ]);
    expect(three.policy_trace).toContainEqual({
      check: 'tool_approval',
      result: 'pass',
      detail: `${held?.id}:refund_order by ops-alice`,
    });
    expect(three.response?.tool_calls).toBe(0);
  });

  it('gives a streamed answer’s held call its token in the stream’s last event, read through the openai SDK', async () => {
    const app = createApp({ config });
    const client = new OpenAI({
      apiKey: KEY,
      baseURL: 'http://edge/v1',
      maxRetries: 0,
      fetch: async (url, init) => {
        const ctx = createExecutionContext();
        const res = await app.fetch(new Request(url, init), env, ctx);
        // The stream is read after this returns: its audit event is waited for by request id.
        void waitOnExecutionContext(ctx);
        return res;
      },
    });
    const ask = { role: 'user' as const, content: 'Refund order 7.' };
    const raw = await client.chat.completions
      .create({
        model: 'auto',
        stream: true,
        messages: [ask],
        tools: [REFUND] as OpenAI.ChatCompletionTool[],
      })
      .withResponse();
    expect(raw.response.headers.get('x-switchback-approval')).toBeNull();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of raw.data) chunks.push(chunk);
    const { callId, args, lastChoices, approval: held } = heldCallOfStream(chunks);
    expect(lastChoices).toEqual([]);
    expect(held).toEqual({
      required: true,
      calls: [{ call_id: callId, tool: 'refund_order', token: expect.any(String) }],
    });

    const approvedRes = await call({
      key: OPERATOR_KEY,
      path: '/ops/approvals',
      body: { token: held?.calls[0]?.token },
    });
    expect(approvedRes.status).toBe(200);
    const { approval } = (await approvedRes.json()) as { approval: string };
    const accepted = await chat(
      [
        ask,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: callId, type: 'function', function: { name: 'refund_order', arguments: args } },
          ],
        },
        { role: 'tool', tool_call_id: callId, content: '{"refunded":true}' },
      ],
      { 'x-switchback-approval': approval },
    );
    expect(accepted.status).toBe(200);
    await accepted.arrayBuffer();

    // Found by its request id: under load the stream's event lands after other tests' events.
    const event = (await archivedEventOf(TENANT, raw.request_id ?? '')) as
      | RequestAuditEvent
      | undefined;
    expect(event?.tool_calls?.map((c) => [c.name, c.call_id, c.decision, c.rule])).toEqual([
      ['refund_order', callId, 'held', 'side_effects.approval'],
    ]);
    expect(event?.response).toMatchObject({ finish_reason: 'tool_calls', tool_calls: 1 });
  });
});
