import { describe, expect, it } from 'vitest';
import { conversation } from '../../test/conversation.ts';
import { chat } from '../../test/requests.ts';
import type { CompactionSpec } from '../config/schema.ts';
import { checkpointedRequest } from './steady-state.ts';

const spec: CompactionSpec = {
  everyTurns: 5,
  keepTurns: 2,
  summarizer: 'glm-flash',
  summaryMaxTokens: 8,
};

describe('checkpointedRequest (simulate)', () => {
  it('assumes the last checkpoint everyTurns made is in place', () => {
    const request = checkpointedRequest(chat(conversation(19)), spec);
    // 17 turns coverable, the last checkpoint covered 15: turns 16 to 19 go whole.
    expect(request.messages.map((m) => m.role[0]).join('')).toBe(`ss${'ua'.repeat(3)}u`);
    expect(request.messages[1]?.content).toBe(
      `Summary of the first 15 turns of this conversation (checkpoint):\n${'summary '.repeat(8).trim()}`,
    );
  });

  it('leaves alone a history no checkpoint covers yet', () => {
    const request = chat(conversation(6));
    expect(checkpointedRequest(request, spec)).toBe(request);
  });

  it('covers all but keepTurns turns once the history passes aboveTokens', () => {
    const bySize: CompactionSpec = {
      aboveTokens: 300,
      keepTurns: 2,
      summarizer: 'glm-flash',
      summaryMaxTokens: 8,
    };
    const request = checkpointedRequest(chat(conversation(9)), bySize);
    expect(request.messages.map((m) => m.role[0]).join('')).toBe('ssuau');
  });
});
