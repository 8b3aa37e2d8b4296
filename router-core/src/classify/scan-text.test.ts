import { describe, expect, it } from 'vitest';
import corpusText from '../../test/data/token-corpus.jsonl?raw';
import { scanText } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

const scan = (text: string, weight = 1): TextStats => {
  const stats = new TextStats();
  scanText(text, stats, weight);
  return stats;
};

describe('scanText: PII-looking spans', () => {
  it.each([
    { name: 'an email address', text: 'Mail jane.doe+news@mail.example.co.uk today.', pii: 1 },
    { name: 'an @mention is not an email', text: 'Thanks @jane, see you at 5.', pii: 0 },
    { name: 'a US phone number with separators', text: 'Call (415) 555-0132 after lunch.', pii: 1 },
    { name: 'an international phone number', text: 'Ring +44 20 7946 0958 please', pii: 1 },
    {
      name: 'a card number that passes Luhn',
      text: 'Card: 4111 1111 1111 1111, exp 12/29',
      pii: 1,
    },
    { name: 'sixteen digits that fail Luhn', text: 'Ref 4111 1111 1111 1112 only', pii: 0 },
    { name: 'a social security number', text: 'SSN 078-05-1120 on file', pii: 1 },
    { name: 'a date', text: 'Due 2024-05-01, paid 2024-05-03.', pii: 0 },
    { name: 'a plain long id without separators', text: 'Order 1234567890123 shipped', pii: 0 },
    { name: 'prices and quantities', text: 'Buy 12 for 3.50 each, 42 total', pii: 0 },
    { name: 'two emails and a phone', text: 'a@b.io, c@d.org or 555-123-4567 ext 2', pii: 3 },
  ])('$name: $pii', ({ text, pii }) => {
    expect(scan(text).pii).toBe(pii);
  });
});

describe('scanText: cues', () => {
  it.each([
    {
      name: 'single words',
      text: 'Please analyze and justify this.',
      field: 'reasoning',
      value: 2,
    },
    {
      name: 'a pair across a hyphen',
      text: 'What are the trade-offs?',
      field: 'reasoning',
      value: 1,
    },
    { name: 'case does not matter', text: 'ANALYZE', field: 'reasoning', value: 1 },
    {
      name: 'a prefix of a cue is not the cue',
      text: 'analyzer analyzes',
      field: 'reasoning',
      value: 0,
    },
    { name: 'simple-task verbs', text: 'Translate and summarise', field: 'simpleTask', value: 2 },
    {
      name: 'enumerated lines',
      text: 'Do this:\n1. a\n2. b\n3) c',
      field: 'multiStep',
      value: 1.05,
    },
    { name: 'maths notation', text: 'f(x) = 3x^2 + 2', field: 'math', value: 0.95 },
    { name: 'code syntax', text: 'const x = () => {\n  return y;\n}', field: 'code', value: 1.9 },
  ] as const)('$name', ({ text, field, value }) => {
    expect(scan(text)[field]).toBeCloseTo(value, 6);
  });

  it('weights cues by where the text sits', () => {
    expect(scan('analyze', 0.25).reasoning).toBeCloseTo(0.25, 6);
  });
});

describe('scanText: scripts and languages', () => {
  it.each([
    { name: 'English', text: 'The cat is on the mat and it is happy.', english: 7, foreign: 0 },
    {
      name: 'Spanish',
      text: 'El gato está en la casa y los perros están por el jardín con su dueño.',
      english: 0,
      foreign: 5.3,
    },
    {
      name: 'German',
      text: 'Der Hund und die Katze sind nicht auf dem Dach, sondern in der Küche.',
      english: 0,
      foreign: 7,
    },
  ])(
    'recognises $name function words (and letters such as ñ, at 0.3)',
    ({ text, english, foreign }) => {
      const stats = scan(text);
      expect(stats.englishWords).toBe(english);
      expect(stats.foreignWords).toBeCloseTo(foreign, 6);
    },
  );

  it('counts letters of other scripts apart from Latin ones', () => {
    const stats = scan('Hello мир 世界');
    expect([stats.latinLetters, stats.otherLetters]).toEqual([5, 5]);
  });

  it('stays linear on pathological input (no backtracking)', () => {
    // A megabyte of "@@@…", digit soup and one huge word: each would hurt a backtracking regex.
    for (const text of ['@'.repeat(1_000_000), '1-'.repeat(500_000), 'a'.repeat(1_000_000)]) {
      expect(scan(text).tokens).toBeGreaterThan(0);
    }
  });
});

describe('scanText: a range of a text', () => {
  const texts = corpusText
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const counts = (stats: TextStats) => {
    const { tokens, words, latinLetters, otherLetters, englishWords, foreignWords } = stats;
    return { tokens, words, latinLetters, otherLetters, englishWords, foreignWords };
  };

  it('reads text[start, end) as it would read that slice: same tokens, words, letters, function words', () => {
    for (const text of texts) {
      for (const [start, end] of [
        [0, text.length],
        [Math.floor(text.length / 3), text.length],
        [0, Math.floor(text.length / 2)],
        [Math.floor(text.length / 4), Math.floor((3 * text.length) / 4)],
      ] as const) {
        const range = new TextStats();
        scanText(text, range, 1, start, end);
        expect(counts(range)).toEqual(counts(scan(text.slice(start, end))));
      }
    }
  });
});
