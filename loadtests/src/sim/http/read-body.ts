import type { SimRequest } from './sim-http.ts';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type RawBody = { ok: true; value: Buffer } | { ok: false; error: string };

/** Reads a request body whole (bounded in size). */
export const readBody = async (req: SimRequest): Promise<RawBody> => {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return { ok: false, error: 'request body too large' };
      chunks.push(buffer);
    }
  } catch {
    return { ok: false, error: 'request body was cut off' };
  }
  return { ok: true, value: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) };
};
