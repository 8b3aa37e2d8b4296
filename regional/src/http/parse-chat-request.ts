import {
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  formatIssuePath,
  type RouterConfig,
  RouterError,
} from '@switchback/router-core';

/**
 * The body as a validated chat request, or a 400 whose message and `param` name the first field
 * at fault (`messages[1].role: …`), as OpenAI's own errors do.
 */
export const parseChatRequest = (
  text: string,
  limits: RouterConfig['limits'],
): ChatCompletionRequest => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RouterError('invalid_request', 'The request body is not valid JSON.');
  }
  const parsed = chatCompletionRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? formatIssuePath(issue.path) : '(root)';
    const detail =
      issue?.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : (issue?.message ?? 'invalid');
    throw new RouterError('invalid_request', `Invalid request: ${param}: ${detail}.`, {
      param: param === '(root)' ? undefined : param,
    });
  }
  if (parsed.data.messages.length > limits.maxMessages) {
    throw new RouterError(
      'invalid_request',
      `Invalid request: messages: at most ${limits.maxMessages} messages are accepted.`,
      { param: 'messages' },
    );
  }
  return parsed.data;
};
