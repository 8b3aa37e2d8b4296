import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, type RequestAuditEvent } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { rolloutCommand } from './rollout-watch.ts';
import { REPO_ROOT } from './run-cli.ts';

const SECRET = 'rollout-watch-secret';
const STABLE = '2026-11-23.1';
const CANDIDATE = 'candidate-7';
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const GATE =
  'gate: { windowMs: 600000, minRequests: 10, maxBurnRate: 6, maxTtftP95Ratio: 1.5, maxCostPerSuccessRatio: 1.25 }';

let dir: string;
let example: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollout-watch-'));
  example = await readFile(join(REPO_ROOT, 'router.config.yaml'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: async () => '',
    readFile: (path) => readFile(path, 'utf8'),
  };
  return { cli, out, err };
};

/** A config file (the example's, comments and all) canarying `candidate.yaml` at 20 %. */
const canaryFiles = async (name: string) => {
  const config = join(dir, `${name}.yaml`);
  await writeFile(
    join(dir, 'candidate.yaml'),
    example.replace(`version: "${STABLE}"`, `version: "${CANDIDATE}"`),
  );
  await writeFile(
    config,
    `${example}\n# the canary under test\nrollout:\n  candidate: candidate.yaml\n  percent: 20\n  ${GATE}\n`,
  );
  return config;
};

/** A signed log of `n` requests of each side, one a second from T0; the candidate's with `outcome`. */
const log = async (name: string, n: number, outcome: string) => {
  const lines: string[] = [];
  const audit = createAuditLog({ secret: SECRET, sink: { write: (l) => void lines.push(l) } });
  for (let i = 0; i < n; i++) {
    for (const [version, result] of [
      [STABLE, 'ok'],
      [CANDIDATE, outcome],
    ] as const) {
      const event: RequestAuditEvent = {
        type: 'request',
        ts: new Date(T0 + i * 1_000).toISOString(),
        request_id: `${name}-${version}-${i}`,
        tenant: 'demo',
        config_version: version,
        timings: { duration_ms: 20, ttft_ms: 10 },
        cost_usd: 0.001,
        outcome: result,
      };
      await audit.append(event);
    }
  }
  const file = join(dir, `${name}.jsonl`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
};

const env = { SWITCHBACK_AUDIT_SECRET: SECRET, SWITCHBACK_OPERATOR: 'ops-frank' };

/** `rollout watch --from <log> --config <file> --now <T0 + atMs>`: its exit code and output. */
const watch = async (config: string, from: string, atMs: number) => {
  const { cli, out, err } = io();
  const now = new Date(T0 + atMs).toISOString();
  const code = await rolloutCommand(
    ['watch', '--from', from, '--config', config, '--now', now],
    cli,
    env,
  );
  return { code, out, err };
};

describe('switchback rollout watch --config (regional)', () => {
  it('rolls back a candidate that raises errors: percent 0 in the file, comments kept', async () => {
    const config = await canaryFiles('errors');
    const from = await log('errors', 12, 'transient');
    const { code, out, err } = await watch(config, from, 20_000);
    expect([code, err]).toEqual([0, []]);
    const event = JSON.parse(out[0] ?? '{}');
    expect(event).toMatchObject({
      type: 'rollout_decision',
      decision: 'rollback',
      operator: 'ops-frank',
      stable_version: STABLE,
      candidate_version: CANDIDATE,
    });
    expect(event.figures.candidate).toMatchObject({ requests: 12, errors: 12, successes: 0 });
    const text = await readFile(config, 'utf8');
    expect(text).toContain('# the canary under test');
    expect(text).toMatch(/\n {2}percent: 0\n/);
  });

  it('holds a healthy candidate within its window and promotes it at the window’s end', async () => {
    const config = await canaryFiles('healthy');
    const from = await log('healthy', 12, 'ok');
    const within = await watch(config, from, 60_000);
    expect(within.code).toBe(0);
    expect(JSON.parse(within.out[0] ?? '{}')).toMatchObject({
      decision: 'hold',
      requests: { stable: 12, candidate: 12 },
    });
    expect(await readFile(config, 'utf8')).toContain('percent: 20');

    const end = await watch(config, from, 600_000);
    expect(end.code).toBe(0);
    expect(JSON.parse(end.out[0] ?? '{}')).toMatchObject({ decision: 'promote' });
    expect(await readFile(config, 'utf8')).toBe(
      await readFile(join(dir, 'candidate.yaml'), 'utf8'),
    );
  });

  it('refuses a --from that holds no audit event instead of holding on an empty window', async () => {
    const config = await canaryFiles('empty');
    const empty = await mkdtemp(join(dir, 'no-logs-'));
    await writeFile(join(empty, 'notes.txt'), 'not a log\n');
    const { code, out, err } = await watch(config, empty, 20_000);
    expect([code, out]).toEqual([1, []]);
    expect(err).toEqual([
      `switchback rollout watch: ${empty}: no audit events (a log file, or a directory of *.jsonl logs)`,
    ]);
    expect(await readFile(config, 'utf8')).toContain('percent: 20');
  });

  it('decides nothing on a log that fails audit verify', async () => {
    const config = await canaryFiles('tampered');
    const from = await log('tampered', 12, 'transient');
    const text = await readFile(from, 'utf8');
    await writeFile(from, text.replace('"transient"', '"ok"'));
    const { code, err } = await watch(config, from, 20_000);
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/tampered\.jsonl/);
    expect(await readFile(config, 'utf8')).toContain('percent: 20');
  });
});
