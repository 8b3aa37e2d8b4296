import type { ResponsesEvent } from './responses-to-chat.ts';

/**
 * The typed events of a Responses SSE body (`event:` and `data:` lines, a blank line between
 * events), each `data` parsed; the `event:` line repeats the data's `type` and is not needed.
 */
export async function* responsesEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ResponsesEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const frames = buffered.split(/\r?\n\r?\n/);
      buffered = done ? '' : (frames.pop() ?? '');
      for (const frame of frames) {
        const data = frame
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data !== '' && data !== '[DONE]') yield JSON.parse(data) as ResponsesEvent;
      }
      if (done) return;
    }
  } finally {
    // A reader that stops early (the router gave up on the answer) drops the upstream's body.
    await reader.cancel().catch(() => {});
  }
}
