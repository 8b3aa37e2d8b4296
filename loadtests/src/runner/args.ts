import { parseArgs } from 'node:util';
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from './scenarios.ts';

export type RunnerArgs = {
  scenario: ScenarioName;
  rate?: number;
  durationS?: number;
  url?: string;
  providersUrl?: string;
  regionalUrl?: string;
  configPath: string;
  outDir?: string;
};

const USAGE = `usage: npm run loadtest -- <${SCENARIO_NAMES.join('|')}> [--duration 30s] [--rate 20]
       [--config router.config.yaml] [--url http://127.0.0.1:8787 --regional-url … --providers-url …]
       [--out loadtests/reports/<scenario>]`;

const seconds = (raw: string): number => {
  const match = /^(\d+)(s|m)?$/.exec(raw);
  if (!match) throw new Error(`--duration ${raw}: use seconds or minutes, e.g. 30s or 2m`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
};

const loopback = (flag: string, raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const host = new URL(raw).hostname;
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== 'localhost' && host !== '[::1]') {
    throw new Error(
      `${flag} ${raw}: load is only ever sent to this machine (127.0.0.0/8, localhost)`,
    );
  }
  return raw.replace(/\/$/, '');
};

/** The runner's command line, validated; throws with the usage on anything wrong. */
export const parseRunnerArgs = (argv: string[]): RunnerArgs => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      url: { type: 'string' },
      'providers-url': { type: 'string' },
      'regional-url': { type: 'string' },
      config: { type: 'string', default: 'router.config.yaml' },
      out: { type: 'string' },
    },
  });
  const name = positionals[0];
  if (name === undefined || !isScenarioName(name)) {
    throw new Error(
      `${name === undefined ? 'no scenario given' : `unknown scenario "${name}"`}\n${USAGE}`,
    );
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 2_000)) {
    throw new Error(`--rate ${values.rate}: a whole number of requests/s from 1 to 2000`);
  }
  return {
    scenario: name,
    rate,
    durationS: values.duration === undefined ? undefined : seconds(values.duration),
    url: loopback('--url', values.url),
    providersUrl: loopback('--providers-url', values['providers-url']),
    regionalUrl: loopback('--regional-url', values['regional-url']),
    configPath: values.config,
    outDir: values.out,
  };
};
