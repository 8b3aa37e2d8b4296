import {
  type AuditEvent,
  canaryBucket,
  gateFromAuditEvents,
  type RolloutDecisionAuditEvent,
  type RouterConfig,
  type RouterConfigInput,
  type SignedAuditEvent,
} from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import { canaryApps } from '../src/config/canary.ts';
import { CONFIG_KV_KEY, createKvConfig } from '../src/config/kv-config.ts';
import { archived, archivedCount } from './audit-archive.ts';
import { appWith, configWith, sha256Hex } from './helpers.ts';
import { ROLLOUT_GATE, routeEdgeToBroken } from './rollout-fixtures.ts';

// This file's own tenant (its own chain), edge tier only, and its own model for the broken
// candidate: the fault set on it reaches no other file's requests.
const TENANT = 'rollout-edge';
const KEY = 'sk-test-rollout-edge';
const OPERATOR_KEY = 'sk-ops-erin';
const BROKEN = '@cf/switchback/rollout-broken';
const GATE = ROLLOUT_GATE;
const SESSIONS = Array.from({ length: 40 }, (_, i) => `rollout-edge-${i}`);

const KEY_SHA256 = await sha256Hex(KEY);
const OPERATOR_SHA256 = await sha256Hex(OPERATOR_KEY);

/** The example config with this file's tenant and operator, at `version`, edited further. */
const input = (version: string, edit: (c: RouterConfigInput) => void = () => {}) =>
  structuredClone(
    configWith((c) => {
      c.version = version;
      c.tenants.push({
        id: TENANT,
        keys: [{ id: 'rollout-edge-key', sha256: KEY_SHA256 }],
        allowedTiers: ['edge'],
      });
      c.operators = [{ id: 'ops-erin', sha256: OPERATOR_SHA256 }];
      edit(c);
    }),
  ) as RouterConfigInput;

/** A KV namespace of this file's own: the Worker's `router-config` is other files' too. */
const memoryKv = (): KVNamespace => {
  const values = new Map<string, string>();
  return {
    get: async (key: string, type?: string) => {
      const value = values.get(key);
      if (value === undefined) return null;
      return type === 'json' ? JSON.parse(value) : value;
    },
    put: async (key: string, value: string) => {
      values.set(key, value);
    },
  } as unknown as KVNamespace;
};

/** What an isolate serves from the KV config: its apps, the canary split as in production. */
const served = async (kv: KVNamespace, bundled: RouterConfig) => {
  const { config } = await createKvConfig({ kv, bundled, ttlMs: 0 }).get();
  return { config, apps: canaryApps(config, (c) => appWith(c, { CONFIG: kv })) };
};

const events = async (tenant: string): Promise<AuditEvent[]> =>
  (await archived(tenant)).map((line) => (JSON.parse(line) as SignedAuditEvent).event);

