/** The load scenarios the runner knows; each is k6 executors plus a fault schedule. */
export const SCENARIO_NAMES = [
  'steady',
  'spike',
  'soak',
  'brownout',
  'outage',
  'quota',
  'long-context',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

/** A fault the runner applies through the simulator's `/_sim/faults`, at a share of the run. */
export type ScheduledFault = {
  /** When to apply and clear it, as fractions of the run's duration. */
  from: number;
  until: number;
  fault: {
    target: 'openai' | 'compat' | 'workers-ai' | 'bedrock';
    model?: string;
    kind:
      | 'error'
      | 'rate_limit'
      | 'slow_first_token'
      | 'stall'
      | 'reset_mid_stream'
      | 'slow_tokens';
    status?: number;
    delayMs?: number;
    probability?: number;
  };
};

export type Tenant = { name: string; key: string };

export type ScenarioSpec = {
  name: ScenarioName;
  description: string;
  defaultRate: number;
  defaultDurationS: number;
  mix: 'default' | 'long_context';
  streamingPercent: number;
  tenants: Tenant[];
  /** k6 `scenarios` option for a rate and duration. */
  executors(rate: number, durationS: number): Record<string, unknown>;
  faults(durationS: number): ScheduledFault[];
  /** Extra thresholds beyond the budgets (e.g. the quiet tenant in `quota`). */
  extraThresholds: Record<string, string[]>;
  /** Quota rejections are the point of `quota`; elsewhere any 429 is a failure. */
  quotaRejectionsAllowed: boolean;
};

const DEMO: Tenant = { name: 'demo', key: 'sk-local-demo' };
const ACME: Tenant = { name: 'acme', key: 'sk-local-acme' };

const constant = (rate: number, durationS: number): Record<string, unknown> => ({
  load: {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: `${durationS}s`,
    preAllocatedVUs: Math.max(10, rate * 2),
    maxVUs: Math.max(50, rate * 10),
  },
});

// 10 requests/s by default: the whole local stack spends about 40 ms of CPU a request (workerd
// 23-30, regional 9-12, the simulator 4, k6 3, wrangler 2), so 10/s keeps it near 0.45 of a core
// and holds every SLO with another engineer's work taking 1.4 of the 2 cores (policy p99 37 ms of
// 50, chat TTFT p95 468 ms of 1 s). At 20/s (0.85 of a core) the same contention broke TTFT,
// policy and dropped requests: loadtests/README.md. Pass --rate for a bigger or quieter machine.
const base = {
  defaultRate: 10,
  defaultDurationS: 30,
  mix: 'default' as const,
  streamingPercent: 60,
  tenants: [DEMO, ACME],
  executors: constant,
  faults: (): ScheduledFault[] => [],
  extraThresholds: {},
  quotaRejectionsAllowed: false,
};

export const SCENARIOS: Record<ScenarioName, ScenarioSpec> = {
  steady: { ...base, name: 'steady', description: 'constant arrival rate, the whole mix' },
  spike: {
    ...base,
    name: 'spike',
    description: 'the rate jumps to 4x for the middle third, then falls back',
    // 4x of 10/s is what one 2-core machine running k6, the simulator, regional and workerd at
    // once sustains; raise --rate on a bigger one.
    defaultRate: 10,
    executors: (rate, durationS) => {
      const third = Math.max(1, Math.round(durationS / 3));
      return {
        load: {
          executor: 'ramping-arrival-rate',
          startRate: rate,
          timeUnit: '1s',
          preAllocatedVUs: rate * 4,
          maxVUs: rate * 20,
          stages: [
            { target: rate, duration: `${third}s` },
            { target: rate * 4, duration: '2s' },
            { target: rate * 4, duration: `${Math.max(1, third - 2)}s` },
            { target: rate, duration: '2s' },
            { target: rate, duration: `${Math.max(1, durationS - 2 * third - 2)}s` },
          ],
        },
      };
    },
  },
  soak: {
    ...base,
    name: 'soak',
    description: 'a long constant run (short by default; --duration for longer)',
    defaultDurationS: 60,
  },
  brownout: {
    ...base,
    name: 'brownout',
    description:
      "nine in ten of the regional primary's first tokens arrive 5 s late, past every TTFT budget",
    faults: () => [
      {
        from: 0,
        until: 1,
        fault: { target: 'openai', kind: 'slow_first_token', delayMs: 5_000, probability: 0.9 },
      },
    ],
  },
  outage: {
    ...base,
    name: 'outage',
    description: 'the regional primary answers 503 for the middle half of the run, then recovers',
    faults: () => [
      { from: 0.25, until: 0.75, fault: { target: 'openai', kind: 'error', status: 503 } },
    ],
  },
  quota: {
    ...base,
    name: 'quota',
    description: 'demo sends about 3x its quota; acme, within its own, must not notice',
    defaultRate: 40,
    // A minute, so the per-minute windows fill: three of every four requests are demo's, about
    // 20/s on chat and 10/s on batch against 600 a minute on each.
    defaultDurationS: 60,
    tenants: [DEMO, DEMO, DEMO, ACME],
    quotaRejectionsAllowed: true,
    extraThresholds: {
      // The quota must bite the noisy tenant, or the scenario proves nothing.
      'router_quota_rejections{tenant:demo}': ['rate>0.2'],
      'router_quota_rejections{tenant:acme}': ['rate<=0'],
      'router_transient_errors{tenant:acme}': ['rate<0.001'],
    },
  },
  'long-context': {
    ...base,
    name: 'long-context',
    description: 'long documents only: context tiers and escalation under load',
    mix: 'long_context',
    defaultRate: 5,
  },
};
