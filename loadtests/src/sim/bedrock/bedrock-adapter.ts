import type { ChatAdapter } from '../chat/chat-adapter.ts';
import { bedrockErrors, sendBedrockUnauthorized } from './bedrock-errors.ts';
import { renderConverse } from './converse-format.ts';
import { parseConverse } from './parse-converse.ts';

/** Converse (`stream` false) or ConverseStream for one model id from the path. */
export const bedrockAdapter = (modelId: string, stream: boolean): ChatAdapter => ({
  target: 'bedrock',
  errors: bedrockErrors,
  // The SDK signs with SigV4; the simulator only checks that a signature is there.
  authorized: (req) =>
    typeof req.headers.authorization === 'string' && req.headers.authorization !== '',
  unauthorized: sendBedrockUnauthorized,
  parse: (body) => parseConverse(body, modelId, stream),
  planOptions: () => ({ toolCallIdPrefix: 'tooluse_' }),
  render: renderConverse,
});