/** One short ask per session through the canary, waiting for every event in the archive. */
const drive = async (apps: Awaited<ReturnType<typeof served>>['apps']) => {
  const before = (await archived(TENANT)).length;
  const statuses: number[] = [];
  for (const session of SESSIONS) {
    const headers = { 'x-session-affinity': session };
    const res = await apps.pick(new Headers(headers))({
      key: KEY,
      headers,
      body: { model: 'auto', messages: [{ role: 'user', content: 'Say hello.' }] },
    });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  await archivedCount(TENANT, before + SESSIONS.length);
  return statuses;
};

const verdictPost = (apps: Awaited<ReturnType<typeof served>>['apps'], event: unknown) =>
  apps.stable({ key: OPERATOR_KEY, path: '/ops/rollout', body: { event } });

describe('the rollout gate at the edge', () => {
  const onCandidate = SESSIONS.filter((s) => canaryBucket(s) < 5_000);

  it('rolls back a candidate that raises errors: percent 0 in KV, its event in the log', async () => {
    expect(Math.min(onCandidate.length, SESSIONS.length - onCandidate.length)).toBeGreaterThan(8);
    await fetch(`${inject('simUrl')}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'workers-ai', model: BROKEN, kind: 'error', status: 500 }),
    });
    const candidate = input('r1-candidate', (c) => {
      routeEdgeToBroken(c, BROKEN);
    });
    const stable = input('r1-stable', (c) => {
      c.rollout = { candidate: candidate as Record<string, unknown>, percent: 50, gate: GATE };
    });
    const kv = memoryKv();
    await kv.put(CONFIG_KV_KEY, JSON.stringify(stable));
    const { apps } = await served(kv, configWith());
    expect(apps.candidate?.version).toBe('r1-candidate');

    const statuses = await drive(apps);
    expect(statuses.filter((s) => s !== 200).length).toBe(onCandidate.length);

    // What `switchback rollout watch` reads of the edge, and the gate it runs on the archive.
    const rollout = await apps.stable({ key: OPERATOR_KEY, path: '/ops/rollout' });
    expect(await rollout.json()).toEqual({
      config_version: 'r1-stable',
      rollout: { candidate_version: 'r1-candidate', percent: 50, gate: GATE },
    });
    const canary = { stableVersion: 'r1-stable', candidateVersion: 'r1-candidate', settings: GATE };
    const { verdict, requests } = gateFromAuditEvents(await events(TENANT), canary, Date.now());
    expect(requests).toEqual({
      stable: SESSIONS.length - onCandidate.length,
      candidate: onCandidate.length,
    });
    expect(verdict?.decision).toBe('rollback');
    expect(verdict?.event.figures.candidate.errors).toBe(onCandidate.length);

    expect((await verdictPost(apps, verdict?.event)).status).toBe(200);
    // The same verdict again is on a canary the edge no longer runs.
    expect((await verdictPost(apps, verdict?.event)).status).toBe(409);

    const after = await served(kv, configWith());
    expect([after.config.version, after.apps.candidate?.percent]).toEqual([
      'r1-stable+rollback.r1-candidate',
      0,
    ]);
    expect(await drive(after.apps)).toEqual(SESSIONS.map(() => 200));

    const decisions = (await events('_')).filter(
      (e): e is RolloutDecisionAuditEvent =>
        e.type === 'rollout_decision' && e.candidate_version === 'r1-candidate',
    );
    expect(decisions.map((e) => [e.decision, e.operator, e.stable_version])).toEqual([
      ['rollback', 'ops-erin', 'r1-stable'],
    ]);
  }, 120_000);

  it('promotes a candidate that holds for the window: the candidate is the config in KV', async () => {
    const candidate = input('r2-candidate', (c) => {
      c.routes = {
        ...c.routes,
        edge: { models: ['llama-fast', 'glm-flash', { model: 'kimi', use: 'large' }] },
      };
    });
    const stable = input('r2-stable', (c) => {
      c.rollout = { candidate: candidate as Record<string, unknown>, percent: 50, gate: GATE };
    });
    const kv = memoryKv();
    await kv.put(CONFIG_KV_KEY, JSON.stringify(stable));
    const { apps } = await served(kv, configWith());
    expect(await drive(apps)).toEqual(SESSIONS.map(() => 200));

    const canary = { stableVersion: 'r2-stable', candidateVersion: 'r2-candidate', settings: GATE };
    const log = await events(TENANT);
    // Within its window it holds; at the window's end, with no threshold crossed, it promotes.
    const early = gateFromAuditEvents(log, canary, Date.now());
    expect([early.verdict, early.requests.candidate]).toEqual([undefined, onCandidate.length]);
    const end = (early.startedAt ?? 0) + GATE.windowMs;
    const { verdict } = gateFromAuditEvents(log, canary, end);
    expect(verdict?.decision).toBe('promote');

    expect((await verdictPost(apps, verdict?.event)).status).toBe(200);
    const after = await served(kv, configWith());
    expect([after.config.version, after.config.rollout, after.apps.candidate]).toEqual([
      'r2-candidate',
      undefined,
      undefined,
    ]);
    const decisions = (await events('_')).filter(
      (e): e is RolloutDecisionAuditEvent =>
        e.type === 'rollout_decision' && e.candidate_version === 'r2-candidate',
    );
    expect(decisions.map((e) => [e.decision, e.operator])).toEqual([['promote', 'ops-erin']]);
  }, 120_000);

  it('takes verdicts from operators only', async () => {
    const kv = memoryKv();
    await kv.put(CONFIG_KV_KEY, JSON.stringify(input('r3-stable')));
    const { apps } = await served(kv, configWith());
    const res = await apps.stable({ key: KEY, path: '/ops/rollout' });
    expect(res.status).toBe(401);
  });
});
