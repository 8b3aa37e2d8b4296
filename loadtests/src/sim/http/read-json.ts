import type { SimRequest } from './sim-http.ts';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; error: string };

/** Reads and parses a JSON request body (bounded in size). */
export const readJson = async (req: SimRequest): Promise<JsonBody> => {
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
  if (size === 0) return { ok: false, error: 'request body is empty; expected JSON' };
  try {
    const text =
      chunks.length === 1
        ? (chunks[0] as Buffer).toString('utf8')
        : Buffer.concat(chunks).toString('utf8');
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'request body is not valid JSON' };
  }
};
