import type * as z from 'zod';
import type { RouterConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import { describeIssue, parseJsonObject } from '../openai/parse-chat-body.ts';
import { type ResponsesRequest, responsesRequestSchema } from './responses-request.ts';

/**
 * The issue a client can act on: inside a union (`input` as a string or items, a message's
 * content as a string or parts), the branch that got furthest, when exactly one did, with its
 * path made whole; else the union itself.
 */
const deepestIssue = (issue: z.core.$ZodIssue): z.core.$ZodIssue => {
  if (issue.code !== 'invalid_union') return issue;
  const deeper = issue.errors.filter((branch) => branch.some((sub) => sub.path.length > 0));
  const inner = deeper.length === 1 ? deeper[0]?.[0] : undefined;
  if (inner === undefined) return issue;
  return deepestIssue({ ...inner, path: [...issue.path, ...inner.path] });
};

/**
 * The body as a validated Responses request, the same at both doors: JSON and an object (as
 * chat's), the item count against `limits.maxMessages` (before the schema), then the schema,
 * refused in OpenAI's wording with the field as `param`.
 */
export const parseResponsesBody = (
  text: string,
  limits: Pick<RouterConfig['limits'], 'maxMessages'>,
): ResponsesRequest => {
  const json = parseJsonObject(text);
  const input: unknown = Reflect.get(json, 'input');
  if (Array.isArray(input) && input.length > limits.maxMessages) {
    throw new RouterError(
      'invalid_request',
      `Too many input items: ${input.length}, at most ${limits.maxMessages} are allowed.`,
      { param: 'input' },
    );
  }
  const parsed = responsesRequestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  if (input === undefined && first?.path.join('.') === 'input') {
    throw new RouterError('invalid_request', "Missing required parameter: 'input'.", {
      param: 'input',
    });
  }
  throw first === undefined
    ? new RouterError('invalid_request', 'The request body is invalid.')
    : describeIssue(deepestIssue(first));
};
