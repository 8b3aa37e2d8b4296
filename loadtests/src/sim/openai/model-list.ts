import { sendJson } from '../http/send-json.ts';
import type { SimResponse } from '../http/sim-http.ts';

// A fixed creation time keeps the listing byte-for-byte stable.
const CREATED = 1_700_000_000;

/** `GET …/v1/models` in OpenAI's list shape. */
export const sendModelList = (res: SimResponse, ids: readonly string[], ownedBy: string): void =>
  sendJson(res, 200, {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: CREATED, owned_by: ownedBy })),
  });
