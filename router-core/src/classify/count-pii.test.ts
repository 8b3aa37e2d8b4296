import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countPii } from './count-pii.ts';
import { scanText } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

const scannedPii = (text: string): number => {
  const stats = new TextStats();
  scanText(text, stats, 1);
  return stats.pii;
};

/** Pieces that make digit spans, emails and near misses when strung together. */
const PIECES = [
  '0',
  '4',
  '7',
  '9',
  '415',
  '4111',
  '1111',
  '078',
  '05',
  '1120',
  ' ',
  '-',
  '(',
  ')',
  ') ',
  '+',
  '+44 ',
  '.',
  '@',
  'a',
  'jane',
  '_x',
  'b.io',
  'mail.example.com',
  '\n',
  ',',
  'é',
  '世',
];

describe('countPii', () => {
  it.each([
    { text: 'Mail jane.doe+news@mail.example.co.uk today.', pii: 1 },
    { text: 'Call (415) 555-0132 after lunch.', pii: 1 },
    { text: 'Ring +44 20 7946 0958 please', pii: 1 },
    { text: 'Card: 4111 1111 1111 1111, exp 12/29', pii: 1 },
    { text: 'Ref 4111 1111 1111 1112 only', pii: 0 },
    { text: 'SSN 078-05-1120 on file', pii: 1 },
    { text: 'Due 2024-05-01, paid 2024-05-03.', pii: 0 },
    { text: 'a@b.io, c@d.org or 555-123-4567 ext 2', pii: 3 },
    { text: 'digits 1 2 3 4 5 6 7 8 9 0 spaced out', pii: 1 },
  ])('finds $pii in "$text", as the scanner does', ({ text, pii }) => {
    expect(countPii(text)).toBe(pii);
    expect(scannedPii(text)).toBe(pii);
  });

  it('counts exactly what a full scan counts, for any string of digits, marks and letters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((p) => p.join('')),
        (text) => {
          expect(countPii(text)).toBe(scannedPii(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('counts exactly what a full scan counts, wherever spans fall among words and spaces', () => {
    const words = fc.constantFrom(
      'the ',
      'ring ',
      'card ',
      '  ',
      'call me at ',
      '(',
      ')',
      '-',
      '+1 ',
      '\n',
    );
    const digits = fc.stringMatching(/^[0-9]{1,5}$/);
    fc.assert(
      fc.property(fc.array(fc.oneof(words, digits), { maxLength: 120 }), (pieces) => {
        const text = pieces.join('');
        expect(countPii(text)).toBe(scannedPii(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('stays linear on digit soup and runs of "@"', () => {
    expect(countPii('1-'.repeat(200_000))).toBe(scannedPii('1-'.repeat(200_000)));
    expect(countPii('a@'.repeat(200_000))).toBe(0);
  });
});
