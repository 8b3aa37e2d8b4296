import { RouterError } from '@switchback/router-core';

const tooLarge = (maxBytes: number): RouterError =>
  new RouterError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);

/**
 * The body as text, read no further than `maxBytes`: an oversized body is refused by its
 * `content-length` up front, or as soon as the stream passes the limit.
 */
export const readBodyText = async (request: Request, maxBytes: number): Promise<string> => {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(parts));
};
