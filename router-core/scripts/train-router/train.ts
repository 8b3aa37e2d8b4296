// `node router-core/scripts/train-router/train.ts [--corpus FILE] [--no-write]`: trains the
// learned text model on the corpus `collect.ts` wrote and judges it.
// - Held-out sources (role `holdout` in sources.ts): never trained or tuned on; the shipped model
//   is judged on them with the real classifier and the example config's threshold.
// - A held-out test split: a fifth of every training source's rows (by a stable hash of the
//   text), never fitted.
// - Leave one source out: for every source, a model fitted on all the others' training rows,
//   judged on that source.
// Writes router-core/src/classify/learned/weights.ts and router-core/data/evaluation.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { classifyWith } from '../../src/classify/classify.ts';
import { cueValues } from '../../src/classify/feature-values.ts';
import { MAX_FEATURES } from '../../src/classify/learned/hash-features.ts';
import { denseValues, hashAsk, type TextModel } from '../../src/classify/learned/text-model.ts';
import { extractFeatures } from '../../src/classify/request-features.ts';
import { parseConfig, type RouterConfig } from '../../src/index.ts';
import type { ChatCompletionRequest } from '../../src/openai/chat-request.ts';
import { decide, rungOf } from '../../src/routing/decide.ts';
import { RUNGS, type Rung } from '../../src/routing/tiers.ts';
import { type CorpusRow, stableHash } from './collect.ts';
import { DEFAULT_FIT, type Example, type FitOptions, fit, quantise } from './logistic.ts';
import {
  type Figures,
  type Report,
  type RungCounts,
  reportMarkdown,
  type Tally,
} from './report-markdown.ts';
import { SOURCES } from './sources.ts';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'router-core/data/.cache/corpus.jsonl' },
    'no-write': { type: 'boolean', default: false },
    'skip-loso': { type: 'boolean', default: false },
    // Tuning: leave-one-source-out over the training sources only, their means; nothing else.
    tune: { type: 'boolean', default: false },
  },
});

const parsed = parseConfig(parse(readFileSync('router.config.yaml', 'utf8')));
if (!parsed.ok) throw new Error('router.config.yaml is invalid');
const config: RouterConfig = parsed.config;
const tenant = config.tenants.find((t) => t.id === 'demo');
if (tenant === undefined) throw new Error('the example config has no demo tenant');

type Item = CorpusRow & { request: ChatCompletionRequest; example: Omit<Example, 'weight'> };

const buffer = new Int32Array(MAX_FEATURES);
const toItem = (row: CorpusRow): Item => {
  const request: ChatCompletionRequest = {
    model: 'auto',
    messages: [{ role: 'user', content: row.text }],
  } as ChatCompletionRequest;
  const n = hashAsk(request, buffer);
  const dense = denseValues(request, cueValues(extractFeatures(request, config.risk)), buffer, n);
  return {
    ...row,
    request,
    example: { buckets: buffer.slice(0, n), dense, y: row.label === 'hard' ? 1 : 0 },
  };
};

const rows = readFileSync(args.corpus, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as CorpusRow);
const items = rows.map(toItem);

/** A fifth of each training source, by the text's hash: the held-out test split. */
const inTestSplit = (item: Item): boolean => stableHash(`split:${item.text}`) % 5 === 0;

/**
 * Hard rows weigh this much more than easy ones in all: a hard prompt sent to the edge costs an
 * answer, an easy one sent regional costs money. Chosen by leave-one-source-out over the training
 * sources (see SOURCES.md).
 */
const HARD_WEIGHT = Number(process.env.HARD_WEIGHT ?? 2);
const FIT: FitOptions = {
  ...DEFAULT_FIT,
  ...(process.env.L2 ? { l2: Number(process.env.L2) } : {}),
  ...(process.env.EPOCHS ? { epochs: Number(process.env.EPOCHS) } : {}),
  ...(process.env.LR ? { learningRate: Number(process.env.LR) } : {}),
};

/** Each source weighs the same within its label, and the two labels the same. */
const weighted = (chosen: readonly Item[]): Example[] => {
  const perSource = new Map<string, number>();
  for (const item of chosen) perSource.set(item.source, (perSource.get(item.source) ?? 0) + 1);
  const sourcesOf = (label: string) =>
    new Set(chosen.filter((i) => i.label === label).map((i) => i.source)).size;
  const hardSources = sourcesOf('hard');
  const easySources = sourcesOf('easy');
  return chosen.map((item) => ({
    ...item.example,
    weight:
      (item.label === 'hard' ? HARD_WEIGHT : 1) /
      ((perSource.get(item.source) ?? 1) * (item.label === 'hard' ? hardSources : easySources)),
  }));
};

