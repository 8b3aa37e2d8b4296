import { createHash } from 'node:crypto';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  type AuditEvent,
  createAuditLog,
  type SignedAuditEvent,
  verifyAuditLog,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegionalApp, type RegionalApp } from '../create-regional-app.ts';
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
  regional.fetch(
    new Request('http://regional/v1/chat/completions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_KEY}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify({ model: 'auto', messages, tools: TOOLS, ...extra }),
    }),
  );

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
  it('is held, refused on the next turn without approval, and passes with an operator’s', async () => {
    const ask = [{ role: 'user', content: 'Refund order 42, please.' }];
    const first = await chat(
      ask,
      {},
      {
        tool_choice: { type: 'function', function: { name: 'refund_order' } },
      },
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('x-switchback-approval')).toBe('required');
    const token = first.headers.get('x-switchback-approval-token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-f]{64}$/);
    const answer = (await first.json()) as {
      choices: {
        message: { tool_calls: { id: string; function: { name: string; arguments: string } }[] };
      }[];
    };
    const call = answer.choices[0]?.message.tool_calls[0];
    expect(call?.function.name).toBe('refund_order');

    const turn2 = [
      ...ask,
      { role: 'assistant', content: null, tool_calls: [{ ...call, type: 'function' }] },
      { role: 'tool', tool_call_id: call?.id, content: '{"refunded":true}' },
    ];
    const refused = await chat(turn2);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: object }).error).toEqual({
      message: `The result of tool call '${call?.id}' (refund_order) needs an operator's approval: send it in x-switchback-approval.`,
      type: 'invalid_request_error',
      param: 'messages[2]',
      code: 'policy_denied',
    });

    // A tenant key is no operator credential.
    expect((await approve(token, TEST_KEY)).status).toBe(401);
    const approved = await approve(token, OPERATOR_KEY);
    expect(approved.status).toBe(200);
    const body = (await approved.json()) as { approval: string; operator: string; call_id: string };
    expect([body.operator, body.call_id]).toEqual(['ops-alice', call?.id]);

    const accepted = await chat(turn2, { 'x-switchback-approval': body.approval });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('x-switchback-approval')).toBeNull();

    const chain = await events(4);
    expect(chain.map((e) => e.type)).toEqual(['request', 'request', 'approval', 'request']);
    const [held, denied, approval, passed] = chain;
    const argsHash = sha256(call?.function.arguments ?? '');
    expect(held?.type === 'request' && held.tool_calls).toEqual([
      {
        name: 'refund_order',
        args_sha256: argsHash,
        call_id: call?.id,
        decision: 'held',
        rule: 'side_effects.approval',
      },
    ]);
    expect(denied?.type === 'request' && [denied.status, denied.policy_trace?.at(-1)]).toEqual([
      403,
      { check: 'tool_approval', result: 'deny', detail: 'policy_denied' },
    ]);
    expect(approval).toMatchObject({
      type: 'approval',
      operator: 'ops-alice',
      tenant: 'demo',
      request_id: held?.type === 'request' ? held.request_id : '',
      call_id: call?.id,
      tool: 'refund_order',
      args_sha256: argsHash,
    });
    expect(passed?.type === 'request' && passed.tool_results).toEqual([
      { call_id: call?.id, name: 'refund_order', outcome: 'success', bytes: 17 },
    ]);
    expect(passed?.type === 'request' && passed.policy_trace).toContainEqual({
      check: 'tool_approval',
      result: 'pass',
      detail: `${call?.id}:refund_order by ops-alice`,
    });
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true, count: 4 });
  });

  it('refuses an approval token that was altered', async () => {
    const response = await approve(`x${'A'.repeat(10)}.${'0'.repeat(64)}`, OPERATOR_KEY);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('token');
  });
});
