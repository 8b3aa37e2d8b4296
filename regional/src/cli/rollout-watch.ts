import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  type AuditEvent,
  type AuditedCanary,
  type GateVerdict,
  gateFromAuditEvents,
  type RolloutDecisionAuditEvent,
  type SignedAuditEvent,
  verifyAuditChains,
} from '@switchback/router-core';
import { parseDocument, stringify } from 'yaml';
import { loadLiveConfig } from '../reload/load-live-config.ts';
import type { CliIo } from './cli-io.ts';

export const ROLLOUT_USAGE =
  'switchback rollout watch --from <audit log | archive dir>... (--edge <url> | --config <file>) [--every <ms> --runs <n>] [--now <iso>]';

type Target = { kind: 'edge'; url: string } | { kind: 'config'; path: string };
type Args = { from: string[]; target: Target; everyMs: number; runs: number; now?: number };
type Env = Record<string, string | undefined>;

const parseArgs = (args: readonly string[]): Args | string => {
  const [verb, ...rest] = args;
  if (verb !== 'watch') return 'the only rollout command is watch';
  const from: string[] = [];
  let target: Target | undefined;
  let everyMs = 10_000;
  let runs = 1;
  let now: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const value = rest[++i];
    if (value === undefined) return `${arg} needs a value`;
    if (arg === '--from') from.push(value);
    else if (arg === '--edge') target = { kind: 'edge', url: value.replace(/\/+$/, '') };
    else if (arg === '--config') target = { kind: 'config', path: value };
    else if (arg === '--every') everyMs = Number(value);
    else if (arg === '--runs') runs = Number(value);
    else if (arg === '--now') now = Date.parse(value);
    else return `unknown option ${arg}`;
  }
  if (from.length === 0) return 'name the audit log with --from';
  if (target === undefined) return 'name the door with --edge <url> or --config <file>';
  if (!(everyMs >= 0) || !Number.isInteger(runs) || runs < 1) return 'bad --every or --runs';
  if (now !== undefined && Number.isNaN(now)) return 'bad --now';
  return { from, target, everyMs, runs, ...(now === undefined ? {} : { now }) };
};

/** The logs of `--from`: a file is one log; a directory (the edge's archive) one log per folder. */
const readLogs = async (io: CliIo, path: string): Promise<string[][]> => {
  if (!(await stat(path)).isDirectory()) {
    return [(await io.readFile(path)).split('\n').filter((l) => l !== '')];
  }
  const logs: string[][] = [];
  const here: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) logs.push(...(await readLogs(io, full)));
    else if (entry.name.endsWith('.jsonl')) {
      here.push(...(await io.readFile(full)).split('\n').filter((l) => l !== ''));
    }
  }
  return here.length > 0 ? [here, ...logs] : logs;
};

type Canary = AuditedCanary & { percent: number };

const operatorHeaders = (env: Env): Record<string, string> => {
  const key = env.SWITCHBACK_OPERATOR_KEY;
  if (!key) throw new Error('SWITCHBACK_OPERATOR_KEY must hold an operator credential');
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
};

/** The canary the door serves now, with its gate's settings; a string says why there is none. */
const canaryOf = async (io: CliIo, target: Target, env: Env): Promise<Canary | string> => {
  if (target.kind === 'edge') {
    const res = await fetch(`${target.url}/ops/rollout`, { headers: operatorHeaders(env) });
    const body = (await res.json()) as {
      config_version: string;
      rollout: {
        candidate_version: string;
        percent: number;
        gate: Canary['settings'] | null;
      } | null;
      error?: { message: string };
    };
    if (!res.ok) return `the edge answered ${res.status}: ${body.error?.message ?? ''}`;
    const { rollout } = body;
    if (rollout === null || rollout.percent <= 0) return 'the edge runs no canary';
    if (rollout.gate === null) return 'the edge config has no rollout.gate';
    return {
      stableVersion: body.config_version,
      candidateVersion: rollout.candidate_version,
      settings: rollout.gate,
      percent: rollout.percent,
    };
  }
  const loaded = await loadLiveConfig(io, target.path);
  if (!loaded.ok) return loaded.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  const { config, candidate } = loaded.live;
  if (candidate === undefined || candidate.percent <= 0) return `${target.path} runs no canary`;
  if (config.rollout?.gate === undefined) return `${target.path} has no rollout.gate`;
  return {
    stableVersion: config.version,
    candidateVersion: candidate.config.version,
    settings: config.rollout.gate,
    percent: candidate.percent,
  };
};