/**
 * Buckets seen in fewer than this many sources are left out of the fit: a feature only one
 * corpus has (its template words, its markup) tells the source apart, not the difficulty.
 */
const MIN_SOURCES_PER_BUCKET = Number(process.env.MIN_SOURCES ?? 2);

const crossSource = (examples: Example[], sourcesOf: string[]): Example[] => {
  const seen = new Map<number, Set<string>>();
  examples.forEach((e, i) => {
    for (const b of e.buckets) {
      const set = seen.get(b) ?? new Set<string>();
      set.add(sourcesOf[i] as string);
      seen.set(b, set);
    }
  });
  return examples.map((e) => ({
    ...e,
    buckets: e.buckets.filter((b) => (seen.get(b)?.size ?? 0) >= MIN_SOURCES_PER_BUCKET),
  }));
};

const train = (chosen: readonly Item[], options: FitOptions = FIT) =>
  quantise(
    fit(
      crossSource(
        weighted(chosen),
        chosen.map((i) => i.source),
      ),
      options,
    ),
  );

type Verdict = { rung: Rung; score: number };
const route = (model: TextModel, item: Item): Verdict => {
  const classification = classifyWith(model)(item.request, { config, tenant });
  const decision = decide({ request: item.request, classification, config, tenant });
  return { rung: rungOf(config, decision), score: classification.score };
};

const noRungs = (): RungCounts => Object.fromEntries(RUNGS.map((r) => [r, 0])) as RungCounts;
const share = (t: Tally): number => (t.rows === 0 ? Number.NaN : t.right / t.rows);
const pct = (t: Tally): string => (t.rows === 0 ? '—' : `${(100 * share(t)).toFixed(1)} %`);

const judge = (model: TextModel, chosen: readonly Item[]): Figures => {
  const figures: Figures = {
    hardToRegional: { rows: 0, right: 0 },
    easyToEdge: { rows: 0, right: 0 },
    rungs: { hard: noRungs(), easy: noRungs() },
    perCategory: {},
  };
  for (const item of chosen) {
    const { rung } = route(model, item);
    const regional = rung === 'regional';
    figures.rungs[item.label][rung]++;
    const right = item.label === 'hard' ? regional : !regional;
    const tally = item.label === 'hard' ? figures.hardToRegional : figures.easyToEdge;
    tally.rows++;
    if (right) tally.right++;
    const key = `${item.source}/${item.category}`;
    const c = figures.perCategory[key] ?? { rows: 0, right: 0 };
    figures.perCategory[key] = c;
    c.rows++;
    if (right) c.right++;
  }
  return figures;
};

const trainRole = items.filter((i) => i.role === 'train');
if (args.tune) {
  const hard: number[] = [];
  const easy: number[] = [];
  // The left-out source's scores, for the means at other thresholds than the example's.
  const sweep = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55];
  const atThreshold = sweep.map(() => ({ hard: [] as number[], easy: [] as number[] }));
  for (const s of SOURCES.filter((s) => s.role === 'train')) {
    const model = train(trainRole.filter((i) => i.source !== s.id && !inTestSplit(i)));
    const scores = trainRole.filter((i) => i.source === s.id).map((i) => route(model, i).score);
    sweep.forEach((t, k) => {
      const right =
        scores.filter((x) => (s.label === 'hard' ? x >= t : x < t)).length / scores.length;
      atThreshold[k]?.[s.label].push(right);
    });
    const f = judge(
      model,
      trainRole.filter((i) => i.source === s.id),
    );
    if (s.label === 'hard') hard.push(share(f.hardToRegional));
    else easy.push(share(f.easyToEdge));
    process.stdout.write(
      `${s.id} ${(100 * share(s.label === 'hard' ? f.hardToRegional : f.easyToEdge)).toFixed(1)} | `,
    );
  }
  const mean = (xs: number[]) => (100 * xs.reduce((a, b) => a + b, 0)) / xs.length;
  sweep.forEach((t, k) => {
    const at = atThreshold[k];
    if (at)
      console.log(
        `\nthreshold ${t}: train-LOSO mean hard ${mean(at.hard).toFixed(1)} %, easy ${mean(at.easy).toFixed(1)} %`,
      );
  });
  console.log(
    `\ntrain-LOSO mean: hard→regional ${mean(hard).toFixed(1)} %, easy→edge ${mean(easy).toFixed(1)} %`,
  );
  process.exit(0);
}
const holdoutRole = items.filter((i) => i.role === 'holdout');
const fitRows = trainRole.filter((i) => !inTestSplit(i));
const testRows = trainRole.filter(inTestSplit);

