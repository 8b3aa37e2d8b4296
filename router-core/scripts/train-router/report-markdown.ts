// Writes the trainer's figures as markdown tables (router-core/data/EVALUATION.md).
import type { Rung } from '../../src/routing/tiers.ts';

export type Tally = { rows: number; right: number };
/** Rows served on each rung of the edge ladder. */
export type RungCounts = Record<Rung, number>;
export type Figures = {
  hardToRegional: Tally;
  easyToEdge: Tally;
  /** Where each label's rows were served, rung by rung (the edge ladder's three-way split). */
  rungs: { hard: RungCounts; easy: RungCounts };
  perCategory: Record<string, Tally>;
};

const pct = (t: Tally): string =>
  t.rows === 0 ? '—' : `${((100 * t.right) / t.rows).toFixed(1)} % (${t.right} / ${t.rows})`;

const sourceTable = (title: string, rows: Record<string, Figures>): string[] => [
  `| ${title} | hard → regional | easy → edge |`,
  '| --- | --- | --- |',
  ...Object.entries(rows).map(
    ([id, f]) => `| ${id} | ${pct(f.hardToRegional)} | ${pct(f.easyToEdge)} |`,
  ),
];

/** One label's rows as shares of each rung, in the order given ("—" without rows). */
const split = (counts: RungCounts, order: readonly Rung[]): string => {
  const total = order.reduce((n, rung) => n + counts[rung], 0);
  if (total === 0) return '—';
  return order.map((rung) => `${((100 * counts[rung]) / total).toFixed(1)} %`).join(' · ');
};

/** The edge ladder's three-way split: where each label's rows were served. */
const rungTable = (rows: Record<string, Figures>): string[] => [
  '| source | hard: regional · large edge · fast edge | easy: fast edge · large edge · regional |',
  '| --- | --- | --- |',
  ...Object.entries(rows).map(
    ([id, f]) =>
      `| ${id} | ${split(f.rungs.hard, ['regional', 'large', 'fast'])} | ${split(f.rungs.easy, ['fast', 'large', 'regional'])} |`,
  ),
];

const categoryTable = (rows: Record<string, Figures>): string[] => [
  '| source / category | right (hard: sent regional; easy: kept on the edge) |',
  '| --- | --- |',
  ...Object.values(rows).flatMap((f) =>
    Object.entries(f.perCategory)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, t]) => `| ${key} | ${pct(t)} |`),
  ),
];

export type Report = {
  holdout: { all: Figures; perSource: Record<string, Figures> };
  testSplit: { all: Figures; perSource: Record<string, Figures> };
  ownLabelledSet: Figures;
  leaveOneSourceOut?: Record<string, Figures>;
  /** Probe sources (role `probe`), when their snapshots were there. */
  probes?: Record<string, Figures>;
};

export const reportMarkdown = (report: Report, threshold: number): string =>
  [
    '# How the learned classifier routes prompts it was not trained on',
    '',
    `Written by \`npm run train:router\`; every figure is the router's decision (classify + decide with`,
    `router.config.yaml, tenant \`demo\`, regional threshold ${threshold}) on one prompt sent as a single user turn.`,
    'Sources, licences and labels: [SOURCES.md](SOURCES.md).',
    '',
    '## Held-out sources (never trained or tuned on)',
    '',
    ...sourceTable('source', {
      'all held-out sources': report.holdout.all,
      ...report.holdout.perSource,
    }),
    '',
    '## Held-out sources by rung of the edge ladder',
    '',
    'With a large edge model configured, a medium score (at or above `classification.largeThreshold`)',
    "is served by it rather than by the small fast model: the hard rows' last column is what the",
    'small model is left to answer.',
    '',
    ...rungTable({ 'all held-out sources': report.holdout.all, ...report.holdout.perSource }),
    '',
    '## Held-out test split (a fifth of each training source, never fitted)',
    '',
    ...sourceTable('source', {
      'all training sources': report.testSplit.all,
      ...report.testSplit.perSource,
    }),
    '',
    ...(report.leaveOneSourceOut === undefined
      ? []
      : [
          '## Leave one source out (a model fitted on every other training source, judged on the one left out)',
          '',
          "A held-out source's row is the shipped model's: it is never trained on anyway.",
          '',
          ...sourceTable('left out', report.leaveOneSourceOut),
          '',
        ]),
    ...(report.probes === undefined || Object.keys(report.probes).length === 0
      ? []
      : [
          '## Probe sources (never trained on; apart from the held-out figures above)',
          '',
          'Candidates of earlier stops, kept as a second check (SOURCES.md, "Stop 27"): the shipped model\'s',
          'verdict on each.',
          '',
          ...sourceTable('source', report.probes),
          '',
        ]),
    "## The project's own labelled set (a smoke test: written beside the old rules)",
    '',
    ...sourceTable('set', { 'test/data/labelled-prompts.jsonl': report.ownLabelledSet }),
    '',
    '## Per category, held-out sources',
    '',
    ...categoryTable(report.holdout.perSource),
    '',
  ].join('\n');
