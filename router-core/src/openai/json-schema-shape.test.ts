import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from './chat-request.ts';

const withParameters = (parameters: unknown) => ({
  model: 'smart',
  messages: [{ role: 'user', content: 'hi' }],
  tools: [{ type: 'function', function: { name: 'get_weather', parameters } }],
});

const firstIssue = (body: unknown) => {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  return parsed.success ? undefined : parsed.error.issues[0];
};

let deep: unknown = { type: 'string' };
for (let i = 0; i < 200; i++) deep = { type: 'object', properties: { a: deep } };

describe('tool parameters that are not JSON Schema', () => {
  it.each([
    [
      { type: 'nonsense' },
      ['tools', 0, 'function', 'parameters', 'type'],
      /"nonsense" is not a JSON Schema type/,
    ],
    [
      { type: 'object', properties: { a: { type: 5 } } },
      ['tools', 0, 'function', 'parameters', 'properties', 'a', 'type'],
      /5 is not a JSON Schema type/,
    ],
    [
      { type: 'object', properties: [] },
      ['tools', 0, 'function', 'parameters', 'properties'],
      /must be an object of schemas/,
    ],
    [
      { type: 'object', required: 'a' },
      ['tools', 0, 'function', 'parameters', 'required'],
      /array of property names/,
    ],
    [
      { anyOf: { type: 'string' } },
      ['tools', 0, 'function', 'parameters', 'anyOf'],
      /array of schemas/,
    ],
    [
      { type: 'array', items: 'string' },
      ['tools', 0, 'function', 'parameters', 'items'],
      /must be a JSON Schema object/,
    ],
    [deep, ['tools', 0, 'function', 'parameters'], /nests deeper than 64 levels/],
    [
      { type: 'object', default: JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`) },
      ['tools', 0, 'function', 'parameters'],
      /nests deeper than 64 levels/,
    ],
  ])('refuses case %# with the path at fault', (parameters, path, message) => {
    const issue = firstIssue(withParameters(parameters));
    expect(issue?.path).toEqual(path);
    expect(issue?.message).toMatch(message);
  });

  it('accepts ordinary schemas', () => {
    expect(
      firstIssue(
        withParameters({
          type: 'object',
          properties: { city: { type: ['string', 'null'], enum: ['Paris', null] }, n: true },
          required: ['city'],
          additionalProperties: false,
        }),
      ),
    ).toBeUndefined();
  });
});
