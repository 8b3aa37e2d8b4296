import { readBody } from './read-body.ts';
import type { SimRequest } from './sim-http.ts';

export type JsonBody = { ok: true; value: unknown } | { ok: false; error: string };

/** Reads and parses a JSON request body (bounded in size). */
export const readJson = async (req: SimRequest): Promise<JsonBody> => {
  const body = await readBody(req);
  if (!body.ok) return body;
  if (body.value.length === 0) return { ok: false, error: 'request body is empty; expected JSON' };
  try {
    return { ok: true, value: JSON.parse(body.value.toString('utf8')) };
  } catch {
    return { ok: false, error: 'request body is not valid JSON' };
  }
};
