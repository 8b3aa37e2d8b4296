import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema, classify, decide, type Tier } from '../src/index.ts';
import raw from './data/labelled-prompts.jsonl?raw';
import { exampleConfig, tenantOf } from './example-config.ts';

type Labelled = { label: 'easy' | 'hard'; category: string; request: unknown };
const rows = raw
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Labelled);

const REQUIRED_CATEGORIES = [
  'chit-chat',
  'extraction',
  'short rewrite',
  'translation',
  'summarisation',
  'coding',
  'maths',
  'multi-step reasoning',
  'tool planning',
  'long context',
];

const tenant = tenantOf('demo');
const routed = rows.map((row) => {
  const request = chatCompletionRequestSchema.parse(row.request);
  const classification = classify(request, { config: exampleConfig, tenant });
  const decision = decide({ request, classification, config: exampleConfig, tenant });
  return { ...row, tier: decision.tier, score: classification.score };
});

const count = (label: Labelled['label'], tier: Tier, category?: string) =>
  routed.filter(
    (r) =>
      r.label === label && r.tier === tier && (category === undefined || r.category === category),
  ).length;

describe('the labelled prompt set, with the example config', () => {
  it('has at least 200 prompts of every required category, in a file under 2 MB', () => {
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(new TextEncoder().encode(raw).length).toBeLessThan(2 * 1024 * 1024);
    const categories = new Set(rows.map((r) => r.category));
    expect(REQUIRED_CATEGORIES.filter((c) => !categories.has(c))).toEqual([]);
  });

  it('sends at least 80 % of the hard prompts regional and keeps at least 80 % of the easy ones on the edge', () => {
    const hardRegional = count('hard', 'regional');
    const hardEdge = count('hard', 'edge');
    const easyEdge = count('easy', 'edge');
    const easyRegional = count('easy', 'regional');
    const lines = [
      'confusion matrix (rows: label, columns: tier)',
      `             edge  regional`,
      `  easy  ${String(easyEdge).padStart(8)}  ${String(easyRegional).padStart(8)}`,
      `  hard  ${String(hardEdge).padStart(8)}  ${String(hardRegional).padStart(8)}`,
      `hard → regional ${((100 * hardRegional) / (hardRegional + hardEdge)).toFixed(1)} %, easy → edge ${((100 * easyEdge) / (easyEdge + easyRegional)).toFixed(1)} %`,
      'by category (label: edge / regional):',
      ...[...new Set(rows.map((r) => r.category))].map(
        (category) =>
          `  ${category.padEnd(22)} ${(['easy', 'hard'] as const)
            .map((l) => `${l} ${count(l, 'edge', category)} / ${count(l, 'regional', category)}`)
            .join('   ')}`,
      ),
      'misrouted:',
      ...routed
        .filter((r) => (r.label === 'hard') !== (r.tier === 'regional'))
        .map((r) => `  ${r.label} ${r.category} (score ${r.score})`),
    ];
    console.log(lines.join('\n'));
    // The learned model never saw this set (it was written beside the rules it replaced, and
    // flattered them: 95.6 % / 98.5 %); it measures 86.0 % / 86.1 %. Judged on public sources
    // held out from training instead: router-core/data/SOURCES.md.
    expect(hardRegional / (hardRegional + hardEdge)).toBeGreaterThanOrEqual(0.8);
    expect(easyEdge / (easyEdge + easyRegional)).toBeGreaterThanOrEqual(0.8);
  });
});