console.log(
  `corpus: ${items.length} rows; fit ${fitRows.length}, test split ${testRows.length}, held-out sources ${holdoutRole.length}`,
);
const started = Date.now();
const shipped = train(fitRows);
console.log(`fitted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const report: Record<string, unknown> = {};
const line = (name: string, f: Figures) =>
  console.log(
    `${name.padEnd(28)} hard→regional ${pct(f.hardToRegional).padStart(8)} (${f.hardToRegional.rows})   easy→edge ${pct(f.easyToEdge).padStart(8)} (${f.easyToEdge.rows})`,
  );

const perSource = (chosen: readonly Item[]) => {
  const out: Record<string, Figures> = {};
  for (const s of SOURCES) {
    const of = chosen.filter((i) => i.source === s.id);
    if (of.length > 0) out[s.id] = judge(shipped, of);
  }
  return out;
};

console.log('\n## held-out sources (shipped model)');
const holdout = judge(shipped, holdoutRole);
line('all held-out sources', holdout);
const holdoutPerSource = perSource(holdoutRole);
for (const [id, f] of Object.entries(holdoutPerSource)) line(`  ${id}`, f);
console.log('\n## held-out test split of the training sources (shipped model)');
const test = judge(shipped, testRows);
line('test split', test);
const testPerSource = perSource(testRows);
for (const [id, f] of Object.entries(testPerSource)) line(`  ${id}`, f);
report.holdout = { all: holdout, perSource: holdoutPerSource };
// Probes: judged like the held-out sources, never trained on, kept out of their pooled figure.
const probePerSource = perSource(items.filter((i) => i.role === 'probe'));
if (Object.keys(probePerSource).length > 0) {
  console.log('\n## probe sources (shipped model; not in the held-out figure)');
  for (const [id, f] of Object.entries(probePerSource)) line(`  ${id}`, f);
}
report.probes = probePerSource;

// The project's own labelled set (whole requests, some with tools or long context): a smoke
// test, not evidence: it was written beside the rules this model replaces.
const labelled = readFileSync('router-core/test/data/labelled-prompts.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map(
    (l) =>
      JSON.parse(l) as { label: 'hard' | 'easy'; category: string; request: ChatCompletionRequest },
  )
  .map((r) => ({
    source: 'switchback-labelled',
    label: r.label,
    role: 'holdout' as const,
    category: r.category,
    text: '',
    request: r.request,
    example: {
      buckets: new Int32Array(0),
      dense: denseValues(
        r.request,
        cueValues(extractFeatures(r.request, config.risk)),
        buffer,
        hashAsk(r.request, buffer),
      ),
      y: r.label === 'hard' ? 1 : 0,
    } as const,
  }));
console.log("\n## the project's own labelled set (smoke test)");
const own = judge(shipped, labelled);
line('switchback-labelled', own);
report.ownLabelledSet = own;
report.testSplit = { all: test, perSource: testPerSource };

if (!args['skip-loso']) {
  console.log("\n## leave one source out (fit on every other source's training rows)");
  const loso: Record<string, Figures> = {};
  for (const s of SOURCES.filter((s) => s.role !== 'probe')) {
    const model = train(trainRole.filter((i) => i.source !== s.id && !inTestSplit(i)));
    const f = judge(
      model,
      items.filter((i) => i.source === s.id),
    );
    loso[s.id] = f;
    line(`  without ${s.id}`, f);
  }
  report.leaveOneSourceOut = loso;
}

// The held-out sources as replay traffic, for `switchback simulate` and `calibrate --plot` on
// prompts the model never saw (a cache file: the corpora are not committed).
writeFileSync(
  'router-core/data/.cache/holdout-traffic.jsonl',
  `${holdoutRole
    .map((i) => JSON.stringify({ request: i.request, tenant: 'demo', label: i.label }))
    .join('\n')}\n`,
);

if (!args['no-write']) {
  writeFileSync(
    'router-core/src/classify/learned/weights.ts',
    `// Written by \`npm run train:router\` (router-core/scripts/train-router): do not edit.\n` +
      `// Logistic regression over 2^16 hashed n-gram buckets (int8, one scale; weight-text.ts reads them), the scanner's cues and the ask's shape.\n` +
      `export const WEIGHTS = {\n  bias: ${shipped.bias},\n  scale: ${shipped.scale},\n  dense: {\n${Object.entries(
        shipped.dense,
      )
        .map(([k, v]) => `    ${k}: ${v},\n`)
        .join('')}  },\n  buckets:\n    '${shipped.text}',\n} as const;\n`,
  );
  writeFileSync('router-core/data/evaluation.json', `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    'router-core/data/EVALUATION.md',
    reportMarkdown(report as Report, config.classification.regionalThreshold),
  );
  console.log(
    '\nwrote router-core/src/classify/learned/weights.ts, router-core/data/evaluation.json and EVALUATION.md',
  );
}