/**
 * The verdict carried out where the door reads its rollout. The edge: `POST /ops/rollout`, which
 * rewrites the config in KV and records the event in its audit log. Regional: the config file,
 * which `switchback serve` reloads (promote: the candidate's config; rollback: percent 0, the
 * file's comments kept); the reload is audited as a config change with the operator.
 */
const apply = async (
  target: Target,
  verdict: GateVerdict,
  env: Env,
): Promise<RolloutDecisionAuditEvent> => {
  if (target.kind === 'edge') {
    const res = await fetch(`${target.url}/ops/rollout`, {
      method: 'POST',
      headers: operatorHeaders(env),
      body: JSON.stringify({ event: verdict.event }),
    });
    const body = (await res.json()) as {
      event?: RolloutDecisionAuditEvent;
      error?: { message: string };
    };
    if (!res.ok || body.event === undefined) {
      throw new Error(`the edge answered ${res.status}: ${body.error?.message ?? ''}`);
    }
    return body.event;
  }
  const text = await readFile(target.path, 'utf8');
  const doc = parseDocument(text);
  if (verdict.decision === 'rollback') {
    doc.setIn(['rollout', 'percent'], 0);
    await writeFile(target.path, doc.toString());
  } else {
    const candidate: unknown = doc.getIn(['rollout', 'candidate']);
    const next =
      typeof candidate === 'string'
        ? await readFile(resolve(dirname(target.path), candidate), 'utf8')
        : stringify((doc.toJS() as { rollout: { candidate: unknown } }).rollout.candidate);
    await writeFile(target.path, next);
  }
  const operator = env.SWITCHBACK_OPERATOR || env.USER;
  return operator ? { ...verdict.event, operator } : verdict.event;
};

/**
 * `switchback rollout watch`: the rollout gate (router-core's, as regional runs it in process)
 * over the door's audit log, and its verdict carried out where that door reads its rollout. Each
 * run reads the canary the door serves and the log; a verdict is applied and printed as its
 * `rollout_decision` event (exit 0), a hold is printed and, with `--runs`, looked at again every
 * `--every` ms. A log that fails `audit verify` (with SWITCHBACK_AUDIT_SECRET set) decides nothing
 * (exit 1).
 */
export const rolloutCommand = async (
  args: readonly string[],
  io: CliIo,
  env: Env = process.env,
): Promise<number> => {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`switchback rollout: ${parsed}\nusage: ${ROLLOUT_USAGE}`);
    return 2;
  }
  try {
    for (let run = 1; ; run++) {
      const canary = await canaryOf(io, parsed.target, env);
      if (typeof canary === 'string') {
        io.err(`switchback rollout watch: ${canary}`);
        return 1;
      }
      const events: AuditEvent[] = [];
      for (const from of parsed.from) {
        const logs = await readLogs(io, from);
        // A path with no audit line (a wrong folder, the edge's archive as miniflare stores it)
        // would otherwise read as a window with no traffic: a hold, forever.
        if (logs.every((log) => log.length === 0)) {
          io.err(
            `switchback rollout watch: ${from}: no audit events (a log file, or a directory of *.jsonl logs)`,
          );
          return 1;
        }
        for (const log of logs) {
          const secret = env.SWITCHBACK_AUDIT_SECRET;
          const verified = secret ? await verifyAuditChains(log, secret) : undefined;
          if (verified !== undefined && !verified.ok) {
            io.err(`switchback rollout watch: ${from}: ${verified.problem}: ${verified.message}`);
            return 1;
          }
          for (const line of log) events.push((JSON.parse(line) as SignedAuditEvent).event);
        }
      }
      const now = parsed.now ?? Date.now();
      const result = gateFromAuditEvents(events, canary, now);
      if (result.verdict !== undefined) {
        const event = await apply(parsed.target, result.verdict, env);
        io.out(JSON.stringify(event));
        return 0;
      }
      io.out(
        JSON.stringify({
          decision: 'hold',
          stable_version: canary.stableVersion,
          candidate_version: canary.candidateVersion,
          requests: result.requests,
          started_at:
            result.startedAt === undefined ? null : new Date(result.startedAt).toISOString(),
        }),
      );
      if (run >= parsed.runs) return 0;
      await new Promise((done) => setTimeout(done, parsed.everyMs));
    }
  } catch (error) {
    io.err(`switchback rollout watch: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
};
