import type { ProviderErrors } from '../chat/chat-adapter.ts';
import { sendJson } from '../http/send-json.ts';
import type { SimResponse } from '../http/sim-http.ts';
import { eventStreamException } from './event-stream.ts';

/** The Bedrock runtime exception a status maps to (names as the SDK's error classes). */
export const bedrockErrorType = (status: number): string => {
  switch (status) {
    case 400:
      return 'ValidationException';
    case 403:
      return 'AccessDeniedException';
    case 404:
      return 'ResourceNotFoundException';
    case 408:
      return 'ModelTimeoutException';
    case 424:
      return 'ModelErrorException';
    case 429:
      return 'ThrottlingException';
    case 503:
      return 'ServiceUnavailableException';
    default:
      return status >= 500 ? 'InternalServerException' : 'ValidationException';
  }
};

/** ConverseStream's exception events: the union member names (lower camel case). */
const streamExceptionType = (status: number): string => {
  switch (status) {
    case 400:
      return 'validationException';
    case 429:
      return 'throttlingException';
    case 503:
      return 'serviceUnavailableException';
    case 424:
      return 'modelStreamErrorException';
    default:
      return 'internalServerException';
  }
};

/** HTTP errors as AWS sends them: the type in `x-amzn-errortype`, `{"message":…}` as the body. */
export const bedrockErrors: ProviderErrors = {
  send: (res, status, message, headers) =>
    sendJson(
      res,
      status,
      { message },
      {
        'x-amzn-errortype': `${bedrockErrorType(status)}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        ...headers,
      },
    ),
  streamFrame: (status, message) => eventStreamException(streamExceptionType(status), { message }),
};

export const sendBedrockUnauthorized = (res: SimResponse): void =>
  bedrockErrors.send(res, 403, 'Missing Authentication Token');
