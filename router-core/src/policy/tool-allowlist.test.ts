import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { checkToolPolicy } from './tool-allowlist.ts';

const tenant = {
  tools: { default: ['get_*', 'search_docs'], support: ['refund_order'] },
} as unknown as TenantConfig;

const offering = (...names: string[]): ChatCompletionRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'hi' }],
  tools: names.map((name) => ({ type: 'function' as const, function: { name } })),
});

const refusal = (request: ChatCompletionRequest, workflow: string | undefined) => {
  try {
    checkToolPolicy(request, tenant, workflow);
    return undefined;
  } catch (error) {
    return error instanceof RouterError
      ? { code: error.code, param: error.param, message: error.message }
      : error;
  }
};

describe('the tool allowlist', () => {
  it.each([
    [['get_weather', 'search_docs'], undefined],
    [['refund_order'], 'support'],
    [[], 'chat'],
  ])('lets %j through in workflow %s', (names, workflow) => {
    expect(refusal(offering(...names), workflow)).toBeUndefined();
  });

  it('refuses the first tool outside default plus the workflow, naming it', () => {
    expect(refusal(offering('get_weather', 'refund_order'), 'chat')).toEqual({
      code: 'policy_denied',
      param: 'tools[1].function.name',
      message: "Tool 'refund_order' is not allowed for this API key in workflow 'chat'.",
    });
  });
});
