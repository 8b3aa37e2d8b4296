import type { z } from 'zod';
import { closestName } from './closest-name.ts';

type RawIssue = z.core.$ZodRawIssue;

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
};

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

const SECRET_KEY = /key|secret|token|password|credential/i;

/** Keys a strict object accepts, read from the schema that raised the issue. */
const knownKeys = (issue: RawIssue): string[] => {
  const def = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)
    ?._zod?.def;
  return def?.shape === undefined ? [] : Object.keys(def.shape);
};

/** Messages that say what is wrong and how to fix it; `parseConfig` passes this to zod. */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `missing: add it (${expected})`;
      return `expected ${expected}, got ${describe(issue.input)}`;
    }
    case 'unrecognized_keys': {
      const keys = knownKeys(issue);
      const advice = (key: string): string => {
        if (SECRET_KEY.test(key) && keys.includes('apiKeyEnv')) {
          return 'secrets never live in this file: put the credential in an environment variable and name it with apiKeyEnv';
        }
        const guess = closestName(key, keys);
        return guess === undefined
          ? `remove it (allowed here: ${keys.join(', ')})`
          : `did you mean "${guess}"?`;
      };
      // One key: parseConfig moves it into the path. Several: each is named in the message.
      const [only] = issue.keys;
      if (issue.keys.length === 1 && only !== undefined) return `unknown key: ${advice(only)}`;
      return issue.keys.map((key) => `unknown key "${key}": ${advice(key)}`).join('; ');
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return `must be one of ${values}, got ${describe(issue.input)}`;
    }
    case 'too_small': {
      if (issue.origin === 'array') {
        return `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      }
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, got ${describe(issue.input)}`;
    }
    case 'too_big': {
      if (issue.origin === 'array') return `allows at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${describe(issue.input)}`;
    }
    case 'invalid_format': {
      if (issue.format === 'url') {
        return `must be an http(s) URL such as https://api.example.com/v1, got ${describe(issue.input)}`;
      }
      // Regex checks carry their own fix-it message in the schema.
      return undefined;
    }
    case 'invalid_union':
      return `expected a tier (edge, regional) or a model id, got ${describe(issue.input)}`;
    default:
      return undefined;
  }
};
