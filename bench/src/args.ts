import { TARGET_NAMES, type TargetName } from './targets.ts';

export const PHASES = ['rate', 'max', 'stream'] as const;
export type Phase = (typeof PHASES)[number];

/** Everything a run is shaped by; `--quick` and `--full` are presets of it. */
export type BenchOptions = {
  mode: 'quick' | 'full';
  targets: TargetName[];
  phases: Phase[];
  /** Fixed-rate phase: requests per second, rounds per target per rate, round length. */
  rates: number[];
  rateRounds: number;
  rateRoundMs: number;
  warmupMs: number;
  /** In-flight requests get this long after a round's end, then count as unfinished. */
  drainMs: number;
  /** After a round, wait at most this long for the router to work off its backlog. */
  quiesceMs: number;
  /** Maximum-throughput phase: closed-loop concurrency steps, each this long. */
  maxConcurrency: number[];
  maxStepMs: number;
  /** A target stops climbing after this many steps without a 3 % gain. */
  plateauSteps: number;
  /** Streaming phase: sequential streams, then these concurrent-stream levels. */
  sequentialStreams: number;
  streamConcurrency: number[];
  streamRounds: number;
  streamRoundMs: number;
  /** Inter-token delay the simulator holds concurrent streams open with (TTFT stays 0). */
  streamItlMs: number;
  cpuProf: boolean;
  /** Keep raw latency samples in the JSON. */
  raw: boolean;
  outDir: string;
};

const QUICK: Omit<BenchOptions, 'targets' | 'phases' | 'cpuProf' | 'raw' | 'outDir'> = {
  mode: 'quick',
  rates: [200, 500, 1000],
  rateRounds: 1,
  rateRoundMs: 1_500,
  warmupMs: 250,
  drainMs: 1_000,
  quiesceMs: 1_500,
  maxConcurrency: [1, 8, 64, 256],
  maxStepMs: 800,
  plateauSteps: 2,
  sequentialStreams: 50,
  streamConcurrency: [50, 512],
  streamRounds: 1,
  streamRoundMs: 1_500,
  streamItlMs: 50,
};

const FULL: typeof QUICK = {
  mode: 'full',
  rates: [200, 500, 1000],
  rateRounds: 4,
  rateRoundMs: 5_000,
  warmupMs: 500,
  drainMs: 5_000,
  quiesceMs: 10_000,
  maxConcurrency: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
  maxStepMs: 3_000,
  plateauSteps: 3,
  sequentialStreams: 1_000,
  streamConcurrency: [50, 512],
  streamRounds: 2,
  streamRoundMs: 10_000,
  streamItlMs: 100,
};

export const USAGE = `usage: node bench/run.ts [--quick | --full] [options]

  --quick                 under 2 minutes: one short round per target per rate (default)
  --full                  the figures to publish: 4 rounds of 5 s per target per rate, finer steps
  --targets a,b,…         of ${TARGET_NAMES.join(', ')} (default: all; direct is always run)
  --phases a,b,…          of ${['rate', 'max', 'stream'].join(', ')} (default: all)
  --rates 200,500,1000    fixed rates, requests/s
  --rounds N              rounds per target per rate
  --round-ms N            length of one fixed-rate round
  --stream-itl-ms N       inter-token delay holding concurrent streams open (quick 50, full 100)
  --cpu-prof              run switchback serve under node --cpu-prof; print its hot functions
  --raw                   keep every latency sample in the JSON
  --out DIR               results directory (default bench/results)
  -h, --help`;

const intList = (raw: string, flag: string): number[] => {
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${flag} takes positive integers separated by commas, got "${raw}"`);
  }
  return values;
};

const positiveInt = (raw: string, flag: string): number => {
  const [value] = intList(raw, flag);
  if (value === undefined) throw new Error(`${flag} needs a value`);
  return value;
};

const oneOf = <T extends string>(raw: string, allowed: readonly T[], flag: string): T[] => {
  const values = raw.split(',').map((v) => v.trim());
  for (const value of values) {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new Error(`${flag}: "${value}" is not one of ${allowed.join(', ')}`);
    }
  }
  return values as T[];
};

/** Parses the command line; throws with a one-line message on a bad flag. `null` means --help. */
export const parseArgs = (argv: readonly string[], defaultOutDir: string): BenchOptions | null => {
  let preset = QUICK;
  const overrides: Partial<BenchOptions> = {};
  let targets: TargetName[] = [...TARGET_NAMES];
  let phases: Phase[] = [...PHASES];
  let cpuProf = false;
  let raw = false;
  let outDir = defaultOutDir;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return null;
      case '--quick':
        preset = QUICK;
        break;
      case '--full':
        preset = FULL;
        break;
      case '--targets':
        targets = oneOf(value(), TARGET_NAMES, flag);
        break;
      case '--phases':
        phases = oneOf(value(), PHASES, flag);
        break;
      case '--rates':
        overrides.rates = intList(value(), flag);
        break;
      case '--rounds':
        overrides.rateRounds = positiveInt(value(), flag);
        break;
      case '--round-ms':
        overrides.rateRoundMs = positiveInt(value(), flag);
        break;
      case '--stream-itl-ms':
        overrides.streamItlMs = positiveInt(value(), flag);
        break;
      case '--cpu-prof':
        cpuProf = true;
        break;
      case '--raw':
        raw = true;
        break;
      case '--out':
        outDir = value();
        break;
      default:
        throw new Error(`unknown argument "${arg}"`);
    }
  }
  // The baseline is what every other figure is measured against.
  if (!targets.includes('direct')) targets.unshift('direct');
  return { ...preset, ...overrides, targets, phases, cpuProf, raw, outDir };
};
