// `switchback rollout watch --edge` against the local stack's edge (wrangler dev, [env.local]):
// the canary is put in the edge's KV the way an operator does (`wrangler kv key put --local`), the
// real CLI runs as a child process, and its verdict lands through the edge's POST /ops/rollout.
//
// The CLI cannot read the local edge's archive as it is stored: miniflare keeps an R2 object as a
// blob named by a random id (`v3/r2/<bucket>/blobs/<id>`, its key only in a SQLite table), so a
// directory of `audit/<tenant>/<first>-<last>.jsonl` files, what `--from <archive dir>` reads, is
// not there. The log the CLI is given is built from those blobs: the edge's own signed lines,
// filed by chain and seq.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type AuditEvent,
  canaryBucket,
  type RouterConfigInput,
  type SignedAuditEvent,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLOUT_GATE, routeEdgeToBroken } from '../../edge/test/rollout-fixtures.ts';
import { freePort, REPO_ROOT, type Stack, startStack } from '../../loadtests/src/stack/index.ts';

const run = promisify(execFile);

const TENANT = 'rollout-e2e';
const KEY = 'sk-test-rollout-e2e';
const OPERATOR = 'ops-e2e';
const OPERATOR_KEY = 'sk-ops-e2e';
const BROKEN = '@cf/switchback/rollout-e2e-broken';
const GATE = ROLLOUT_GATE;
const PERCENT = 50;
const SESSIONS = Array.from({ length: 24 }, (_, i) => `rollout-e2e-${i}`);
const ON_CANDIDATE = SESSIONS.filter((s) => canaryBucket(s) < PERCENT * 100);
// The edge caches its KV config for 30 s per isolate: a new one serves within ~31 s.
const SERVED_TRIES = 45;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let stack: Stack;
let workDir: string;
const logs: string[] = [];

beforeAll(async () => {
  const ports = { edge: await freePort(), regional: await freePort(), providers: await freePort() };
  stack = await startStack({
    ports,
    sim: { ttftMs: 5, itlMs: 1, tokens: 4 },
    onLine: (name, line) => logs.push(`[${name}] ${line}`),
  });
  workDir = stack.persistDir;
});

afterAll(async () => {
  await stack?.stop();
});

/** The bundled edge config with this file's tenant (edge only) and operator, at `version`. */
const configInput = async (
  version: string,
  edit: (c: RouterConfigInput) => void = () => {},
): Promise<RouterConfigInput> => {
  const text = await readFile(
    join(REPO_ROOT, 'edge/src/config/router-config.generated.json'),
    'utf8',
  );
  const config = JSON.parse(text) as RouterConfigInput;
  config.version = version;
  config.tenants.push({
    id: TENANT,
    keys: [{ id: 'rollout-e2e-key', sha256: sha256(KEY) }],
    allowedTiers: ['edge'],
  });
  config.operators = [{ id: OPERATOR, sha256: sha256(OPERATOR_KEY) }];
  edit(config);
  return config;
};

