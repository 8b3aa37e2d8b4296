import { describe, expect, it } from 'vitest';
import { codeSignal, mathSignal, SIGNAL_MARKS } from './punctuation-signals.ts';

describe('SIGNAL_MARKS', () => {
  it('holds every ASCII mark that can say code or maths, so the scanner may skip the others', () => {
    const contexts = ['x', '1', ' ', '(', ')', '=', '>', '-', ':', '&', '|', '`', ';', '\n', 'ab'];
    const speaking: number[] = [];
    for (let c = 0; c < 128; c++) {
      const mark = String.fromCharCode(c);
      const says = contexts.some((before) =>
        contexts.some((after) => {
          const text = `${before}${mark}${after}`;
          const i = before.length;
          const prev = text.charCodeAt(i - 1);
          const next = text.charCodeAt(i + 1);
          return (
            codeSignal(text, i, c, prev, next) !== 0 || mathSignal(text, i, c, prev, next) !== 0
          );
        }),
      );
      if (says) speaking.push(c);
    }
    expect(speaking.filter((c) => SIGNAL_MARKS[c] !== 1)).toEqual([]);
  });
});
