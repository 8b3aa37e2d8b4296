import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact-pii.ts';

const redact = createRedactor();

describe('audit PII redaction', () => {
  it.each([
    ['mail me at jane.doe+x@example.co.uk please', 'mail me at [redacted:email] please'],
    ['card 4111 1111 1111 1111 exp 12/29', 'card [redacted:card] exp 12/29'],
    ['card 4111-1111-1111-1111', 'card [redacted:card]'],
    ['call +1 (415) 555-0134 now', 'call [redacted:phone] now'],
    ['call 415.555.0134', 'call [redacted:phone]'],
    ['key sk-proj-abcdefghijklmnop1234 leaked', 'key [redacted:api_key] leaked'],
    ['aws AKIAIOSFODNN7EXAMPLE here', 'aws [redacted:aws_key] here'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', '[redacted:aws_key]'],
    ['Authorization: Bearer abc.def.ghijklmnop', 'Authorization: [redacted:bearer]'],
  ])('redacts %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    ['a card-length number that fails Luhn', 'order 4111111111111112'],
    ['a UUID', 'id 123e4567-e89b-12d3-a456-426614174000'],
    ['a hex hash', 'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['an ISO timestamp', 'at 2026-11-23T15:51:05.123Z'],
    ['a short number', 'retry in 30 seconds, 1200 tokens'],
  ])('leaves %s alone', (_name, input) => {
    expect(redact(input)).toBe(input);
  });

  it('walks nested events and applies configured patterns', () => {
    const custom = createRedactor({
      builtins: ['email'],
      custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }],
    });
    expect(custom({ a: ['x@y.io', { b: 'EMP-123456 4111111111111111' }], n: 3 })).toEqual({
      a: ['[redacted:email]', { b: '[redacted:employee_id] 4111111111111111' }],
      n: 3,
    });
  });
});