/** `stable` with `candidate` on the canary, put where the edge reads it (KV `router-config`). */
const putCanary = async (stable: RouterConfigInput, candidate: RouterConfigInput) => {
  stable.rollout = {
    candidate: candidate as Record<string, unknown>,
    percent: PERCENT,
    gate: GATE,
  };
  const path = join(workDir, `${stable.version}.json`);
  await writeFile(path, JSON.stringify(stable));
  await run(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'kv',
      'key',
      'put',
      '--local',
      '--persist-to',
      workDir,
      '--config',
      'wrangler.toml',
      '--env',
      'local',
      '--binding',
      'CONFIG',
      'router-config',
      '--path',
      path,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
};

const rolloutNow = async () => {
  const res = await fetch(`${stack.edgeUrl}/ops/rollout`, {
    headers: { authorization: `Bearer ${OPERATOR_KEY}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const ask = async (session: string): Promise<number> => {
  const res = await fetch(`${stack.edgeUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      'x-session-affinity': session,
    },
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Say hello.' }] }),
  });
  await res.arrayBuffer();
  return res.status;
};

/** Asks `session` once a second until `done` holds of the status, SERVED_TRIES times at most. */
const askUntil = async (session: string, done: (status: number) => boolean): Promise<number> => {
  let status = await ask(session);
  for (let i = 1; i < SERVED_TRIES && !done(status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    status = await ask(session);
  }
  return status;
};

/** One ask per session, in order: the statuses. */
const drive = async (): Promise<number[]> => {
  const statuses: number[] = [];
  for (const session of SESSIONS) statuses.push(await ask(session));
  return statuses;
};

/** The edge's archived lines (every miniflare blob of its audit bucket), by chain and seq. */
const archivedLines = async (): Promise<SignedAuditEvent[]> => {
  const dir = join(workDir, 'v3/r2/switchback-audit-local/blobs');
  const names = await readdir(dir).catch(() => []);
  const lines: SignedAuditEvent[] = [];
  for (const name of names) {
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      if (line !== '') lines.push(JSON.parse(line) as SignedAuditEvent);
    }
  }
  const chainOf = (l: SignedAuditEvent) => ('tenant' in l.event && l.event.tenant) || '_';
  return lines.sort((a, b) => chainOf(a).localeCompare(chainOf(b)) || a.seq - b.seq);
};

type RequestEvent = Extract<AuditEvent, { type: 'request' }>;

/** This file's tenant's request events, in its chain's order. */
const tenantRequests = (lines: SignedAuditEvent[]): RequestEvent[] =>
  lines
    .map((l) => l.event)
    .filter((e): e is RequestEvent => e.type === 'request' && e.tenant === TENANT);

const requestsOf = (lines: SignedAuditEvent[], version: string) =>
  tenantRequests(lines).filter((e) => e.config_version === version);

/** The archive read every 250 ms until `done` holds of it, ~10 s at most. */
const archivedUntil = async (
  done: (lines: SignedAuditEvent[]) => boolean,
): Promise<SignedAuditEvent[]> => {
  let lines = await archivedLines();
  for (let i = 1; i < 40 && !done(lines); i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    lines = await archivedLines();
  }
  return lines;
};

/** The edge's log as the CLI reads it: one JSONL file of the edge's own lines. */
const writeLog = async (name: string, lines: SignedAuditEvent[]): Promise<string> => {
  const path = join(workDir, name);
  await writeFile(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return path;
};

/** `npx switchback rollout watch --edge <edge>` from the repo root, as an operator runs it. */
const watch = (args: string[]) =>
  run('npx', ['switchback', 'rollout', 'watch', '--edge', stack.edgeUrl, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, SWITCHBACK_OPERATOR_KEY: OPERATOR_KEY },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );

const decisionsOf = (lines: SignedAuditEvent[], candidate: string) =>
  lines
    .map((l) => l.event)
    .filter(
      (e): e is Extract<AuditEvent, { type: 'rollout_decision' }> =>
        e.type === 'rollout_decision' && e.candidate_version === candidate,
    );

describe('switchback rollout watch against the local edge', () => {
  it('rolls back a candidate whose model fails: the verdict printed, percent 0 under the rollback version, all stable after, the event with the operator', async () => {
    expect(Math.min(ON_CANDIDATE.length, SESSIONS.length - ON_CANDIDATE.length)).toBeGreaterThan(
      GATE.minRequests,
    );
    const fault = await fetch(`${stack.providersUrl}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'workers-ai', model: BROKEN, kind: 'error', status: 500 }),
    });
    expect(fault.status).toBe(201);
    const candidate = await configInput('e2e-r1-candidate', (c) => {
      routeEdgeToBroken(c, BROKEN);
    });
    await putCanary(await configInput('e2e-r1-stable'), candidate);
    // The bundled config knows no such tenant (401): a 503 on a candidate session is the edge
    // serving the canary.
    const first = ON_CANDIDATE[0] ?? '';
    expect(await askUntil(first, (s) => s === 503)).toBe(503);
    expect(await rolloutNow()).toEqual({
      status: 200,
      body: {
        config_version: 'e2e-r1-stable',
        rollout: { candidate_version: 'e2e-r1-candidate', percent: PERCENT, gate: GATE },
      },
    });

    const statuses = await drive();
    expect(SESSIONS.filter((_, i) => statuses[i] !== 200)).toEqual(ON_CANDIDATE);
    const lines = await archivedUntil(
      (l) =>
        requestsOf(l, 'e2e-r1-candidate').length === ON_CANDIDATE.length + 1 &&
        requestsOf(l, 'e2e-r1-stable').length === SESSIONS.length - ON_CANDIDATE.length,
    );

    // The archive directory as miniflare keeps it holds no `.jsonl` file: the CLI says so.
    const archive = join(workDir, 'v3/r2/switchback-audit-local');
    const raw = await watch(['--from', archive]);
    expect([raw.code, raw.stdout, raw.stderr.trim()]).toEqual([
      1,
      '',
      `switchback rollout watch: ${archive}: no audit events (a log file, or a directory of *.jsonl logs)`,
    ]);

    const result = await watch(['--from', await writeLog('r1.jsonl', lines)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown> & {
      figures: { candidate: { errors: number; requests: number } };
    };
    expect(printed).toMatchObject({
      type: 'rollout_decision',
      decision: 'rollback',
      stable_version: 'e2e-r1-stable',
      candidate_version: 'e2e-r1-candidate',
      operator: OPERATOR,
    });
    expect([printed.figures.candidate.requests, printed.figures.candidate.errors]).toEqual([
      ON_CANDIDATE.length + 1,
      ON_CANDIDATE.length + 1,
    ]);

    expect(await rolloutNow()).toEqual({
      status: 200,
      body: {
        config_version: 'e2e-r1-stable+rollback.e2e-r1-candidate',
        rollout: { candidate_version: 'e2e-r1-candidate', percent: 0, gate: GATE },
      },
    });
    // Once the edge serves the rollback config, the candidate's sessions are stable's.
    expect(await askUntil(first, (s) => s === 200)).toBe(200);
    expect(await drive()).toEqual(SESSIONS.map(() => 200));
    const after = await archivedUntil(
      (l) => requestsOf(l, 'e2e-r1-stable+rollback.e2e-r1-candidate').length >= SESSIONS.length + 1,
    );
    // The tenant's last requests (the drive after the rollback), in its chain's order.
    expect(
      tenantRequests(after)
        .slice(-SESSIONS.length)
        .map((e) => e.config_version),
    ).toEqual(SESSIONS.map(() => 'e2e-r1-stable+rollback.e2e-r1-candidate'));
    expect(
      decisionsOf(after, 'e2e-r1-candidate').map((e) => [e.decision, e.operator, e.stable_version]),
    ).toEqual([['rollback', OPERATOR, 'e2e-r1-stable']]);
  }, 240_000);

  it('promotes a candidate that holds at its window end: a hold within it, then the candidate is the config', async () => {
    const candidate = await configInput('e2e-r2-candidate', (c) => {
      c.routes = {
        ...c.routes,
        edge: { models: ['llama-fast', 'glm-flash', { model: 'kimi', use: 'large' }] },
      };
    });
    await putCanary(await configInput('e2e-r2-stable'), candidate);
    const first = ON_CANDIDATE[0] ?? '';
    // The edge serves the canary once a request is filed under the candidate's version.
    for (let i = 0; i < SERVED_TRIES; i++) {
      expect(await ask(first)).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (requestsOf(await archivedLines(), 'e2e-r2-candidate').length > 0) break;
    }
    expect(requestsOf(await archivedLines(), 'e2e-r2-candidate').length).toBeGreaterThan(0);
    expect(await drive()).toEqual(SESSIONS.map(() => 200));
    const lines = await archivedUntil(
      (l) =>
        requestsOf(l, 'e2e-r2-candidate').length >= ON_CANDIDATE.length + 1 &&
        requestsOf(l, 'e2e-r2-stable').length >= SESSIONS.length - ON_CANDIDATE.length,
    );
    const log = await writeLog('r2.jsonl', lines);

    const early = await watch(['--from', log]);
    expect(early.code).toBe(0);
    const hold = JSON.parse(early.stdout) as { decision: string; started_at: string };
    expect(hold.decision).toBe('hold');
    const end = new Date(Date.parse(hold.started_at) + GATE.windowMs).toISOString();

    const result = await watch(['--from', log, '--now', end]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'rollout_decision',
      decision: 'promote',
      stable_version: 'e2e-r2-stable',
      candidate_version: 'e2e-r2-candidate',
      operator: OPERATOR,
    });
    expect(await rolloutNow()).toEqual({
      status: 200,
      body: { config_version: 'e2e-r2-candidate', rollout: null },
    });
    const after = await archivedUntil((l) => decisionsOf(l, 'e2e-r2-candidate').length > 0);
    expect(decisionsOf(after, 'e2e-r2-candidate').map((e) => [e.decision, e.operator])).toEqual([
      ['promote', OPERATOR],
    ]);
  }, 240_000);
});
