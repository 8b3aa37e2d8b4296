import { canaryBucket, type RouterConfigInput } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { appWith, configWith } from '../../test/helpers.ts';
import { canaryApps } from './canary.ts';

// The candidate serves the edge tier from llama-fast first; the stable config from glm-flash.
const candidate = (): RouterConfigInput =>
  structuredClone(
    configWith((c) => {
      c.version = 'edge-candidate-1';
      c.routes.edge.models = ['llama-fast', 'glm-flash'];
    }),
  ) as RouterConfigInput;

describe('the canary at the edge', () => {
  it('serves its share of sessions from the inline candidate, each session always on one side', async () => {
    const config = configWith((c) => {
      c.rollout = { candidate: candidate() as Record<string, unknown>, percent: 30 };
    });
    const apps = canaryApps(config, (c) => appWith(c));
    expect(apps.candidate).toMatchObject({ version: 'edge-candidate-1', percent: 30 });
    const modelOf = async (session: string) => {
      const headers = { 'x-session-affinity': session };
      const res = await apps.pick(new Headers(headers))({
        headers,
        body: { model: 'fast', messages: [{ role: 'user', content: 'Say hello.' }] },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      return res.headers.get('x-router-model');
    };
    const sessions = Array.from({ length: 24 }, (_, i) => `edge-canary-${i}`);
    const models = [];
    for (const session of sessions) models.push(await modelOf(session));
    expect(models).toEqual(
      sessions.map((s) => (canaryBucket(s) < 3_000 ? 'llama-fast' : 'glm-flash')),
    );
    expect(models.filter((m) => m === 'llama-fast').length).toBeGreaterThan(0);
    expect(await modelOf(sessions[0] ?? '')).toBe(models[0]);
  });

  it('refuses a candidate named by path or invalid, and serves the config alone', () => {
    const refused: string[] = [];
    const byPath = canaryApps(
      configWith((c) => {
        c.rollout = { candidate: 'candidate.yaml', percent: 50 };
      }),
      () => 'app',
      (reason) => refused.push(reason),
    );
    const invalid = canaryApps(
      configWith((c) => {
        c.rollout = { candidate: { version: 'x' }, percent: 50 };
      }),
      () => 'app',
      (reason) => refused.push(reason),
    );
    expect([byPath.candidate, invalid.candidate]).toEqual([undefined, undefined]);
    expect(refused[0]).toBe(
      'rollout.candidate is a path (candidate.yaml); the edge takes it inline only',
    );
    expect(refused[1]).toMatch(/^rollout\.candidate is not a valid config: /);
  });
});
