import type { ChatMessage } from '../../src/index.ts';
import { conversation } from '../conversation.ts';

/** A recorded request, as `switchback simulate` reads one line. */
export type TrafficLine = { request: { model: string; messages: ChatMessage[] }; workflow: string };

const REPORT =
  'The quarterly report lists revenue, costs and staffing for each region, with the notes of the regional managers. ';

/**
 * Traffic that single-turn sets lack: turns of long support chats (every fifth turn of 40 chats
 * of 60 turns, long workshop notes in their first answers) and long pasted documents to
 * summarise. Deterministic.
 */
export const sessionTraffic = (): TrafficLine[] => {
  const lines: TrafficLine[] = [];
  for (let chat = 0; chat < 40; chat++) {
    const notes = 'The wheel truing notes from the workshop follow, line by line. '.repeat(
      20 + chat,
    );
    for (let turn = 5; turn <= 60; turn += 5) {
      const messages = conversation(turn, `chat${chat}`).map((m, i) =>
        m.role === 'assistant' && i <= 12 ? { ...m, content: `${String(m.content)} ${notes}` } : m,
      );
      lines.push({ request: { model: 'auto', messages }, workflow: 'support' });
    }
  }
  for (let doc = 0; doc < 40; doc++) {
    lines.push({
      request: {
        model: 'auto',
        messages: [
          {
            role: 'user',
            content: `${REPORT.repeat(400 + 60 * doc)}\n\nSummarise the report above.`,
          },
        ],
      },
      workflow: 'chat',
    });
  }
  return lines;
};
