import type * as z from 'zod';
import { formatIssuePath } from '../config/issue-path.ts';
import type { RouterConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import { type ChatCompletionRequest, chatCompletionRequestSchema } from './chat-request.ts';

type Issue = z.core.$ZodIssue;

const invalid = (message: string, param?: string) =>
  new RouterError('invalid_request', message, param === undefined ? {} : { param });

/** OpenAI's wording for the first problem zod found, naming the field as `param`. */
export const describeIssue = (issue: Issue): RouterError => {
  const param = formatIssuePath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const name = issue.path.length === 0 ? key : `${param}.${key}`;
      return invalid(`Unrecognized request argument supplied: ${issue.keys.join(', ')}`, name);
    }
    case 'invalid_type':
      return issue.message.endsWith('received undefined')
        ? invalid(`Missing required parameter: '${param}'.`, param)
        : invalid(`Invalid type for '${param}': expected ${issue.expected}.`, param);
    case 'invalid_union': {
      const expected = issue.errors.flatMap((branch) =>
        branch.flatMap((sub) =>
          sub.code === 'invalid_type' && sub.path.length === 0 ? [sub.expected] : [],
        ),
      );
      if (expected.length > 0 && expected.length === issue.errors.length) {
        return invalid(`Invalid type for '${param}': expected ${expected.join(' or ')}.`, param);
      }
      return invalid(`Invalid value for '${param}': ${issue.message}.`, param);
    }
    default:
      return invalid(`Invalid value for '${param}': ${issue.message}.`, param);
  }
};

/** The body as a JSON object, or 400 with the parser's reason (the same at every endpoint). */
export const parseJsonObject = (text: string): object => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(`We could not parse the JSON body of your request: ${reason}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('The request body must be a JSON object.');
  }
  return json;
};

/**
 * The body as a validated chat request, the same at both doors: JSON (400 with the parser's
 * reason), an object, the message count (before the schema: a huge array is refused unread),
 * then the OpenAI schema (400 in OpenAI's wording, the field as `param`).
 */
export const parseChatBody = (
  text: string,
  limits: Pick<RouterConfig['limits'], 'maxMessages'>,
): ChatCompletionRequest => {
  const json = parseJsonObject(text);
  const messages: unknown = Reflect.get(json, 'messages');
  if (Array.isArray(messages) && messages.length > limits.maxMessages) {
    throw invalid(
      `Too many messages: ${messages.length}, at most ${limits.maxMessages} are allowed.`,
      'messages',
    );
  }
  const parsed = chatCompletionRequestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw first === undefined ? invalid('The request body is invalid.') : describeIssue(first);
  }
  return parsed.data;
};
