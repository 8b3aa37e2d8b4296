const encoder = new TextEncoder();

/** One SSE `data:` event, encoded. */
export const sseData = (data: unknown): Uint8Array =>
  encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

/** The terminator OpenAI streams end with. */
export const SSE_DONE = encoder.encode('data: [DONE]\n\n');

/** The chunks of a web stream, releasing (not cancelling) it when the reader stops early. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The `data:` payloads of an SSE byte stream, in order, a batch per read: every event that came
 * complete with those bytes (none when a read ended mid-event). Comments and other fields are
 * skipped. Takes a web stream or any async iterable of bytes (a Node response, without a web
 * stream built around it). A batch costs one step however many events it holds.
 */
export async function* sseDataBatches(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const value of 'getReader' in body ? chunksOf(body) : body) {
    buffer += decoder.decode(value, { stream: true });
    const batch: string[] = [];
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      if (end === start) {
        if (data.length > 0) batch.push(data.length === 1 ? (data[0] as string) : data.join('\n'));
        data = [];
      } else if (buffer.startsWith('data:', start)) {
        data.push(buffer.slice(start + (buffer.charCodeAt(start + 5) === 32 ? 6 : 5), end));
      }
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
    if (batch.length > 0) yield batch;
  }
  if (data.length > 0) yield [data.join('\n')];
}

/** The `data:` payloads of an SSE byte stream, one at a time (`sseDataBatches`, flattened). */
export async function* sseDataLines(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<string> {
  for await (const batch of sseDataBatches(body)) yield* batch;
}
