import type { ProviderErrors } from '../chat/chat-adapter.ts';
import { sendJson } from '../http/send-json.ts';
import type { SimResponse } from '../http/sim-http.ts';
import { openAiErrors } from '../openai/openai-errors.ts';

// Cloudflare API error codes Workers AI answers with (approximations for the simulated cases).
const cfCode = (status: number): number => {
  if (status === 401 || status === 403) return 10000;
  if (status === 404) return 7000;
  if (status === 429) return 3040;
  if (status >= 500) return 3043;
  return 5006;
};

/** Cloudflare's API envelope: `{result:null, success:false, errors:[{code,message}], messages:[]}`. */
export const cfError = (status: number, message: string) => ({
  result: null,
  success: false,
  errors: [{ code: cfCode(status), message }],
  messages: [],
});

/** HTTP errors in Cloudflare's envelope; in-stream errors as an OpenAI-style `data: {"error":…}`. */
export const cfErrors: ProviderErrors = {
  send: (res, status, message, headers) => sendJson(res, status, cfError(status, message), headers),
  streamFrame: openAiErrors.streamFrame,
};

export const sendCfUnauthorized = (res: SimResponse): void =>
  cfErrors.send(res, 401, 'Authentication error');
