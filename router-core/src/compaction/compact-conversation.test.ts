import { describe, expect, it } from 'vitest';
import { conversation, SYSTEM } from '../../test/conversation.ts';
import { configWith } from '../../test/example-config.ts';
import { chat } from '../../test/requests.ts';
import type { CompactionSpec } from '../config/schema.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import type { CheckpointScope } from './checkpoint-store.ts';
import {
  type CompactionDeps,
  compactConversation,
  compactionHeader,
} from './compact-conversation.ts';
import { createMemoryCheckpointStore } from './memory-checkpoint-store.ts';
import { SUMMARIZER_INSTRUCTION } from './summary-request.ts';

const spec: CompactionSpec = {
  everyTurns: 5,
  keepTurns: 2,
  summarizer: 'glm-flash',
  summaryMaxTokens: 256,
};
const config = configWith({ compaction: { workflows: {}, auto: spec } });
const scope: CheckpointScope = { tenantId: 'demo', session: 's1' };

/** A summarizer that says how many transcript lines it read, and records each request. */
const recording = () => {
  const requests: ChatCompletionRequest[] = [];
  const summarize: CompactionDeps['summarize'] = async (request, target) => {
    requests.push(request);
    expect(target.model.id).toBe('glm-flash');
    const transcript = String(request.messages[1]?.content);
    return `summary #${requests.length} of ${transcript.split('\n').length} lines`;
  };
  return { requests, summarize };
};

const run = (
  messages: ChatMessage[],
  deps: CompactionDeps,
  over: { spec?: CompactionSpec | undefined; scope?: CheckpointScope | undefined } = {},
) =>
  compactConversation(
    {
      request: chat(messages),
      spec: 'spec' in over ? over.spec : spec,
      scope: 'scope' in over ? over.scope : scope,
      config,
      now: 1_000,
    },
    deps,
  );

