import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  type AuditEvent,
  createAuditLog,
  type RequestAuditEvent,
  type SignedAuditEvent,
  verifyAuditLog,
} from '@switchback/router-core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnswerToolCall,
  firstToolCall,
  heldCallOfStream,
} from '../../../router-core/test/approval/held-calls.ts';
import { auditCommand } from '../cli/audit-verify.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { createRegionalApp, type RegionalApp } from '../create-regional-app.ts';
import { chatRequest } from '../testing/chat-request.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const OPERATOR_KEY = 'sk-ops-alice';
const SECRET = 'audit-and-approval-secret';

let sim: Simulator;
let regional: RegionalApp;
const lines: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  const base = testConfig(sim.url);
  const config = testConfig(sim.url, {
    tenants: [
      {
        ...base.tenants[0],
        id: 'demo',
        keys: [{ id: 'test-key', sha256: sha256(TEST_KEY) }],
        tools: { default: ['lookup_*', 'refund_*'] },
        sideEffects: { stage: 'approval' },
      },
    ],
    operators: [{ id: 'ops-alice', sha256: sha256(OPERATOR_KEY) }],
    risk: { sideEffectTools: ['refund_*'] },
  });
  const audit = createAuditLog({
    secret: SECRET,
    sink: { write: (line) => void lines.push(line) },
  });
  regional = createRegionalApp({ config, audit, env: { SWITCHBACK_AUDIT_SECRET: SECRET } });
});
afterAll(async () => {
  regional.close();
  await sim.close();
});

const TOOLS = [
  { type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'refund_order', parameters: { type: 'object' } } },
];

const chat = (messages: unknown[], headers: Record<string, string> = {}, extra: object = {}) =>
  regional.fetch(chatRequest({ model: 'auto', messages, tools: TOOLS, ...extra }, { headers }));

const approve = (token: string, key: string) =>
  regional.fetch(
    new Request('http://regional/ops/approvals', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    }),
  );

