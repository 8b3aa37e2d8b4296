import { RouterError } from '@switchback/router-core';

const tooLarge = (maxBytes: number): RouterError =>
  new RouterError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);

const tooSlow = (ms: number): RouterError =>
  new RouterError(
    'invalid_request',
    `The request body did not arrive within ${Math.round(ms)} ms; send the whole body at once.`,
  );

/**
 * The body as text, read no further than `maxBytes`: an oversized body is refused by its
 * `content-length` up front, or as soon as the stream passes the limit. A body still arriving
 * after `timeoutMs` is refused too, so a client trickling bytes cannot hold the request open.
 */
export const readBodyText = async (
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<string> => {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(timeoutMs)), Math.max(0, timeoutMs));
  });
  late.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      parts.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    throw new RouterError(
      'invalid_request',
      'The request body is not valid UTF-8; send JSON encoded as UTF-8.',
    );
  }
};
