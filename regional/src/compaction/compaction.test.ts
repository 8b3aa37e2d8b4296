import { summaryWords } from '@switchback/loadtests/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkReplay,
  REPLAY_COMPACTION,
  REPLAY_TURNS,
  type ReplayedTurn,
  replayedTurn,
  replayMessages,
} from '../../../router-core/test/compaction/replay-case.ts';
import { conversation } from '../../../router-core/test/conversation.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { TEST_KEY } from '../testing/test-config.ts';

type Logged = {
  target: string;
  model: string;
  body: { messages?: { role: string; content: unknown }[] };
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      budgets: { default: { ttftMs: 2000, totalMs: 10000, policyMs: 50 } },
      compaction: { workflows: {}, auto: { ...REPLAY_COMPACTION, summarizer: 'glm' } },
    },
  });
});
afterAll(async () => {
  await h.close();
});

const simRequests = async (): Promise<Logged[]> =>
  ((await (await fetch(`${h.sim.url}/_sim/requests`)).json()) as { requests: Logged[] }).requests;
const clearSim = () => fetch(`${h.sim.url}/_sim/requests`, { method: 'DELETE' });
const isSummary = (r: Logged) =>
  String(r.body.messages?.[0]?.content ?? '').startsWith('You write checkpoint summaries');

const post = (messages: unknown[], headers: Record<string, string>, model = 'fast') =>
  fetch(`${h.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ model, messages }),
  });

describe('checkpoint compaction at the regional front door', () => {
  it('replays a 60-turn conversation: one checkpoint every 10 turns, bounded upstream prompts, answers unchanged in shape', async () => {
    const turns: ReplayedTurn[] = [];
    const summaries: Logged[] = [];
    let sentAt15: Logged | undefined;
    let lastSent: Logged | undefined;
    const summaryTurns: number[] = [];
    for (let turn = 1; turn <= REPLAY_TURNS; turn++) {
      await clearSim();
      const res = await post(replayMessages(turn), {
        'x-session-affinity': 'replay-1',
        'x-switchback-compaction': 'auto',
      });
      const body: unknown = await res.json();
      const logged = await simRequests();
      const upstream = logged.filter((r) => !isSummary(r));
      summaries.push(...logged.filter(isSummary));
      if (turn === 15) sentAt15 = upstream[0];
      turns.push(replayedTurn(turn, res, body));
      if (logged.some(isSummary)) summaryTurns.push(turn);
      lastSent = upstream[0];
    }
    checkReplay('regional', turns, summaryTurns, (lastSent?.body.messages ?? []).length);
    // What went upstream at turn 15: the system prompt, the simulator's summary, turns 11 to 15.
    const sent = sentAt15;
    const transcript = String(summaries[0]?.body.messages?.[1]?.content);
    expect(sent?.body.messages?.slice(0, 3)).toEqual([
      replayMessages(15)[0],
      {
        role: 'system',
        content: `Summary of the first 10 turns of this conversation (checkpoint):\n${summaryWords(transcript).join(' ')}`,
      },
      replayMessages(15)[21],
    ]);
  }, 120_000);

  it('sends an edited history whole and checkpoints it anew', async () => {
    const headers = { 'x-session-affinity': 'edit-1', 'x-switchback-compaction': 'auto' };
    expect((await post(conversation(14, 'e'), headers)).headers.get('x-router-compaction')).toMatch(
      /^applied; covered=10;/,
    );
    const edited = conversation(15, 'e');
    edited[3] = { role: 'user', content: 'Actually, my first question was about brakes.' };
    await clearSim();
    const res = await post(edited, headers);
    expect(res.headers.get('x-router-compaction')).toBe('whole; reason=history_changed');
    const logged = await simRequests();
    expect(logged.filter(isSummary)).toHaveLength(1);
    expect(logged.find((r) => !isSummary(r))?.body.messages).toHaveLength(edited.length);
    const next = [
      ...edited,
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'brakes?' },
    ];
    expect((await post(next, headers)).headers.get('x-router-compaction')).toMatch(
      /^applied; covered=11;/,
    );
  });

  it('never compacts a request that did not opt in, and counts checkpoints in /metrics', async () => {
    await clearSim();
    const res = await post(conversation(30, 'n'), { 'x-session-affinity': 'plain-1' });
    expect(res.headers.get('x-router-compaction')).toBeNull();
    const logged = await simRequests();
    expect(logged.filter(isSummary)).toHaveLength(0);
    expect(logged[0]?.body.messages).toHaveLength(conversation(30, 'n').length);
    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^router_compaction_checkpoints_total\{workflow="default"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(
      /^router_compaction_saved_tokens_total\{workflow="default"\} [1-9]\d*$/m,
    );
  });
});