/** The events written so far, once the log has caught up with `count` lines. */
const events = async (count: number): Promise<AuditEvent[]> => {
  for (let i = 0; i < 200 && lines.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  return lines.map((line) => (JSON.parse(line) as SignedAuditEvent).event);
};

describe('a side-effect tool call at rollout stage approval, through regional', () => {
  it('three turns: an allowed call, a held one refused without approval and passed with it, all in audit show', async () => {
    type Call = AnswerToolCall;
    const callOf = firstToolCall;
    const pick = (name: string) => ({ tool_choice: { type: 'function', function: { name } } });

    const turn1 = [{ role: 'user', content: 'Look up order 42, then refund it.' }];
    const first = await chat(turn1, {}, pick('lookup_order'));
    expect([first.status, first.headers.get('x-switchback-approval')]).toEqual([200, null]);
    const lookup = await callOf(first);

    const turn2 = [
      ...turn1,
      { role: 'assistant', content: null, tool_calls: [lookup] },
      { role: 'tool', tool_call_id: lookup.id, content: '{"order":42,"paid":true}' },
      { role: 'user', content: 'Refund it now.' },
    ];
    const second = await chat(turn2, {}, pick('refund_order'));
    expect([second.status, second.headers.get('x-switchback-approval')]).toEqual([200, 'required']);
    const token = second.headers.get('x-switchback-approval-token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-f]{64}$/);
    const refund = await callOf(second);
    expect(refund.function.name).toBe('refund_order');

    const turn3 = [
      ...turn2,
      { role: 'assistant', content: null, tool_calls: [refund] },
      { role: 'tool', tool_call_id: refund.id, content: '{"refunded":true}' },
    ];
    const refused = await chat(turn3);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: object }).error).toEqual({
      message: `The result of tool call '${refund.id}' (refund_order) needs an operator's approval: send it in x-switchback-approval.`,
      type: 'invalid_request_error',
      param: 'messages[5]',
      code: 'policy_denied',
    });

    // A tenant key is no operator credential.
    expect((await approve(token, TEST_KEY)).status).toBe(401);
    const approved = await approve(token, OPERATOR_KEY);
    expect(approved.status).toBe(200);
    const body = (await approved.json()) as { approval: string; operator: string; call_id: string };
    expect([body.operator, body.call_id]).toEqual(['ops-alice', refund.id]);

    const accepted = await chat(turn3, { 'x-switchback-approval': body.approval });
    expect([accepted.status, accepted.headers.get('x-switchback-approval')]).toEqual([200, null]);
    await accepted.arrayBuffer();

    const chain = await events(5);
    expect(chain.map((e) => e.type)).toEqual([
      'request',
      'request',
      'request',
      'approval',
      'request',
    ]);
    const [one, two, denied, approval, three] = chain as [
      RequestAuditEvent,
      RequestAuditEvent,
      RequestAuditEvent,
      AuditEvent,
      RequestAuditEvent,
    ];
    const hash = (call: Call) => sha256(call.function.arguments);
    expect(one.tool_calls).toEqual([
      {
        name: 'lookup_order',
        args_sha256: hash(lookup),
        call_id: lookup.id,
        decision: 'allowed',
        rule: 'tools.allowlist',
      },
    ]);
    expect(two.tool_results).toEqual([
      { call_id: lookup.id, name: 'lookup_order', outcome: 'success', bytes: 24 },
    ]);
    expect(two.tool_calls).toEqual([
      {
        name: 'refund_order',
        args_sha256: hash(refund),
        call_id: refund.id,
        decision: 'held',
        rule: 'side_effects.approval',
      },
    ]);
    expect([denied.status, denied.policy_trace?.at(-1)]).toEqual([
      403,
      { check: 'tool_approval', result: 'deny', detail: 'policy_denied' },
    ]);
    expect(approval).toMatchObject({
      type: 'approval',
      operator: 'ops-alice',
      tenant: 'demo',
      request_id: two.request_id,
      call_id: refund.id,
      tool: 'refund_order',
      args_sha256: hash(refund),
    });
    expect(three.tool_results?.at(-1)).toEqual({
      call_id: refund.id,
      name: 'refund_order',
      outcome: 'success',
      bytes: 17,
    });
    expect(three.policy_trace).toContainEqual({
      check: 'tool_approval',
      result: 'pass',
      detail: `${refund.id}:refund_order by ops-alice`,
    });
    expect(three.response).toEqual({
      finish_reason: 'stop',
      content_chars: expect.any(Number),
      tool_calls: 0,
    });
    expect(one.intent).toEqual({
      requested_model: 'auto',
      ask_sha256: sha256('Look up order 42, then refund it.'),
    });
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true, count: 5 });

    // audit show, from the first turn, prints the whole chain and verifies the log.
    const dir = mkdtempSync(join(tmpdir(), 'switchback-audit-show-'));
    const file = join(dir, 'audit.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: (line) => out.push(`ERR ${line}`),
      readStdin: async () => '',
      readFile: (path) => readFile(path, 'utf8'),
    };
    expect(
      await auditCommand(['show', one.request_id, file], io, { SWITCHBACK_AUDIT_SECRET: SECRET }),
    ).toBe(0);
    expect(
      out.filter((l) => l.startsWith('#')).map((l) => l.split(' ').slice(2).join(' ')),
    ).toEqual([
      `request ${one.request_id}`,
      `request ${two.request_id}`,
      `request ${denied.request_id}`,
      'approval',
      `request ${three.request_id}`,
    ]);
    expect(out).toContain(
      `  intent     model auto · ask sha256 ${sha256('Look up order 42, then refund it.').slice(0, 12)}…`,
    );
    expect(out).toContain(
      `  tool call  refund_order (${refund.id}) args ${hash(refund).slice(0, 12)}…: held by side_effects.approval`,
    );
    expect(out).toContain(`  tool result ${refund.id} refund_order: success, 17 bytes`);
    expect(out).toContain('  policy     tool_approval: deny (policy_denied)');
    expect(out).toContain(
      `  refund_order (${refund.id}) args ${hash(refund).slice(0, 12)}… approved by operator ops-alice · tenant demo · held in ${two.request_id}`,
    );
    // Three turns served (the refused attempt never reached a provider), each with its model version.
    expect(out.filter((l) => l.startsWith('  served     '))).toEqual(
      [one, two, three].map(
        // A turn that failed over under load says how many attempts it took.
        (e) =>
          `  served     ${e.provider} / ${e.model} · version ${e.model_version}${(e.attempts ?? 1) > 1 ? ` · ${e.attempts} attempts` : ''}`,
      ),
    );
    expect(three.model_version).toMatch(/./);
    expect(out.at(-1)).toBe('verified: 5 events intact (last seq 5)');
  });

  it('gives a streamed answer’s held call its token in the stream’s last event, read through the openai SDK', async () => {
    const before = lines.length;
    const client = new OpenAI({
      apiKey: TEST_KEY,
      baseURL: 'http://regional/v1',
      maxRetries: 0,
      fetch: async (url, init) => regional.fetch(new Request(url, init)),
    });
    const ask = { role: 'user' as const, content: 'Refund order 7.' };
    const stream = await client.chat.completions.create({
      model: 'auto',
      stream: true,
      messages: [ask],
      tools: TOOLS as OpenAI.ChatCompletionTool[],
      tool_choice: { type: 'function', function: { name: 'refund_order' } },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const { callId, args, lastChoices, approval: streamed } = heldCallOfStream(chunks);
    expect(lastChoices).toEqual([]);
    expect(streamed).toEqual({
      required: true,
      calls: [{ call_id: callId, tool: 'refund_order', token: expect.any(String) }],
    });
    const token = streamed?.calls[0]?.token ?? '';

    const approved = await approve(token, OPERATOR_KEY);
    expect(approved.status).toBe(200);
    const { approval } = (await approved.json()) as { approval: string };
    const turn2 = [
      ask,
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: callId, type: 'function', function: { name: 'refund_order', arguments: args } },
        ],
      },
      { role: 'tool', tool_call_id: callId, content: '{"refunded":true}' },
    ];
    const accepted = await chat(turn2, { 'x-switchback-approval': approval });
    expect(accepted.status).toBe(200);
    await accepted.arrayBuffer();

    const [held, approvalEvent, passed] = (await events(before + 3)).slice(before) as [
      RequestAuditEvent,
      AuditEvent,
      RequestAuditEvent,
    ];
    expect(held.tool_calls?.map((c) => [c.name, c.call_id, c.decision])).toEqual([
      ['refund_order', callId, 'held'],
    ]);
    expect(held.response).toEqual({ finish_reason: 'tool_calls', content_chars: 0, tool_calls: 1 });
    expect(approvalEvent).toMatchObject({
      type: 'approval',
      operator: 'ops-alice',
      call_id: callId,
    });
    expect(passed.policy_trace).toContainEqual({
      check: 'tool_approval',
      result: 'pass',
      detail: `${callId}:refund_order by ops-alice`,
    });
  });

  it('refuses an approval token that was altered', async () => {
    const response = await approve(`x${'A'.repeat(10)}.${'0'.repeat(64)}`, OPERATOR_KEY);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('token');
  });
});
