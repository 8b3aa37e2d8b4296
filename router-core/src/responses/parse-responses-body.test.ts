import { describe, expect, it } from 'vitest';
import { RouterError } from '../errors/router-error.ts';
import { parseResponsesBody } from './parse-responses-body.ts';

const refusal = (body: unknown): { message: string; param: string | null } => {
  try {
    parseResponsesBody(typeof body === 'string' ? body : JSON.stringify(body), { maxMessages: 4 });
  } catch (error) {
    if (!(error instanceof RouterError)) throw error;
    expect(error.status).toBe(400);
    return { message: error.message, param: error.param };
  }
  throw new Error('accepted');
};

describe('a Responses body refused in OpenAI’s words, the field as param', () => {
  it.each([
    [{ input: 'hi' }, "Missing required parameter: 'model'.", 'model'],
    [{ model: 'auto' }, "Missing required parameter: 'input'.", 'input'],
    [{ model: 'auto', input: 5 }, "Invalid type for 'input': expected string or array.", 'input'],
    [
      { model: 'auto', input: [{ role: 'user', content: 5 }] },
      "Invalid type for 'input[0].content': expected string or array.",
      'input[0].content',
    ],
    [
      { model: 'auto', input: [{ type: 'function_call', call_id: 'c', name: 'f' }] },
      "Missing required parameter: 'input[0].arguments'.",
      'input[0].arguments',
    ],
    [
      {
        model: 'auto',
        input: 'x',
        tools: [{ type: 'function', name: 'f', parameters: { type: 'nope' } }],
      },
      expect.stringContaining('is not a JSON Schema type'),
      'tools[0].parameters.type',
    ],
    [
      { model: 'auto', input: 'x', text: { format: { type: 'yaml' } } },
      expect.stringContaining("Invalid value for 'text.format.type'"),
      'text.format.type',
    ],
    [
      { model: 'auto', input: Array.from({ length: 5 }, () => 'x') },
      'Too many input items: 5, at most 4 are allowed.',
      'input',
    ],
    [
      { model: 'auto', input: 'x', conversation: 'conv_1' },
      'Unrecognized request argument supplied: conversation',
      'conversation',
    ],
  ])('case %#', (body, message, param) => {
    expect(refusal(body)).toEqual({ message, param });
  });

  it('refuses a body that is not a JSON object as chat does', () => {
    expect(refusal('[]')).toEqual({
      message: 'The request body must be a JSON object.',
      param: null,
    });
    expect(refusal('{"model":').message).toMatch(/^We could not parse the JSON body/);
  });

  it('refuses an item type it cannot serve at its type', () => {
    expect(refusal({ model: 'auto', input: [{ type: 'web_search_call', id: 'w' }] }).param).toBe(
      'input[0].type',
    );
  });
});
