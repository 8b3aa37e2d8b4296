import type { ProviderErrors } from '../chat/chat-adapter.ts';
import { sendJson } from '../http/send-json.ts';
import type { SimResponse } from '../http/sim-http.ts';

/** OpenAI's envelope: `{"error":{"message","type","param","code"}}`. */
export const openAiError = (status: number, message: string) => ({
  error: {
    message,
    type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error',
    param: null,
    code:
      status === 429
        ? 'rate_limit_exceeded'
        : status === 401
          ? 'invalid_api_key'
          : status === 404
            ? 'not_found'
            : null,
  },
});

export const openAiErrors: ProviderErrors = {
  send: (res, status, message, headers) =>
    sendJson(res, status, openAiError(status, message), headers),
  streamFrame: (status, message) => `data: ${JSON.stringify(openAiError(status, message))}\n\n`,
};

export const sendOpenAiUnauthorized = (res: SimResponse): void =>
  openAiErrors.send(
    res,
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
  );
