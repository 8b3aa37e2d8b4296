import {
  chatCompletionRequestSchema,
  formatIssuePath,
  knownWorkflow,
  type RouterConfig,
  RouterError,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

export type AdmissionOptions = { config: RouterConfig };

type Issue = NonNullable<
  ReturnType<typeof chatCompletionRequestSchema.safeParse>['error']
>['issues'][number];

const WORKFLOW = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const tooLarge = (max: number) =>
  new RouterError('payload_too_large', `The request body exceeds the limit of ${max} bytes.`);

/** The body as text, refusing to buffer more than `max` bytes whatever `content-length` says. */
const readWithin = async (request: Request, max: number): Promise<string> => {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > max) throw tooLarge(max);
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw invalid('The request body is not valid UTF-8; send JSON encoded as UTF-8.');
    }
  };
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    try {
      text += decode(value);
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw error;
    }
  }
  return text + decode();
};

const invalid = (message: string, param?: string) =>
  new RouterError('invalid_request', message, param === undefined ? {} : { param });

/** OpenAI's wording for the first problem zod found, naming the field as `param`. */
const describe = (issue: Issue): RouterError => {
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

/**
 * Admits a chat request: body size (413), JSON (400 with the parser's reason), message count and
 * the OpenAI schema (400 naming the field as `param`), and a well-formed `x-workflow`. From here
 * on `c.var.workflow` is a workflow the config names, or none: an unconfigured value counts as
 * the `default` class (or is refused, `limits.unknownWorkflow: reject`), so no value a client
 * invents becomes a quota allowance, a budget or an escalation label of its own.
 */
export const admission = ({ config }: AdmissionOptions): MiddlewareHandler<AppEnv> =>
  async function admission(c, next) {
    const { workflow } = c.var;
    if (workflow !== undefined && !WORKFLOW.test(workflow)) {
      throw invalid('x-workflow must be 1-64 lowercase letters, digits, ".", "_" or "-".');
    }
    c.set('workflow', knownWorkflow(config, workflow));
    const raw = await readWithin(c.req.raw, config.limits.maxBodyBytes);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid(`We could not parse the JSON body of your request: ${reason}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw invalid('The request body must be a JSON object.');
    }
    const messages: unknown = Reflect.get(json, 'messages');
    if (Array.isArray(messages) && messages.length > config.limits.maxMessages) {
      throw invalid(
        `Too many messages: ${messages.length}, at most ${config.limits.maxMessages} are allowed.`,
        'messages',
      );
    }
    const parsed = chatCompletionRequestSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw first === undefined ? invalid('The request body is invalid.') : describe(first);
    }
    c.set('rawBody', raw);
    c.set('body', parsed.data);
    await next();
  };
