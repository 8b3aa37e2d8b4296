import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import labelledText from '../../test/data/labelled-prompts.jsonl?raw';
import corpusText from '../../test/data/token-corpus.jsonl?raw';
import { estimateTextTokens } from './estimate-tokens.ts';

type Sample = { kind: string; text: string };
const corpus: Sample[] = corpusText
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Sample);

/** Relative error of the estimate against o200k_base (gpt-tokenizer's default encoding). */
const measure = (samples: Sample[]) =>
  samples.map(({ kind, text }) => {
    const real = encode(text).length;
    const estimate = estimateTextTokens(text);
    return { kind, real, estimate, error: (estimate - real) / real };
  });

const report = (name: string, rows: ReturnType<typeof measure>) => {
  const mean = rows.reduce((sum, r) => sum + Math.abs(r.error), 0) / rows.length;
  const worst = rows.reduce((w, r) => (Math.abs(r.error) > Math.abs(w.error) ? r : w));
  const total = rows.reduce((s, r) => s + r.real, 0);
  const totalEstimate = rows.reduce((s, r) => s + r.estimate, 0);
  console.log(
    `${name}: ${rows.length} texts, mean |error| ${(mean * 100).toFixed(1)} %, worst ${(worst.error * 100).toFixed(1)} % (${worst.kind}), total ${totalEstimate} vs ${total} tokens`,
  );
  return { mean, total, totalEstimate };
};

describe('estimateTextTokens', () => {
  it('is within 15 % of gpt-tokenizer on every text of a varied corpus (prose, code, data, 20 languages)', () => {
    const rows = measure(corpus);
    const { mean, total, totalEstimate } = report('token corpus', rows);
    expect(
      rows
        .filter((r) => Math.abs(r.error) > 0.15)
        .map((r) => `${r.kind} ${(r.error * 100).toFixed(1)} %`),
    ).toEqual([]);
    expect(mean).toBeLessThan(0.06);
    expect(Math.abs(totalEstimate - total) / total).toBeLessThan(0.03);
  });

  it('is within 15 % on every message of the labelled prompts (not used for fitting), 2 % overall', () => {
    const texts = labelledText
      .trim()
      .split('\n')
      .flatMap(
        (line) =>
          (JSON.parse(line) as { request: { messages: { content: unknown }[] } }).request.messages,
      )
      .flatMap((m) =>
        typeof m.content === 'string' ? [{ kind: m.content.slice(0, 40), text: m.content }] : [],
      );
    const all = measure(texts);
    // Below 30 tokens one token is several per cent: those count in the total only.
    const rows = all.filter((r) => r.real >= 30);
    const total = all.reduce((s, r) => s + r.real, 0);
    const totalEstimate = all.reduce((s, r) => s + r.estimate, 0);
    const { mean } = report('labelled prompts (30+ tokens)', rows);
    console.log(
      `labelled prompts, all ${all.length} messages: ${totalEstimate} vs ${total} tokens`,
    );
    expect(rows.filter((r) => Math.abs(r.error) > 0.15).map((r) => r.kind)).toEqual([]);
    expect(mean).toBeLessThan(0.06);
    expect(Math.abs(totalEstimate - total) / total).toBeLessThan(0.02);
  });

  it.each([
    { text: '', tokens: 0 },
    { text: 'hello', tokens: 1 },
    { text: ' 42', tokens: 2 },
    { text: '1234567', tokens: 3 },
    { text: '();\n', tokens: 1 },
    { text: 'Hello, world!', tokens: 4 },
  ])('counts $text as $tokens tokens', ({ text, tokens }) => {
    expect(estimateTextTokens(text)).toBe(tokens);
  });
});
