import { type ChatCompletion, UpstreamError } from '@switchback/router-core';
import type { ChatCompletionChunk as SdkChunk } from 'openai/resources/chat/completions';
import { createCompletionAssembler } from '../serving/completion-assembler.ts';
import { toChunk } from './openai-wire.ts';

// A key `"error":` can only be the event's own: inside strings quotes are escaped.
const ERROR_KEY = /"error":/;

/**
 * A whole answer folded from its SSE events in order: an event parsed whole (`parsed`), or one
 * whose only content is text read off its bytes (`plain`, then its text through `text`). The
 * upstream's failures (an error event, nothing sent, no finish reason) are thrown as before.
 */
export const createAnswerFold = (id: string) => {
  const assembler = createCompletionAssembler();
  let events = 0;
  let finished = false;
  return {
    /** No event folded yet (the first is parsed: the answer's id, model and created are in it). */
    get empty(): boolean {
      return events === 0;
    },
    parsed(data: string): void {
      const error = ERROR_KEY.test(data)
        ? (JSON.parse(data) as { error?: { message?: string } }).error
        : undefined;
      if (error !== undefined) {
        throw new UpstreamError(
          events > 0 ? 'mid_stream' : 'server',
          id,
          `${id} sent an error event: ${error.message ?? 'unknown error'}`,
        );
      }
      const chunk = toChunk(JSON.parse(data) as SdkChunk);
      if (chunk.choices.some((choice) => choice.finish_reason !== null)) finished = true;
      assembler.add(chunk);
      events++;
    },
    /** An event with nothing but choice 0's text (or nothing): its text comes through `text`. */
    plain(): void {
      events++;
    },
    /** The text of plain events, in order with the parsed ones. */
    text(text: string): void {
      assembler.addText(text);
    },
    result(): ChatCompletion {
      if (events === 0) throw new UpstreamError('server', id, `${id} answered an empty stream.`);
      // A stream that closes without a finish reason was cut short, however politely.
      if (!finished) {
        throw new UpstreamError(
          'mid_stream',
          id,
          `${id} ended its stream without finishing the answer.`,
        );
      }
      return assembler.result();
    },
  };
};

export type AnswerFold = ReturnType<typeof createAnswerFold>;