describe('compactConversation', () => {
  it('does nothing to a request that did not opt in', async () => {
    const { summarize, requests } = recording();
    const store = createMemoryCheckpointStore();
    const result = await run(conversation(30), { store, summarize }, { spec: undefined });
    expect(result.outcome).toEqual({ kind: 'off' });
    expect(compactionHeader(result.outcome)).toBeUndefined();
    expect(requests).toEqual([]);
    expect(store.size()).toBe(0);
  });

  it('checkpoints every everyTurns turns and sends [system, summary, the turns after it]', async () => {
    const { summarize, requests } = recording();
    const deps = { store: createMemoryCheckpointStore(), summarize };
    const seen: { turn: number; header: string | undefined; roles: string }[] = [];
    for (let turn = 1; turn <= 20; turn++) {
      const result = await run(conversation(turn), deps);
      const upstream = result.apply(chat(conversation(turn)));
      seen.push({
        turn,
        header: compactionHeader(result.outcome),
        roles: upstream.messages.map((m) => m.role[0]).join(''),
      });
      // The current turn is always sent as the client wrote it.
      expect(upstream.messages.at(-1)).toEqual(conversation(turn).at(-1));
    }
    // Turns 7, 12 and 17 each made a checkpoint of all but the last two turns.
    expect(requests).toHaveLength(3);
    expect(seen[5]).toEqual({
      turn: 6,
      header: 'whole; reason=below_threshold',
      roles: `s${'ua'.repeat(5)}u`,
    });
    expect(seen[6]?.header).toMatch(/^applied; covered=5; saved_tokens=\d+$/);
    expect(seen[6]?.roles).toBe('ssuau');
    expect(seen[10]?.roles).toBe(`ss${'ua'.repeat(5)}u`);
    expect(seen[11]?.header).toMatch(/^applied; covered=10; saved_tokens=\d+$/);
    expect(seen[19]?.header).toMatch(/^applied; covered=15; saved_tokens=\d+$/);
    // Each summary extends the previous one with the turns since.
    expect(requests[0]?.messages[0]).toEqual({ role: 'system', content: SUMMARIZER_INSTRUCTION });
    expect(String(requests[1]?.messages[1]?.content)).toMatch(
      /^Summary so far:\nsummary #1 of 11 lines\n\nConversation since:\nuser: \[a\] Question 6:/,
    );
    const last = (await run(conversation(20), deps)).apply(chat(conversation(20)));
    expect(last.messages[1]).toEqual({
      role: 'system',
      content:
        'Summary of the first 15 turns of this conversation (checkpoint):\nsummary #3 of 14 lines',
    });
  });

  it('sends an edited history whole and makes a new checkpoint from scratch', async () => {
    const { summarize, requests } = recording();
    const deps = { store: createMemoryCheckpointStore(), summarize };
    await run(conversation(7), deps);
    const edited = conversation(8);
    edited[1] = { role: 'user', content: 'A different first question.' };
    const result = await run(edited, deps);
    expect(result.outcome).toMatchObject({
      kind: 'whole',
      reason: 'history_changed',
      made: { coveredTurns: 6, coveredMessages: 12, model: 'glm-flash' },
    });
    expect(result.apply(chat(edited))).toEqual(chat(edited));
    expect(String(requests[1]?.messages[1]?.content)).toMatch(/^Conversation:\nuser: A different/);
    // The next turn of the edited history uses the new checkpoint.
    const next = [
      ...edited,
      { role: 'assistant', content: 'ok' } as const,
      { role: 'user', content: 'and?' } as const,
    ];
    expect((await run(next, deps)).outcome).toMatchObject({ kind: 'applied', coveredTurns: 6 });
  });

  it('keeps a tool call and its results in one turn', async () => {
    const { summarize, requests } = recording();
    const deps = { store: createMemoryCheckpointStore(), summarize };
    const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
    for (let t = 1; t <= 7; t++) {
      messages.push({ role: 'user', content: `Where is order ${t}?` });
      if (t === 7) break;
      messages.push(
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `c${t}`,
              type: 'function',
              function: { name: 'lookup_order', arguments: `{"id":"${t}"}` },
            },
          ],
        },
        { role: 'tool', tool_call_id: `c${t}`, content: `order ${t}: shipped` },
        { role: 'assistant', content: `Order ${t} has shipped.` },
      );
    }
    const result = await run(messages, deps);
    const upstream = result.apply(chat(messages));
    expect(result.outcome).toMatchObject({ kind: 'applied', coveredTurns: 5, coveredMessages: 20 });
    expect(upstream.messages.map((m) => m.role).slice(0, 4)).toEqual([
      'system',
      'system',
      'user',
      'assistant',
    ]);
    expect(upstream.messages[3]).toMatchObject({ tool_calls: [{ id: 'c6' }] });
    expect(String(requests[0]?.messages[1]?.content)).toContain(
      'assistant (tool calls): lookup_order({"id":"1"})\ntool result (c1): order 1: shipped',
    );
  });

  it('sends the request whole when the summarizer fails, and keeps using an earlier checkpoint', async () => {
    let fail = false;
    const store = createMemoryCheckpointStore();
    const summarize: CompactionDeps['summarize'] = async () => {
      if (fail) throw new Error('503 from the summarizer');
      return 'the first summary';
    };
    fail = true;
    expect((await run(conversation(7), { store, summarize })).outcome).toEqual({
      kind: 'whole',
      reason: 'summary_failed',
      failure: 'summarizer: 503 from the summarizer',
    });
    fail = false;
    await run(conversation(7), { store, summarize });
    fail = true;
    const later = await run(conversation(12), { store, summarize });
    expect(later.outcome).toMatchObject({
      kind: 'applied',
      coveredTurns: 5,
      failure: 'summarizer: 503 from the summarizer',
    });
  });

  it('sends the request whole, with no summary, when the checkpoint store cannot be read', async () => {
    const { summarize, requests } = recording();
    const store = createMemoryCheckpointStore();
    await run(conversation(7), { store, summarize });
    const down = {
      get: async () => {
        throw new Error('connection refused');
      },
      put: store.put,
    };
    const result = await run(conversation(12), { store: down, summarize });
    expect(result.outcome).toEqual({
      kind: 'whole',
      reason: 'store_unavailable',
      failure: 'store: connection refused',
    });
    expect(result.apply(chat(conversation(12))).messages).toEqual(conversation(12));
    expect(compactionHeader(result.outcome)).toBe('whole; reason=store_unavailable');
    expect(requests).toHaveLength(1);
  });

  it('checkpoints once the prompt sent upstream passes aboveTokens', async () => {
    const { summarize, requests } = recording();
    const deps = { store: createMemoryCheckpointStore(), summarize };
    const bySize: CompactionSpec = {
      aboveTokens: 600,
      keepTurns: 2,
      summarizer: 'glm-flash',
      summaryMaxTokens: 256,
    };
    const made: number[] = [];
    for (let turn = 1; turn <= 30; turn++) {
      const result = await run(conversation(turn), deps, { spec: bySize });
      if ('made' in result.outcome && result.outcome.made !== undefined) made.push(turn);
    }
    expect(made.length).toBe(requests.length);
    expect(made.length).toBeGreaterThan(1);
    // Between two checkpoints the prompt grows back past the limit: never one a turn.
    expect(made.every((turn, i) => i === 0 || turn - (made[i - 1] ?? 0) > 1)).toBe(true);
  });

  it('needs a session and turns before the last keepTurns', async () => {
    const { summarize } = recording();
    const store = createMemoryCheckpointStore();
    expect(
      (await run(conversation(30), { store, summarize }, { scope: undefined })).outcome,
    ).toEqual({
      kind: 'whole',
      reason: 'no_session',
    });
    expect((await run(conversation(2), { store, summarize })).outcome).toEqual({
      kind: 'whole',
      reason: 'too_short',
    });
  });
});
