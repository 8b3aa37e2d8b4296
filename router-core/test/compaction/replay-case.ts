import { expect } from 'vitest';
import type { ChatMessage } from '../../src/index.ts';
import { conversation } from '../conversation.ts';

/** The compaction both doors replay: a checkpoint every 10 turns, the last 4 kept whole. */
export const REPLAY_COMPACTION = { everyTurns: 10, keepTurns: 4, summaryMaxTokens: 256 } as const;
export const REPLAY_TURNS = 60;

/** One turn as a door answered it, read from the response and the simulator's log. */
export type ReplayedTurn = {
  turn: number;
  status: number;
  /** `x-router-compaction`. */
  compaction: string | null;
  /** The answer's shape: `chat.completion`, one assistant message with text. */
  shape: string;
  /** Prompt tokens the provider counted (the simulator's usage). */
  promptTokens: number;
};

/** What the client sends at turn `turn`: the whole history, every time. */
export const replayMessages = (turn: number): ChatMessage[] => conversation(turn, 'replay');

/** The header each turn should carry: covered turns grow by 10 from turn 14. */
export const expectedCompaction = (turn: number): string | RegExp => {
  const { everyTurns, keepTurns } = REPLAY_COMPACTION;
  if (turn <= keepTurns) return 'whole; reason=too_short';
  const covered = Math.floor((turn - keepTurns) / everyTurns) * everyTurns;
  if (covered === 0) return 'whole; reason=below_threshold';
  return new RegExp(`^applied; covered=${covered}; saved_tokens=\\d+$`);
};

/** One turn as a door answered it: its response and the answer's JSON body. */
export const replayedTurn = (turn: number, res: Response, body: unknown): ReplayedTurn => ({
  turn,
  status: res.status,
  compaction: res.headers.get('x-router-compaction'),
  shape: answerShape(body),
  promptTokens: (body as { usage?: { prompt_tokens?: number } }).usage?.prompt_tokens ?? 0,
});

/** The answer's shape as a string (what a client relies on), for an equality check. */
export const answerShape = (body: unknown): string => {
  const b = body as {
    object?: string;
    choices?: { message?: { role?: string; content?: unknown } }[];
  };
  const message = b.choices?.[0]?.message;
  return `${b.object}/${b.choices?.length}/${message?.role}/${typeof message?.content}`;
};

/**
 * The acceptance of a replay through a door: every answer 200 and of the same shape, the
 * compaction header of each turn, one checkpoint every 10 turns (at turns 14, 24, 34, 44, 54), and
 * upstream prompts bounded after the first checkpoint. Prints the prompt tokens per turn.
 */
export const checkReplay = (
  door: string,
  turns: readonly ReplayedTurn[],
  summaryTurns: readonly number[],
  lastUpstreamMessages: number | undefined,
): void => {
  console.log(`${door} replay prompt tokens: ${JSON.stringify(turns.map((t) => t.promptTokens))}`);
  expect(turns).toHaveLength(REPLAY_TURNS);
  for (const t of turns) {
    expect([t.turn, t.status, t.shape]).toEqual([
      t.turn,
      200,
      'chat.completion/1/assistant/string',
    ]);
    expect(t.compaction, `turn ${t.turn}`).toMatch(expectedCompaction(t.turn));
  }
  expect(summaryTurns).toEqual([14, 24, 34, 44, 54]);
  // After the first checkpoint no prompt costs more than a summary and 13 turns (turn 13 whole).
  const after = turns.filter((t) => t.turn >= 14).map((t) => t.promptTokens);
  const wholeAt13 = turns.find((t) => t.turn === 13)?.promptTokens ?? 0;
  expect(Math.max(...after)).toBeLessThan(wholeAt13 * 1.8);
  // The whole history at turn 60 is 119 messages.
  expect(lastUpstreamMessages).toBeLessThan(30);
};
