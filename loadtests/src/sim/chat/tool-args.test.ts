import { describe, expect, it } from 'vitest';
import { sampleArguments } from './tool-args.ts';

describe('sample tool arguments', () => {
  it('fills required parameters by JSON-Schema type and leaves optional ones out', () => {
    expect(
      sampleArguments({
        type: 'object',
        properties: {
          name: { type: 'string' },
          count: { type: 'integer', minimum: 3 },
          ratio: { type: 'number' },
          on: { type: 'boolean' },
          tags: { type: 'array', items: { type: 'string' } },
          unit: { type: 'string', enum: ['c', 'f'] },
          maybe: { type: ['null', 'string'] },
          where: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
          optional: { type: 'string' },
        },
        required: ['name', 'count', 'ratio', 'on', 'tags', 'unit', 'maybe', 'where'],
      }),
    ).toEqual({
      name: 'sample',
      count: 3,
      ratio: 1,
      on: true,
      tags: [],
      unit: 'c',
      maybe: 'sample',
      where: { city: 'sample' },
    });
  });

  it('answers {} without a schema or required list', () => {
    expect(sampleArguments(undefined)).toEqual({});
    expect(sampleArguments({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({});
  });
});
