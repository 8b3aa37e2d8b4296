import { showAuditChain, verifyAuditLog } from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import { firstToolCall } from '../../router-core/test/approval/held-calls.ts';
import { archivedCount } from './audit-archive.ts';
import { appWith, configWith, sha256Hex } from './helpers.ts';

// A tenant of this file alone (its own chain in the archive), edge tier only, at stage approval.
const TENANT = 'show-edge';
const KEY = 'sk-test-show-edge';
const OPERATOR_KEY = 'sk-ops-gwen';
const [KEY_SHA256, OPERATOR_SHA256] = await Promise.all([sha256Hex(KEY), sha256Hex(OPERATOR_KEY)]);

const TOOLS = [
  { type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'refund_order', parameters: { type: 'object' } } },
];

describe('switchback audit show on the edge’s archive', () => {
  const call = appWith(
    configWith((c) => {
      c.tenants.push({
        id: TENANT,
        keys: [{ id: 'show-edge-key', sha256: KEY_SHA256 }],
        allowedTiers: ['edge'],
        tools: { default: ['lookup_*', 'refund_*'] },
        sideEffects: { stage: 'approval' },
      });
      c.operators = [{ id: 'ops-gwen', sha256: OPERATOR_SHA256 }];
    }),
  );
  const chat = (messages: unknown[], extra: object = {}, headers: Record<string, string> = {}) =>
    call({ key: KEY, headers, body: { model: 'auto', messages, tools: TOOLS, ...extra } });
  const pick = (name: string) => ({ tool_choice: { type: 'function', function: { name } } });
  const callOf = firstToolCall;

  it('prints a three-turn tool conversation whole: intent, policy, tool calls and outcomes, versions, responses; verify passes', async () => {
    const ask = 'Look up order 42, then refund it.';
    const turn1 = [{ role: 'user', content: ask }];
    const first = await chat(turn1, pick('lookup_order'));
    expect(first.status).toBe(200);
    const firstId = first.headers.get('x-request-id') ?? '';
    const lookup = await callOf(first);

    const turn2 = [
      ...turn1,
      { role: 'assistant', content: null, tool_calls: [lookup] },
      { role: 'tool', tool_call_id: lookup.id, content: '{"order":42,"paid":true}' },
      { role: 'user', content: 'Refund it now.' },
    ];
    const second = await chat(turn2, pick('refund_order'));
    expect([second.status, second.headers.get('x-switchback-approval')]).toEqual([200, 'required']);
    const secondId = second.headers.get('x-request-id') ?? '';
    const token = second.headers.get('x-switchback-approval-token') ?? '';
    const refund = await callOf(second);

    const approved = await call({ key: OPERATOR_KEY, path: '/ops/approvals', body: { token } });
    const { approval } = (await approved.json()) as { approval: string };
    const turn3 = [
      ...turn2,
      { role: 'assistant', content: null, tool_calls: [refund] },
      { role: 'tool', tool_call_id: refund.id, content: '{"refunded":true}' },
    ];
    const third = await chat(turn3, {}, { 'x-switchback-approval': approval });
    expect(third.status).toBe(200);
    const thirdId = third.headers.get('x-request-id') ?? '';
    await third.arrayBuffer();

    // The tenant's archive as `audit/show-edge/*.jsonl` joined in key order: what an operator
    // copies down from R2 and hands to the CLI.
    const lines = await archivedCount(TENANT, 4);
    const secret = inject('hmacSecret');
    expect(await verifyAuditLog(lines, secret)).toMatchObject({ ok: true, count: 4 });
    // What `switchback audit show <id> <file>` prints (the CLI reads the file, router-core shows it).
    const { code, out, err } = await showAuditChain({
      lines,
      requestId: firstId,
      file: 'audit/show-edge/',
      secret,
      secretEnv: 'SWITCHBACK_AUDIT_SECRET',
    });
    expect([code, err]).toEqual([0, []]);
    expect(
      out.filter((l) => l.startsWith('#')).map((l) => l.split(' ').slice(2).join(' ')),
    ).toEqual([`request ${firstId}`, `request ${secondId}`, 'approval', `request ${thirdId}`]);
    const short = async (text: string) => `${(await sha256Hex(text)).slice(0, 12)}…`;
    expect(out).toContain(`  intent     model auto · ask sha256 ${await short(ask)}`);
    expect(out).toContain(
      `  tool call  lookup_order (${lookup.id}) args ${await short(lookup.function.arguments)}: allowed by tools.allowlist`,
    );
    expect(out).toContain(`  tool result ${lookup.id} lookup_order: success, 24 bytes`);
    expect(out).toContain(
      `  tool call  refund_order (${refund.id}) args ${await short(refund.function.arguments)}: held by side_effects.approval`,
    );
    expect(out).toContain(
      `  refund_order (${refund.id}) args ${await short(refund.function.arguments)} approved by operator ops-gwen · tenant ${TENANT} · held in ${secondId}`,
    );
    expect(out).toContain(`  tool result ${refund.id} refund_order: success, 17 bytes`);
    expect(out).toContain(
      `  policy     tool_approval: pass (${refund.id}:refund_order by ops-gwen)`,
    );
    // Every policy decision of each turn, in order.
    expect(out.filter((l) => l.startsWith('  policy     ')).length).toBeGreaterThanOrEqual(3 * 5);
    // Three turns served on the edge, each with the provider's model version, each a response.
    const served = out.filter((l) => l.startsWith('  served     '));
    expect(served).toHaveLength(3);
    for (const line of served)
      expect(line).toMatch(/^ {2}served {5}workers-ai \/ \S+ · version \S+/);
    expect(out.filter((l) => l.startsWith('  response   '))).toEqual([
      '  response   finish tool_calls · 0 chars · 1 tool calls',
      '  response   finish tool_calls · 0 chars · 1 tool calls',
      expect.stringMatching(/^ {2}response {3}finish stop · \d+ chars · 0 tool calls$/),
    ]);
    expect(out.at(-1)).toBe('verified: 4 events intact (last seq 4)');
  });
});
