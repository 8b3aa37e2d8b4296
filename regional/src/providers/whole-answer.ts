import type { ChatCompletion } from '@switchback/router-core';
import { createAnswerFold } from './answer-fold.ts';
import type { UpstreamReply } from './http/pooled-fetch.ts';
import { foldPlainAnswer } from './plain-answer.ts';

/** The `data:` payloads of a whole SSE body, in order (comments and other fields skipped). */
export const sseDataOf = (text: string): string[] => {
  const events: string[] = [];
  let data: string[] = [];
  let start = 0;
  while (start < text.length) {
    let newline = text.indexOf('\n', start);
    if (newline === -1) newline = text.length;
    const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    if (end === start) {
      if (data.length > 0) events.push(data.length === 1 ? (data[0] as string) : data.join('\n'));
      data = [];
    } else if (text.startsWith('data:', start)) {
      data.push(text.slice(start + (text.charCodeAt(start + 5) === 32 ? 6 : 5), end));
    }
    start = newline + 1;
  }
  if (data.length > 0) events.push(data.join('\n'));
  return events;
};

const NEWLINE = 10;

/** Whether the body's first bytes hold a whole event: a `data:` line, then the blank line after. */
const holdsAnEvent = (head: Buffer): boolean => {
  for (let at = head.indexOf('data:'); at !== -1; at = head.indexOf('data:', at + 5)) {
    if (at > 0 && head[at - 1] !== NEWLINE) continue;
    if (head.indexOf('\n\n', at) !== -1 || head.indexOf('\n\r\n', at) !== -1) return true;
  }
  return false;
};
/** A whole SSE body folded event by event, every event parsed (any form SSE allows). */
export const foldParsedAnswer = (text: string, id: string): ChatCompletion => {
  const fold = createAnswerFold(id);
  for (const data of sseDataOf(text)) {
    if (data === '[DONE]') break;
    fold.parsed(data);
  }
  return fold.result();
};

/**
 * A non-streamed answer read off the upstream's stream in one piece: the body is collected as it
 * comes (Node's events, no async iterator or chunk object per read), `onFirstEvent` is told when
 * its first whole event arrived (what the TTFT deadline waits for, as it waits for a stream's
 * first chunk), then folded into the completion: off its bytes where it is in the common form
 * (plain-answer.ts: only the events that are more than text are parsed), else every event parsed.
 */
export const readWholeAnswer = async (
  reply: UpstreamReply,
  options: { id: string; onFirstEvent: () => void },
): Promise<ChatCompletion> => {
  const { id } = options;
  // The bytes before the first whole event, looked at undecoded; usually the first read has it.
  let head: Buffer | undefined;
  let first = false;
  // The body ends with `[DONE]` or the connection's end: either way the connection can be reused.
  const body = await reply.collect((chunk) => {
    if (first) return;
    head = head === undefined ? chunk : Buffer.concat([head, chunk]);
    if (!holdsAnEvent(head)) return;
    first = true;
    head = undefined;
    options.onFirstEvent();
  });
  return foldPlainAnswer(body, id) ?? foldParsedAnswer(body.toString('utf8'), id);
};
