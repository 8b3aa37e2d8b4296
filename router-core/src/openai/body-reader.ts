import { RouterError } from '../errors/router-error.ts';

const tooLarge = (max: number) =>
  new RouterError('payload_too_large', `The request body exceeds the limit of ${max} bytes.`);

/** A request body read chunk by chunk, without I/O: each door feeds it what its runtime reads. */
export type BodyReader = {
  /** Takes the next chunk; throws 413 as soon as the body passes the limit. */
  push(chunk: Uint8Array): void;
  /** The whole body as text; 400 if it is not UTF-8. */
  end(): string;
};

/**
 * The one body reader of both doors: a declared `content-length` over `maxBytes` is refused up
 * front, a body that grows past it as soon as it does (whatever it declared), and the bytes are
 * decoded as strict UTF-8 as they come.
 */
export const createBodyReader = (
  maxBytes: number,
  contentLength: string | null | undefined,
): BodyReader => {
  const declared = Number(contentLength ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new RouterError(
        'invalid_request',
        'The request body is not valid UTF-8; send JSON encoded as UTF-8.',
      );
    }
  };
  let size = 0;
  let text = '';
  return {
    push(chunk) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      text += decode(chunk);
    },
    end: () => text + decode(),
  };
};
