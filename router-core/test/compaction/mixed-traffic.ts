import type { ChatMessage } from '../../src/index.ts';
import { conversation } from '../conversation.ts';
import { REPORT_PAGE } from '../report-page.ts';

/** A recorded request, as `switchback simulate` reads one line. */
export type TrafficLine = { request: { model: string; messages: ChatMessage[] }; workflow: string };

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
            // 46 to 315 thousand characters, as the one 115-character sentence repeated was before.
            content: `${REPORT_PAGE.repeat(Math.round(((400 + 60 * doc) * 115) / REPORT_PAGE.length))}\n\nSummarise the report above.`,
          },
        ],
      },
      workflow: 'chat',
    });
  }
  return lines;
};
