import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../config/schema.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { APPROVAL_TTL_MS, approveHeldCall, readApprovalToken } from './approval-token.ts';
import { answerToolCalls, checkSideEffectStage, checkToolResults } from './side-effect-stage.ts';

const SIDE_EFFECTS = ['refund_*', 'send_email'];
const SECRET = 'approval-secret';
const NOW = 1_800_000_000_000;

const tenant = (sideEffects?: TenantConfig['sideEffects']): TenantConfig =>
  ({
    id: 'acme',
    tools: { default: ['*'] },
    ...(sideEffects ? { sideEffects } : {}),
  }) as unknown as TenantConfig;

const offering = (...names: string[]): ChatCompletionRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'hi' }],
  tools: names.map((name) => ({ type: 'function' as const, function: { name } })),
});

const refusal = (run: () => unknown): unknown => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof RouterError ? { code: error.code, param: error.param } : error;
  }
};

const refusalOf = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error instanceof RouterError ? { code: error.code, param: error.param } : error;
  }
};

describe('side-effect tools by rollout stage, when offered', () => {
  it.each([
    [undefined, ['lookup', 'refund_order'], undefined],
    [{ stage: 'read-only' } as const, ['lookup'], undefined],
    [{ stage: 'read-only' } as const, ['lookup', 'refund_order'], 'tools[1].function.name'],
    [{ stage: 'scoped-write' as const, allow: ['send_email'] }, ['send_email'], undefined],
    [
      { stage: 'scoped-write' as const, allow: ['send_email'] },
      ['refund_order'],
      'tools[0].function.name',
    ],
    [{ stage: 'approval' } as const, ['refund_order', 'send_email'], undefined],
  ])('stage %j offering %j: refused at %s', (stage, tools, param) => {
    expect(
      refusal(() => checkSideEffectStage(offering(...tools), tenant(stage), SIDE_EFFECTS)),
    ).toEqual(param === undefined ? undefined : { code: 'policy_denied', param });
  });
});

const context = (t: TenantConfig) => ({
  tenant: t,
  workflow: undefined,
  sideEffectTools: SIDE_EFFECTS,
  requestId: 'req_1',
  secret: SECRET,
  now: NOW,
});

const call = (id: string, name: string, args = '{"order":42}') => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
});

describe('tool calls in an answer', () => {
  it('holds a side-effect call at stage approval, with a token naming that very call', async () => {
    const answer = await answerToolCalls(
      [call('c1', 'lookup'), call('c2', 'refund_order')],
      context(tenant({ stage: 'approval' })),
    );
    const hash = await sha256Hex('{"order":42}');
    expect(answer.audit).toEqual([
      {
        name: 'lookup',
        args_sha256: hash,
        call_id: 'c1',
        decision: 'allowed',
        rule: 'tools.allowlist',
      },
      {
        name: 'refund_order',
        args_sha256: hash,
        call_id: 'c2',
        decision: 'held',
        rule: 'side_effects.approval',
      },
    ]);
    expect(answer.tokens).toHaveLength(1);
    expect(await readApprovalToken(SECRET, answer.tokens[0] ?? '', NOW)).toEqual({
      tenant: 'acme',
      call_id: 'c2',
      name: 'refund_order',
      args_sha256: hash,
      request_id: 'req_1',
    });
    expect(await readApprovalToken('other-secret', answer.tokens[0] ?? '', NOW)).toBeUndefined();
    expect(
      await readApprovalToken(SECRET, answer.tokens[0] ?? '', NOW + APPROVAL_TTL_MS),
    ).toBeUndefined();
  });

  it('names the rule that denied a call: off the allowlist, or a stage that forbids it', async () => {
    const readOnly = {
      ...tenant({ stage: 'read-only' }),
      tools: { default: ['lookup', 'refund_*'] },
    };
    const answer = await answerToolCalls(
      [call('c1', 'delete_all'), call('c2', 'refund_order')],
      context(readOnly as unknown as TenantConfig),
    );
    expect(answer.audit.map((a) => [a.decision, a.rule])).toEqual([
      ['denied', 'tools.allowlist'],
      ['denied', 'side_effects.read-only'],
    ]);
    expect(answer.tokens).toEqual([]);
  });
});

const nextTurn = (args = '{"order":42}', output = '{"refunded":true}'): ChatCompletionRequest => ({
  model: 'auto',
  messages: [
    { role: 'user', content: 'refund order 42' },
    { role: 'assistant', content: null, tool_calls: [call('c2', 'refund_order', args)] },
    { role: 'tool', tool_call_id: 'c2', content: output },
  ],
});

describe('the result of a held call on the next turn', () => {
  const approval = async (operator = 'ops-alice', t = tenant({ stage: 'approval' })) => {
    const { tokens } = await answerToolCalls([call('c2', 'refund_order')], context(t));
    return (await approveHeldCall(SECRET, tokens[0] ?? '', operator, NOW))?.approval ?? '';
  };
  const check = async (
    request: ChatCompletionRequest,
    approvals: string[],
    t = tenant({ stage: 'approval' }),
  ) => {
    const checked = await checkToolResults(request, {
      tenant: t,
      sideEffectTools: SIDE_EFFECTS,
      approvals,
      secret: SECRET,
      now: NOW,
    });
    if (checked.refusal) throw checked.refusal;
    return checked;
  };

  it('is refused without an approval (403 naming the message)', async () => {
    expect(await refusalOf(() => check(nextTurn(), []))).toEqual({
      code: 'policy_denied',
      param: 'messages[2]',
    });
  });

  it('passes with an operator approval of that call, and says who approved it', async () => {
    const result = await check(nextTurn(), [await approval()]);
    expect(result.approved.map((a) => [a.operator, a.call_id, a.name])).toEqual([
      ['ops-alice', 'c2', 'refund_order'],
    ]);
    expect(result.results).toEqual([
      { call_id: 'c2', name: 'refund_order', outcome: 'success', bytes: 17 },
    ]);
  });

  it.each([
    [
      'other arguments than the approved ones',
      async () => check(nextTurn('{"order":43}'), [await approval()]),
    ],
    [
      'an approval forged with another secret',
      async () => check(nextTurn(), [`${(await approval()).split('.')[0]}.${'0'.repeat(64)}`]),
    ],
    [
      'the approval token itself in place of an approval',
      async () => {
        const { tokens } = await answerToolCalls(
          [call('c2', 'refund_order')],
          context(tenant({ stage: 'approval' })),
        );
        return check(nextTurn(), tokens);
      },
    ],
    [
      'another tenant’s approval',
      async () => {
        const other = { ...tenant({ stage: 'approval' }), id: 'globex' } as unknown as TenantConfig;
        return check(nextTurn(), [await approval('ops-alice', other)]);
      },
    ],
  ])('is refused with %s', async (_, run) => {
    expect(await refusalOf(run)).toEqual({ code: 'policy_denied', param: 'messages[2]' });
  });

  it('needs no approval below stage approval, and records an error result as one', async () => {
    const result = await check(nextTurn('{"order":42}', '{"error":"no such order"}'), [], tenant());
    expect(result).toEqual({
      results: [{ call_id: 'c2', name: 'refund_order', outcome: 'error', bytes: 25 }],
      approved: [],
    });
  });
});
